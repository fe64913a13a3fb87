/**
 * Meeting access over real sockets: the lobby and what a waiting socket hears, host arrival, lock,
 * roles and hand-over, ending, restricted and public meetings, badges, and impersonation attempts.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { TestMedia } from '../test-support/media-peer.js';
import { join, joinAdmitted } from '../test-support/join.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';
import { lastOf, nextOf, waitForQueue, type Msg } from '../test-support/messages.js';

const server: TestServer = await startTestServer();
after(() => server.close());

const actions = async (meetingId: string) => (await server.server.audit.forMeeting(meetingId)).map((r) => r.action);

test('a socket in the lobby hears only its own status while the meeting goes on', async () => {
  const meeting = await server.createMeeting({ title: 'Board meeting' });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  assert.equal(host.state.self.role, 'host');
  assert.equal(host.state.self.identity, 'member');

  const waiting = await join(server, meeting, 'Waiting Wendy');
  assert.deepEqual(waiting.result, { status: 'waiting', reason: 'lobby' });
  const queue = await waitForQueue(host.client, (q) => q.length === 1);
  assert.deepEqual(queue.map((e) => [e.displayName, e.identity, e.email]), [['Waiting Wendy', 'guest', null]]);
  const knock = await host.client.waitFor<Msg<'lobbyChanged'>>((m) => m.type === 'lobbyChanged' && m.knock !== undefined, 15_000, 0);
  assert.deepEqual([knock.knock, knock.added.map((e) => e.id)], [queue[0]?.id, [queue[0]?.id]], 'a knock sends the newcomer, not the queue');

  // The meeting goes on: someone else is let in, media is published, the host locks and unlocks, someone leaves.
  const member = await server.createUser('mo@parley.test', 'member', 'Mo Member');
  const mo = await join(server, meeting, 'ignored', member);
  const moEntry = (await waitForQueue(host.client, (q) => q.length === 2))[1];
  assert.deepEqual([moEntry?.displayName, moEntry?.identity, moEntry?.email], ['Mo Member', 'member', 'mo@parley.test']);
  await host.client.request('admit', { lobbyId: moEntry?.id });
  await nextOf(mo.client, 'admitted', 0);
  const publisher = await new TestMedia(host.client, host.state).setup();
  await publisher.publish('microphone');
  await host.client.request('lock', { locked: true });
  await host.client.request('lock', { locked: false });
  await mo.client.request('leave', {});

  const before = waiting.client.messages.length;
  await host.client.request('admit', { lobbyId: queue[0]?.id });
  const admitted = await nextOf(waiting.client, 'admitted', before);
  assert.deepEqual(waiting.client.messages.slice(0, before).map((m) => m.type), ['welcome', 'result'], 'nothing reached the lobby socket');
  console.log(`lobby socket received, in order: ${waiting.client.messages.map((m) => m.type).join(', ')}`);
  assert.equal(admitted.state.meeting.title, 'Board meeting');
  assert.deepEqual(admitted.state.participants.map((p) => p.displayName), ['Ada Admin']);
  assert.equal(admitted.state.tracks.length, 1);
  assert.equal(admitted.state.self.identity, 'guest');
  const waitingMedia = await new TestMedia(waiting.client, admitted.state).setup();
  await waiting.client.waitFor((m) => m.type === 'subscription', 10_000, before);

  const log = await actions(meeting.id);
  for (const action of ['lobby.entered', 'lobby.admitted', 'meeting.locked', 'meeting.unlocked']) assert.ok(log.includes(action), action);
  publisher.close();
  waitingMedia.close();
  await Promise.all([host.client.close(), waiting.client.close()]);
});

test('before the host arrives people wait for the host; a denied guest gets the message and is disconnected', async () => {
  const meeting = await server.createMeeting();
  const early = await join(server, meeting, 'Early Eve');
  assert.deepEqual(early.result, { status: 'waiting', reason: 'host-absent' });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const status = await nextOf(early.client, 'lobbyStatus', 0);
  assert.equal(status.status, 'waiting');
  const entry = (await waitForQueue(host.client, (q) => q.length === 1))[0];
  await host.client.request('deny', { lobbyId: entry?.id, message: 'This meeting is for the board only.' });
  const denial = await early.client.waitFor((m) => m.type === 'lobbyStatus' && m.status === 'denied', 15_000, 0);
  assert.deepEqual(denial, { type: 'lobbyStatus', status: 'denied', message: 'This meeting is for the board only.' });
  await early.client.closed();
  assert.deepEqual(early.client.messages.map((m) => m.type), ['welcome', 'result', 'lobbyStatus', 'lobbyStatus']);
  assert.ok((await actions(meeting.id)).includes('lobby.denied'));
  await host.client.close();
});

test('a host can let people join before the host', async () => {
  const meeting = await server.createMeeting({ settings: { joinBeforeHost: true, lobby: false } });
  const guest = await join(server, meeting, 'Punctual');
  assert.equal(guest.result.status, 'admitted');
  await guest.client.close();
});

test('a locked meeting refuses newcomers before the lobby and tells them why', async () => {
  const meeting = await server.createMeeting();
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  await host.client.request('lock', { locked: true });
  const settings = await nextOf(host.client, 'settingsUpdated', 0);
  assert.equal(settings.settings.locked, true);
  await assert.rejects(join(server, meeting, 'Latecomer'), (e: { code?: string; message?: string }) => e.code === 'meeting_locked' && /locked/.test(e.message ?? ''));
  await host.client.close();
});

test('participants and guests cannot moderate: every host-only message is forbidden and changes nothing', async () => {
  const meeting = await server.createMeeting({ settings: { lobby: true } });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const member = await server.createUser('pat@parley.test', 'member', 'Pat');
  const pat = await join(server, meeting, 'x', member);
  const guest = await join(server, meeting, 'Gus');
  const queue = await waitForQueue(host.client, (q) => q.length === 2);
  await host.client.request('admitAll', {});
  await Promise.all([nextOf(pat.client, 'admitted', 0), nextOf(guest.client, 'admitted', 0)]);
  const waiter = await join(server, meeting, 'Still Waiting');
  assert.equal(waiter.result.status, 'waiting');
  const waiterId = (await waitForQueue(host.client, (q) => q.length === 1 && q[0]?.displayName === 'Still Waiting'))[0]?.id;
  const hostId = host.state.self.id;
  const patId = lastOf(host.client, 'participantJoined')?.participant.id;
  void queue;

  for (const impostor of [pat.client, guest.client]) {
    for (const [type, fields] of [
      ['admit', { lobbyId: waiterId }],
      ['deny', { lobbyId: waiterId }],
      ['admitAll', {}],
      ['lock', { locked: true }],
      ['setRole', { participantId: patId, role: 'cohost' }],
      ['setRole', { participantId: hostId, role: 'participant' }],
      ['updateSettings', { settings: { lobby: false } }],
      ['endMeeting', {}],
    ] as const) {
      const reply = await impostor.requestRaw(type, fields);
      assert.equal(reply.type === 'error' && reply.code, 'forbidden', `${type} by a non-moderator`);
    }
  }
  // Nothing changed: the waiter still waits, the meeting is neither locked nor ended, roles are as they were.
  assert.deepEqual(waiter.client.messages.map((m) => m.type), ['welcome', 'result']);
  assert.equal(lastOf(host.client, 'settingsUpdated'), undefined);
  assert.equal(lastOf(host.client, 'participantUpdated'), undefined);
  assert.ok(host.client.open && pat.client.open && guest.client.open);
  const forbidden = (await actions(meeting.id)).filter((a) => a === 'forbidden').length;
  assert.equal(forbidden, 16, 'every attempt is audited');
  await Promise.all([host.client, pat.client, guest.client, waiter.client].map((c) => c.close()));
});

test('co-hosts moderate; when the last host leaves a co-host takes over; the host ends the meeting for all', async () => {
  const meeting = await server.createMeeting({ settings: { lobby: false, joinBeforeHost: true } });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  // Moderators are signed-in members (the organization's default policy).
  const cora = await joinAdmitted(server, meeting, 'Cora', await server.createUser('cora@parley.test', 'member', 'Cora'));
  const dan = await joinAdmitted(server, meeting, 'Dan');
  await host.client.request('setRole', { participantId: cora.state.self.id, role: 'cohost' });
  const promoted = await nextOf(dan.client, 'participantUpdated', 0);
  assert.deepEqual([promoted.participant.id, promoted.participant.role], [cora.state.self.id, 'cohost']);
  // A co-host locks, but may not make co-hosts.
  await cora.client.request('lock', { locked: true });
  const denied = await cora.client.requestRaw('setRole', { participantId: dan.state.self.id, role: 'cohost' });
  assert.equal(denied.type === 'error' && denied.code, 'forbidden');
  await cora.client.request('lock', { locked: false });

  await host.client.request('leave', {});
  const handover = await dan.client.waitFor<Msg<'participantUpdated'>>((m) => m.type === 'participantUpdated' && m.participant.role === 'host', 15_000, 0);
  assert.equal(handover.participant.id, cora.state.self.id);

  await cora.client.request('endMeeting', {});
  for (const c of [cora.client, dan.client]) assert.equal((await nextOf(c, 'bye', 0)).reason, 'ended');
  await assert.rejects(join(server, meeting, 'After'), (e: { code?: string }) => e.code === 'meeting_ended');
  const log = await actions(meeting.id);
  for (const action of ['role.changed', 'meeting.ended']) assert.ok(log.includes(action), action);
});

test('restricted meetings: signed-in only, organization only, members skipping the lobby, names and badges from accounts', async () => {
  const external = await server.createUser('ext@partner.test', 'external', 'Ext Partner');
  const member = await server.createUser('mem@parley.test', 'member', 'Mem Ber');

  const signedIn = await server.createMeeting({ settings: { access: 'signed-in', joinBeforeHost: true, lobby: false } });
  await assert.rejects(join(server, signedIn, 'Guest'), (e: { code?: string }) => e.code === 'sign_in_required');
  const ext = await joinAdmitted(server, signedIn, 'Pretender', external);
  assert.deepEqual([ext.state.self.displayName, ext.state.self.identity, ext.state.self.role], ['Ext Partner', 'external', 'participant']);

  const orgOnly = await server.createMeeting({ settings: { access: 'organization', joinBeforeHost: true, membersSkipLobby: true } });
  await assert.rejects(join(server, orgOnly, 'x', external), (e: { code?: string }) => e.code === 'forbidden');
  const mem = await join(server, orgOnly, 'x', member);
  assert.equal(mem.result.status, 'admitted', 'members skip the lobby when allowed');
  await Promise.all([ext.client.close(), mem.client.close()]);
});

test('public meetings need no passcode and admit view-only attendees until a moderator promotes them', async () => {
  const meeting = await server.createMeeting({ settings: { public: true, lobby: false } });
  assert.equal(meeting.passcode, null);
  assert.ok(meeting.joinUrl.endsWith(`/m/${meeting.id}#public`));
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const viewer = await joinAdmitted(server, { id: meeting.id, passcode: null }, 'Viewer');
  assert.equal(viewer.state.self.role, 'attendee');
  const publisher = await new TestMedia(viewer.client, viewer.state).setup();
  await assert.rejects(publisher.publish('microphone'), (e: { code?: string }) => e.code === 'forbidden');
  await host.client.request('setRole', { participantId: viewer.state.self.id, role: 'participant' });
  assert.equal((await nextOf(viewer.client, 'participantUpdated', 0)).participant.role, 'guest');
  const track = await publisher.publish('microphone');
  assert.ok(track.trackId);
  publisher.close();
  await Promise.all([host.client.close(), viewer.client.close()]);
});

test('media meetings for tests can open their doors explicitly, and that weakening is audited', async () => {
  const meeting = await server.createMeeting({ settings: OPEN_DOORS });
  const rows = await server.server.audit.forMeeting(meeting.id);
  const created = rows.find((r) => r.action === 'meeting.created');
  assert.deepEqual(JSON.parse(created?.details ?? '{}').weakened, ['lobby', 'joinBeforeHost']);
});
