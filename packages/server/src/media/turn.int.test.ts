/**
 * TURN credentials through the public surface: the join, resume and restartIce replies of a server
 * with PARLEY_TURN_* set carry credentials coturn would accept (the HMAC recomputed here with the
 * shared secret) for this participant only, expiring after the configured TTL, and the relay policy;
 * a server without TURN hands out no ICE server at all. Then a real coturn (Debian's `coturn`, started
 * here on 127.0.0.1) grants a relay to those credentials and refuses forged and expired ones.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { IceServer, RoomState } from '@parley/protocol';
import { coturnAllocates, SKIP_WITHOUT_COTURN, startCoturn } from '../test-support/coturn.js';
import { joinAdmitted } from '../test-support/join.js';
import { TestMedia } from '../test-support/media-peer.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';
import { turnIceServer } from './turn-credentials.js';

const SECRET = 'integration-test-turn-secret';
const URLS = ['turn:127.0.0.1:3478?transport=udp', 'turn:127.0.0.1:3478?transport=tcp'];
const TTL = 1200;

let server: TestServer;
before(async () => {
  server = await startTestServer({ turnUrls: URLS, turnSecret: SECRET, turnTtlSeconds: TTL, iceTransportPolicy: 'relay' });
});
after(async () => {
  await server.close();
});

/** Checks one TURN entry as coturn would, and returns its expiry (unix seconds). */
function checkTurn(servers: IceServer[], participantId: string, issuedBetween: [number, number]): number {
  assert.equal(servers.length, 1);
  const [turn] = servers;
  assert.ok(turn);
  assert.deepEqual(turn.urls, URLS);
  const match = /^(\d+):(.+)$/.exec(turn.username ?? '');
  assert.ok(match, `username ${turn.username}`);
  const expiry = Number(match[1]);
  assert.equal(match[2], participantId, 'bound to the participant');
  assert.equal(turn.credential, createHmac('sha1', SECRET).update(turn.username ?? '').digest('base64'), 'the HMAC coturn computes');
  const [from, to] = issuedBetween;
  assert.ok(expiry >= Math.floor(from / 1000) + TTL && expiry <= Math.ceil(to / 1000) + TTL, `expires ${TTL} s after issue (${expiry})`);
  return expiry;
}

test('join, resume and ICE restart each carry fresh TURN credentials for the participant, and the relay policy', async () => {
  const meeting = await server.createMeeting({ settings: OPEN_DOORS });
  const t0 = Date.now();
  const alice = await joinAdmitted(server, meeting, 'Alice');
  const bob = await joinAdmitted(server, meeting, 'Bob');
  const t1 = Date.now();
  assert.equal(alice.state.media.iceTransportPolicy, 'relay');
  checkTurn(alice.state.media.iceServers, alice.state.self.id, [t0, t1]);
  checkTurn(bob.state.media.iceServers, bob.state.self.id, [t0, t1]);

  const media = await new TestMedia(alice.client, alice.state).setup();
  const transportId = media.recvTransport?.id ?? '';
  const t2 = Date.now();
  const restarted = await alice.client.request('restartIce', { transportId });
  checkTurn(restarted.iceServers, alice.state.self.id, [t2, Date.now()]);
  media.close();

  await alice.client.close();
  const back = await TestClient.ready(server.wsUrl);
  const t3 = Date.now();
  const resumed = await back.request('resume', { meetingId: meeting.id, participantId: alice.state.self.id, token: alice.state.resume.token });
  const state: RoomState = resumed.state;
  assert.equal(state.media.iceTransportPolicy, 'relay');
  checkTurn(state.media.iceServers, alice.state.self.id, [t3, Date.now()]);
  await back.close();
  await bob.client.close();
});

test('a server without TURN gives no ICE server and the policy `all`', async () => {
  const plain = await startTestServer();
  try {
    const meeting = await plain.createMeeting({ settings: OPEN_DOORS });
    const alice = await joinAdmitted(plain, meeting, 'Alice');
    assert.deepEqual(alice.state.media.iceServers, []);
    assert.equal(alice.state.media.iceTransportPolicy, 'all');
    const media = await new TestMedia(alice.client, alice.state).setup();
    const restarted = await alice.client.request('restartIce', { transportId: media.recvTransport?.id ?? '' });
    assert.deepEqual(restarted.iceServers, []);
    media.close();
    await alice.client.close();
  } finally {
    await plain.close();
  }
});

test('a real coturn with the same secret grants a relay to the credentials a join hands out, over UDP and TCP, and refuses expired ones', { skip: SKIP_WITHOUT_COTURN }, async () => {
  const coturn = await startCoturn();
  const withCoturn = await startTestServer({ turnUrls: [`turn:127.0.0.1:${coturn.port}`], turnSecret: coturn.secret, turnTtlSeconds: 900 });
  try {
    const meeting = await withCoturn.createMeeting({ settings: OPEN_DOORS });
    const alice = await joinAdmitted(withCoturn, meeting, 'Alice');
    const [turn] = alice.state.media.iceServers;
    assert.ok(turn?.username && turn.credential);
    assert.equal(await coturnAllocates(coturn, turn.username, turn.credential, 'udp'), true, 'granted over UDP');
    assert.equal(await coturnAllocates(coturn, turn.username, turn.credential, 'tcp'), true, 'granted over TCP');
    assert.equal(await coturnAllocates(coturn, turn.username, `x${turn.credential}`), false, 'a forged credential is refused');
    // What the TTL means at coturn: a username whose expiry has passed is refused, even with the right HMAC.
    const expired = turnIceServer({ urls: [], secret: coturn.secret, ttlSeconds: 900 }, alice.state.self.id, Date.now() - 960_000);
    assert.equal(await coturnAllocates(coturn, expired.username ?? '', expired.credential ?? ''), false, 'an expired credential is refused');
    const granted = coturn.allocations();
    assert.ok(granted.length >= 2 && granted.every((user) => user === turn.username), `only the fresh credential got relays: ${granted.join(', ')}`);
    await alice.client.close();
  } finally {
    await withCoturn.close();
    await coturn.close();
  }
});
