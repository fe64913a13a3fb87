/**
 * Coming back as the same participant: after a dropped socket (a network blip, a reload) and after
 * a server restart, with the resume credential, and never with a used, foreign or revoked one.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { RoomState, ServerMessage } from '@parley/protocol';
import { startParley, type RunningParley } from '../index.js';
import { joinAdmitted } from '../test-support/join.js';
import { eventually, TestMedia } from '../test-support/media-peer.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';

type Msg<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

let server: TestServer;
before(async () => {
  server = await startTestServer({ resumeSeconds: 30 });
});
after(async () => {
  await server.close();
});

async function resume(url: string, state: Pick<RoomState, 'meeting' | 'self' | 'resume'>, as?: { cookie: string }): Promise<{ client: TestClient; reply: ServerMessage }> {
  const client = await TestClient.ready(url, as);
  const reply = await client.requestRaw('resume', { meetingId: state.meeting.id, participantId: state.self.id, token: state.resume.token });
  return { client, reply };
}

function admittedState(reply: ServerMessage): RoomState {
  assert.equal(reply.type, 'result', JSON.stringify(reply));
  const result = (reply as Msg<'result'>).result as { status: string; state: RoomState };
  assert.equal(result.status, 'admitted');
  return result.state;
}

test('a dropped socket resumes as the same participant: others see reconnecting, then back; media comes back', async () => {
  const meeting = await server.createMeeting({ settings: { ...OPEN_DOORS, features: { chat: true } } });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const guest = await joinAdmitted(server, meeting, 'Guest');
  await guest.client.request('raiseHand', { raised: true });
  await guest.client.request('chat', { text: 'before the drop' });
  const hostMedia = await new TestMedia(host.client, host.state).setup();
  const guestMedia = await new TestMedia(guest.client, guest.state).setup();
  const mic = await guestMedia.publish('microphone');
  await hostMedia.waitForMedia(mic.trackId, 10);

  guestMedia.close();
  await guest.client.close(); // the network goes away
  await host.client.waitFor((m) => m.type === 'participantUpdated' && m.participant.id === guest.state.self.id && m.participant.connection === 'reconnecting', 15_000, 0);

  const since = host.client.messages.length;
  const back = await resume(server.wsUrl, guest.state);
  const state = admittedState(back.reply);
  assert.equal(state.self.id, guest.state.self.id, 'the same participant');
  assert.equal(state.self.role, 'guest');
  assert.equal(state.self.handRaised, true, 'hand kept');
  assert.ok(state.chat.some((c) => c.text === 'before the drop'), 'chat kept');
  assert.notEqual(state.resume.token, guest.state.resume.token, 'a fresh credential');
  const updated = await host.client.waitFor<Msg<'participantUpdated'>>((m) => m.type === 'participantUpdated' && m.participant.id === guest.state.self.id, 10_000, since);
  assert.equal(updated.participant.connection, 'connected');
  assert.equal(host.client.messages.slice(since).filter((m) => m.type === 'participantLeft' || m.type === 'participantJoined').length, 0, 'nobody left or joined');

  // Media is set up afresh on the new connection and reaches the host again.
  const again = await new TestMedia(back.client, state).setup();
  const mic2 = await again.publish('microphone');
  await hostMedia.waitForMedia(mic2.trackId, 10);

  // The old credential was single-use.
  const replay = await resume(server.wsUrl, guest.state);
  assert.equal(replay.reply.type === 'error' && replay.reply.code, 'resume_expired');
  again.close();
  hostMedia.close();
  await Promise.all([host.client.close(), back.client.close(), replay.client.close()]);
});

test('resuming on a new socket while the old one is still open replaces it', async () => {
  const meeting = await server.createMeeting({ settings: OPEN_DOORS });
  const a = await joinAdmitted(server, meeting, 'Tab');
  const reload = await resume(server.wsUrl, a.state);
  assert.equal(admittedState(reload.reply).self.id, a.state.self.id);
  const bye = await a.client.waitFor<Msg<'bye'>>((m) => m.type === 'bye', 10_000, 0);
  assert.equal(bye.reason, 'replaced');
  await reload.client.close();
});

test('wrong, foreign, and revoked credentials get resume_expired and change nothing', async () => {
  const meeting = await server.createMeeting({ settings: OPEN_DOORS });
  const other = await server.createMeeting({ settings: OPEN_DOORS });
  const a = await joinAdmitted(server, meeting, 'A');
  const b = await joinAdmitted(server, meeting, 'B');
  const wrong = await resume(server.wsUrl, { ...a.state, resume: { ...a.state.resume, token: 'x'.repeat(43) } });
  assert.equal(wrong.reply.type === 'error' && wrong.reply.code, 'resume_expired');
  const foreign = await resume(server.wsUrl, { ...a.state, meeting: { ...a.state.meeting, id: other.id, title: '' } });
  assert.equal(foreign.reply.type === 'error' && foreign.reply.code, 'resume_expired');
  const swapped = await resume(server.wsUrl, { ...a.state, self: b.state.self });
  assert.equal(swapped.reply.type === 'error' && swapped.reply.code, 'resume_expired', "one participant's token does not resume another");
  // A signed-in person's credential is useless to someone without their session.
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const stolen = await resume(server.wsUrl, host.state);
  assert.equal(stolen.reply.type === 'error' && stolen.reply.code, 'resume_expired');
  // Removal revokes.
  await host.client.request('remove', { participantId: b.state.self.id });
  await b.client.closed();
  const removed = await resume(server.wsUrl, b.state);
  assert.equal(removed.reply.type === 'error' && removed.reply.code, 'resume_expired');
  // Nothing changed for A: still there, same id.
  assert.ok(a.client.open);
  for (const c of [wrong, foreign, swapped, stolen, removed]) await c.client.close();
  await Promise.all([a.client.close(), host.client.close()]);
});

test('after a server restart everyone resumes: same participants, the host still hosts, the lock holds', async () => {
  const first = await startTestServer({ resumeSeconds: 30 });
  const port = Number(new URL(first.url).port);
  const meeting = await first.createMeeting({ settings: OPEN_DOORS });
  const host = await joinAdmitted(first, meeting, 'Host', first.admin);
  const guest = await joinAdmitted(first, meeting, 'Guest');
  await host.client.request('lock', { locked: true });
  await guest.client.waitFor((m) => m.type === 'settingsUpdated' && m.settings.locked, 10_000, 0);
  const guestBye = guest.client.waitFor<Msg<'bye'>>((m) => m.type === 'bye', 15_000, 0);
  await first.server.close(); // SIGTERM: the data stays
  assert.equal((await guestBye).reason, 'shutdown');

  let second: RunningParley | undefined;
  try {
    second = await startParley({ port, host: '127.0.0.1', dataDir: first.dataDir, databaseUrl: first.databaseUrl, logLevel: 'silent' });
    const url = second.url.replace(/^http/, 'ws') + '/ws';
    const hostBack = admittedState((await resume(url, host.state, first.admin)).reply);
    const guestBack = admittedState((await resume(url, guest.state)).reply);
    assert.equal(hostBack.self.id, host.state.self.id);
    assert.equal(hostBack.self.role, 'host');
    assert.equal(guestBack.self.id, guest.state.self.id);
    assert.equal(guestBack.settings.locked, true, 'the lock survived the restart');
    assert.deepEqual(guestBack.participants.map((p) => p.id), [host.state.self.id]);
    const late = await TestClient.ready(url);
    const refused = await late.requestRaw('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Late' });
    assert.equal(refused.type === 'error' && refused.code, 'meeting_locked');
    await late.close();
    await eventually(async () => (await second?.server.sfu.stats())?.peers === 0, 'no media yet');
  } finally {
    await second?.close();
    await first.close();
  }
});

test('people waiting in the lobby during a restart are told the server is restarting, not that the meeting ended (L5)', async () => {
  const own = await startTestServer();
  try {
    const meeting = await own.createMeeting();
    const host = await joinAdmitted(own, meeting, 'Host', own.admin);
    const waiter = await TestClient.ready(own.wsUrl);
    const result = await waiter.request('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Waiting Will' });
    assert.equal(result.status, 'waiting');
    const bye = waiter.waitFor<Msg<'bye'>>((m) => m.type === 'bye', 15_000, 0);
    await own.server.close();
    assert.equal((await bye).reason, 'shutdown');
    assert.equal(waiter.messages.some((m) => m.type === 'lobbyStatus' && m.status === 'ended'), false);
    await host.client.closed();
  } finally {
    await own.close();
  }
});
