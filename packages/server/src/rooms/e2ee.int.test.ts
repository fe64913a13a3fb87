/**
 * End-to-end encryption through the real server: real sockets, real MLS members and SFrame keys
 * (@parley/e2ee) on the client side. The server relays and orders the group's messages without being
 * able to read them; everyone agrees on the epoch and the security code, which changes on every join
 * and leave; a removed member gets nothing more and cannot decrypt what is sent after; a key package
 * for someone else is refused and audited; clear chat is refused.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { encodeIdentity, createMember } from '@parley/e2ee/mls';
import type { RoomState } from '@parley/protocol';
import { join, joinAdmitted, type MeetingRef } from '../test-support/join.js';
import { eventually } from '../test-support/media-peer.js';
import { errorCode, nextOf, waitForQueue } from '../test-support/messages.js';
import { TestMls } from '../test-support/mls-client.js';
import { startTestServer, type Credentials, type TestServer } from '../test-support/server.js';
import type { TestClient } from '../test-support/ws-client.js';

const server: TestServer = await startTestServer();
after(() => server.close());
const mia = await server.createUser('mia@parley.test', 'member', 'Mia Member');
const max = await server.createUser('max@parley.test', 'member', 'Max Member');
const noor = await server.createUser('noor@parley.test', 'member', 'Noor Member');

interface Person {
  client: TestClient;
  state: RoomState;
  mls: TestMls;
}

/** A member admitted from the lobby of a sensitive meeting, with their MLS client started. */
async function admitted(host: TestClient, meeting: MeetingRef, who: Credentials, name: string): Promise<Person> {
  const waiting = await join(server, meeting, 'x', who);
  assert.equal(waiting.result.status, 'waiting');
  const entry = (await waitForQueue(host, (q) => q.some((e) => e.displayName === name))).find((e) => e.displayName === name);
  await host.request('admit', { lobbyId: entry?.id });
  const { state } = await nextOf(waiting.client, 'admitted', 0);
  return { client: waiting.client, state, mls: await TestMls.start(waiting.client, state, who.userId) };
}

async function agreed(people: Person[], what: string): Promise<{ epoch: number; code: string }> {
  await eventually(() => {
    const epochs = new Set(people.map((p) => p.mls.epoch));
    const codes = new Set(people.map((p) => (p.mls.epoch === undefined ? undefined : p.mls.member.securityCode())));
    const sizes = new Set(people.map((p) => (p.mls.epoch === undefined ? -1 : p.mls.member.members().length)));
    return epochs.size === 1 && codes.size === 1 && sizes.size === 1 && !epochs.has(undefined) && sizes.has(people.length);
  }, what);
  for (const p of people) assert.deepEqual(p.mls.errors, [], `${p.state.self.displayName}: ${p.mls.errors.join(', ')}`);
  const first = people[0]!.mls;
  return { epoch: first.epoch!, code: first.member.securityCode() };
}

const sensitiveMeeting = () => server.createMeeting({ sensitivity: 'sensitive', settings: { features: { chat: true } } });

test('three members agree on epoch and security code through the relay; a fourth changes it for all, equal again', async () => {
  const meeting = await sensitiveMeeting();
  const hostJoin = await joinAdmitted(server, meeting, 'Host', server.admin);
  assert.equal(hostJoin.state.settings.e2ee, true);
  const host: Person = { ...hostJoin, mls: await TestMls.start(hostJoin.client, hostJoin.state, server.admin.userId) };
  const a = await admitted(host.client, meeting, mia, 'Mia Member');
  const b = await admitted(host.client, meeting, max, 'Max Member');
  const three = await agreed([host, a, b], 'three members in one epoch with one security code');
  assert.match(three.code, /^\d{5}( \d{5}){5}$/, 'thirty digits in six groups of five');
  const names = host.mls.member.members().map((m) => m.identity.displayName).sort();
  assert.deepEqual(names, [hostJoin.state.self.displayName, 'Max Member', 'Mia Member'].sort(), 'every leaf carries the identity the server verified');

  const c = await admitted(host.client, meeting, noor, 'Noor Member');
  const four = await agreed([host, a, b, c], 'four members in one epoch with one security code');
  assert.ok(four.epoch > three.epoch, 'a join starts a new epoch');
  assert.notEqual(four.code, three.code, 'and changes the security code');
  for (const p of [host, a, b, c]) await p.client.close();
});

test('encrypted chat reaches members readable and passes the server as ciphertext; clear chat is refused', async () => {
  const meeting = await sensitiveMeeting();
  const hostJoin = await joinAdmitted(server, meeting, 'Host', server.admin);
  const host: Person = { ...hostJoin, mls: await TestMls.start(hostJoin.client, hostJoin.state, server.admin.userId) };
  const a = await admitted(host.client, meeting, mia, 'Mia Member');
  await agreed([host, a], 'two members');

  const secret = 'The acquisition price is 42 million';
  const sent = await a.mls.sendChat(secret);
  await eventually(() => host.mls.chats.some((c) => c.text === secret && c.from === a.state.self.id), 'the host reads it');
  const relayed = host.mls.deliveries.filter((d) => d.kind === 'application');
  assert.equal(relayed.length, 1);
  const onTheWire = relayed.map((d) => (d.kind === 'application' ? Buffer.from(d.message, 'base64') : Buffer.alloc(0)));
  assert.ok(!onTheWire.some((bytes) => bytes.includes(Buffer.from(secret))), 'what the server relayed is not the text');
  assert.ok(!Buffer.from(sent, 'base64').includes(Buffer.from(secret)), 'what the sender gave the server is not the text');
  const room = server.server.rooms.get(meeting.id);
  assert.ok(room, 'the room is open');
  assert.equal(room.chat.visibleTo(host.state.self.id).length, 0, 'the server keeps no chat of an encrypted meeting');

  const clear = await a.client.requestRaw('chat', { text: 'in the clear' });
  assert.equal(errorCode(clear), 'e2ee_required');
  await host.client.close();
  await a.client.close();
});

test('a removed member gets no further commit and cannot decrypt media or chat sent after the rekey', async () => {
  const meeting = await sensitiveMeeting();
  const hostJoin = await joinAdmitted(server, meeting, 'Host', server.admin);
  const host: Person = { ...hostJoin, mls: await TestMls.start(hostJoin.client, hostJoin.state, server.admin.userId) };
  const a = await admitted(host.client, meeting, mia, 'Mia Member');
  const b = await admitted(host.client, meeting, max, 'Max Member');
  const before = await agreed([host, a, b], 'three members');

  // What a camera frame looks like to the crypto (a VP8 keyframe's first byte has its P bit clear).
  const frame = new Uint8Array(4000).map((_, i) => (i === 0 ? 0x10 : (i * 31) % 251));
  const info = { kind: 'video' as const, codec: 'video/VP8', isKeyFrame: true };
  const beforeRemoval = await a.mls.keys.encryptFrame(1, frame, info);
  assert.deepEqual((await b.mls.keys.decryptFrame(beforeRemoval, info)).frame, frame, 'a member decrypts while in the meeting');

  // The test keeps the removed person's MLS state and keys, as if their client stayed connected.
  b.mls.stop();
  const deliveredBefore = b.mls.deliveries.length;
  await host.client.request('remove', { participantId: b.state.self.id });
  const after = await agreed([host, a], 'the two who stay, in a new epoch');
  assert.ok(after.epoch > before.epoch);
  assert.notEqual(after.code, before.code);
  assert.deepEqual(
    b.mls.deliveries.slice(deliveredBefore).map((d) => d.kind).filter((k) => k !== 'removed'),
    [],
    'nothing of the group reaches the removed person after the removal',
  );

  const afterRemoval = await a.mls.keys.encryptFrame(1, frame, info);
  assert.deepEqual((await host.mls.keys.decryptFrame(afterRemoval, info)).frame, frame, 'the host decrypts the new epoch');
  await assert.rejects(b.mls.keys.decryptFrame(afterRemoval, info), 'the removed person cannot decrypt a frame sent after the rekey');
  const chat = await a.mls.sendChat('after Max left');
  await assert.rejects(b.mls.member.decryptChat(new Uint8Array(Buffer.from(chat, 'base64'))), 'nor chat sent after it');
  await host.client.close();
  await a.client.close();
});

test('a key package naming someone else is refused and audited; a standard meeting has no encryption relay', async () => {
  const meeting = await sensitiveMeeting();
  const hostJoin = await joinAdmitted(server, meeting, 'Host', server.admin);
  const impostor = await createMember({ participantId: hostJoin.state.self.id, accountId: mia.userId, displayName: 'Mia Member' });
  await hostJoin.client.request('e2eeReady', { keyPackage: Buffer.from(impostor.keyPackage()).toString('base64') });
  const refusal = await hostJoin.client.waitFor((m) => m.type === 'e2ee' && m.message.kind === 'rejected', 10_000, 0);
  assert.ok(refusal.type === 'e2ee' && refusal.message.kind === 'rejected' && refusal.message.input === 'keyPackage', JSON.stringify(refusal));
  const audited = (await server.server.audit.forMeeting(meeting.id)).filter((r) => r.action === 'e2ee.refused');
  assert.equal(audited.length, 1, 'audited once');
  assert.ok(encodeIdentity({ participantId: hostJoin.state.self.id, accountId: mia.userId, displayName: 'Mia Member' }).length > 0);

  // Each key package re-keys the meeting: a flood is throttled (3 at once, then one every 5 s).
  const replies = [];
  for (let i = 0; i < 4; i++) replies.push(await hostJoin.client.requestRaw('e2eeReady', { keyPackage: Buffer.from((await createMember({ participantId: hostJoin.state.self.id, accountId: server.admin.userId, displayName: hostJoin.state.self.displayName })).keyPackage()).toString('base64') }));
  const codes = replies.map(errorCode);
  assert.deepEqual(codes.slice(0, 2), [false, false], 'within the burst (the impostor used one)');
  assert.ok(codes.slice(2).includes('rate_limited'), `past the burst, key packages are refused (${codes.join(', ')})`);

  const standard = await server.createMeeting({ settings: { lobby: false, joinBeforeHost: true } });
  const someone = await joinAdmitted(server, standard, 'Host', server.admin);
  const refused = await someone.client.requestRaw('e2eeReady', { keyPackage: Buffer.from(impostor.keyPackage()).toString('base64') });
  assert.equal(errorCode(refused), 'wrong_state');
  await hostJoin.client.close();
  await someone.client.close();
});
