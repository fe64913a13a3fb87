/**
 * Moderation over real sockets and real media: every collaboration switch enforced by the server
 * (the forbidden message sent directly), untrusted-activity alerts, removal that sticks (each rejoin
 * route), server-enforced mutes, suspend, disruption, and only moderators moderating.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { eventually, TestMedia } from '../test-support/media-peer.js';
import { join, joinAdmitted } from '../test-support/join.js';
import { OPEN_DOORS, uploadFile, startTestServer, type TestServer } from '../test-support/server.js';
import { errorCode, waitForQueue, type Msg } from '../test-support/messages.js';
import type { TestClient } from '../test-support/ws-client.js';

const server: TestServer = await startTestServer();
after(() => server.close());

const alerts = (c: TestClient): Msg<'alert'>[] => c.messages.filter((m): m is Msg<'alert'> => m.type === 'alert');
const actions = async (meetingId: string) => (await server.server.audit.forMeeting(meetingId)).map((r) => r.action);

async function meetingWithGuest(settings = {}) {
  const meeting = await server.createMeeting({ settings: { ...OPEN_DOORS, ...settings } });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const guest = await joinAdmitted(server, meeting, 'Gail Guest', { device: await server.newDevice() });
  return { meeting, host, guest };
}

const upload = (meetingId: string, token: string, name: string, data: Buffer): Promise<Response> => uploadFile(server, meetingId, token, name, data);

test('every switch is off by default for participants and enforced by the server; moderators hear of each attempt', async () => {
  const { meeting, host, guest } = await meetingWithGuest();
  const g = guest.client;
  assert.deepEqual(guest.state.settings.features, {
    chat: false, privateChat: false, screenShare: 'hosts', fileSharing: false, reactions: false,
    raiseHand: true, renameSelf: false, unmuteSelf: true, startVideo: true,
  });
  const refused: [string, Record<string, unknown>][] = [
    ['chat', { text: 'hello' }],
    ['chat', { text: 'psst', to: host.state.self.id }],
    ['react', { emoji: '👍' }],
    ['rename', { displayName: 'Someone Else' }],
    ['publish', { source: 'screen', kind: 'video', rtpParameters: {} }],
  ];
  for (const [type, fields] of refused) assert.equal(errorCode(await g.requestRaw(type, fields)), 'feature_disabled', type);
  const file = await upload(meeting.id, guest.state.participantToken, 'notes.txt', Buffer.from('hello'));
  assert.equal(file.status, 403);
  assert.equal(((await file.json()) as { error: { code: string } }).error.code, 'feature_disabled');

  await host.client.waitFor((m) => m.type === 'alert' && m.attempted === 'file', 10_000, 0);
  const seen = alerts(host.client).filter((a) => a.kind === 'untrusted-activity');
  assert.deepEqual(seen.map((a) => a.attempted), ['chat', 'private-chat', 'reaction', 'rename', 'screen-share', 'file']);
  assert.ok(seen.every((a) => a.participantId === guest.state.self.id && a.participantName === 'Gail Guest'));
  assert.equal(alerts(g).length, 0, 'only moderators get alerts');

  // The host turns switches on live: everyone learns at once, and the server now accepts.
  await host.client.request('updateSettings', { settings: { features: { chat: true, reactions: true, renameSelf: true, fileSharing: true } } });
  const update = await g.waitFor<Msg<'settingsUpdated'>>((m) => m.type === 'settingsUpdated', 10_000, 0);
  assert.equal(update.settings.features.chat, true);
  assert.equal((await g.request('chat', { text: 'hello' })).status, 'sent');
  await g.request('react', { emoji: '👍' });
  await g.request('rename', { displayName: 'Gail G.' });
  assert.equal((await upload(meeting.id, guest.state.participantToken, 'notes.txt', Buffer.from('hello'))).status, 201);
  assert.equal(errorCode(await g.requestRaw('chat', { text: 'psst', to: host.state.self.id })), 'feature_disabled', 'private chat is its own switch');

  // Raise hand can be switched off too; moderators are never bound by switches.
  await host.client.request('updateSettings', { settings: { features: { raiseHand: false } } });
  await g.waitFor((m) => m.type === 'settingsUpdated' && !m.settings.features.raiseHand, 10_000, 0);
  assert.equal(errorCode(await g.requestRaw('raiseHand', { raised: true })), 'feature_disabled');
  await host.client.request('raiseHand', { raised: true });
  // Start video off: a camera may not even be published.
  await host.client.request('updateSettings', { settings: { features: { startVideo: false } } });
  await g.waitFor((m) => m.type === 'settingsUpdated' && !m.settings.features.startVideo, 10_000, 0);
  assert.equal(errorCode(await g.requestRaw('publish', { source: 'camera', kind: 'video', rtpParameters: {} })), 'feature_disabled');
  const log = await actions(meeting.id);
  assert.ok(log.filter((a) => a === 'forbidden').length >= 7);
  assert.ok(log.includes('meeting.settings'));
  await Promise.all([host.client.close(), g.close()]);
});

test('muting is enforced by the SFU: a muted microphone stops reaching others, and unmuting needs permission', async () => {
  const { host, guest } = await meetingWithGuest({ features: { unmuteSelf: false } });
  const subscriber = await new TestMedia(host.client, host.state).setup();
  const publisher = await new TestMedia(guest.client, guest.state).setup();
  const mic = await publisher.publish('microphone');
  const published = await guest.client.waitFor<Msg<'trackUpdated'>>((m) => m.type === 'trackUpdated', 10_000, 0);
  assert.deepEqual([published.track.muted, published.track.mutedByModerator], [true, true], 'with unmuting off, a microphone starts muted');
  assert.equal(errorCode(await guest.client.requestRaw('setMuted', { trackId: mic.trackId, muted: false })), 'feature_disabled');
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal((await subscriber.count(mic.trackId)), 0, 'nothing of a muted track is forwarded');

  // The host asks; the guest may unmute once, and is heard.
  await host.client.request('askToUnmute', { participantId: guest.state.self.id });
  assert.equal((await guest.client.waitFor<Msg<'moderatorAction'>>((m) => m.type === 'moderatorAction', 10_000, 0)).action, 'unmuteRequested');
  await guest.client.request('setMuted', { trackId: mic.trackId, muted: false });
  await subscriber.waitForMedia(mic.trackId, 10);

  // The host mutes them: forwarding stops although the guest keeps sending.
  await host.client.request('mute', { participantId: guest.state.self.id });
  await new Promise((r) => setTimeout(r, 500));
  const count = (await subscriber.count(mic.trackId));
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok((await subscriber.count(mic.trackId)) - count <= 5, 'forwarding stopped after the mute');
  assert.equal(errorCode(await guest.client.requestRaw('setMuted', { trackId: mic.trackId, muted: false })), 'feature_disabled', 'the request was good once');
  publisher.close();
  subscriber.close();
  await Promise.all([host.client.close(), guest.client.close()]);
});

test('removed people stay out: same browser under a new name, same account from a new browser, same link; until allowed back', async () => {
  const external = await server.createUser('ex@partner.test', 'external', 'Ex Ternal');
  const { meeting, host } = await meetingWithGuest();
  const device = await server.newDevice();
  const guest = await joinAdmitted(server, meeting, 'Trouble', { device });
  const member = await joinAdmitted(server, meeting, 'x', { as: external, device: await server.newDevice() });

  for (const victim of [guest, member]) {
    await host.client.request('remove', { participantId: victim.state.self.id });
    const bye = await victim.client.waitFor<Msg<'bye'>>((m) => m.type === 'bye', 10_000, 0);
    assert.equal(bye.reason, 'removed');
    await victim.client.closed();
  }
  // The host hears of each leaving on its own socket, in its own time: wait for both.
  const leftMessages = (): Msg<'participantLeft'>[] => host.client.messages.filter((m): m is Msg<'participantLeft'> => m.type === 'participantLeft');
  await eventually(() => leftMessages().length >= 2, 'the host hears both leave');
  assert.deepEqual(leftMessages().map((m) => m.reason), ['removed', 'removed']);
  const removedList = await host.client.waitFor<Msg<'removedUpdated'>>((m) => m.type === 'removedUpdated' && m.entries.length === 2, 10_000, 0);

  const refusedRoutes: [string, Parameters<typeof join>[3], string][] = [
    ['same browser, new name', { device }, 'Totally New Name'],
    ['same browser, same link and name', { device }, 'Trouble'],
    ['same account, new browser', { as: external, device: await server.newDevice() }, 'x'],
    ['same account, no browser cookie', { as: external }, 'x'],
  ];
  for (const [route, presenting, name] of refusedRoutes) {
    await assert.rejects(join(server, meeting, name, presenting), (e: { code?: string }) => e.code === 'removed', route);
  }
  // Someone else in a fresh browser is unaffected.
  const stranger = await joinAdmitted(server, meeting, 'Stranger', { device: await server.newDevice() });

  const entry = removedList.entries.find((e) => e.displayName === 'Trouble');
  await host.client.request('allowBack', { removedId: entry?.id });
  const back = await joinAdmitted(server, meeting, 'Trouble', { device });
  assert.equal(back.state.self.displayName, 'Trouble');
  const log = await actions(meeting.id);
  for (const a of ['participant.removed', 'participant.allowed-back', 'join.refused']) assert.ok(log.includes(a), a);
  await Promise.all([host.client, stranger.client, back.client].map((c) => c.close()));
});

test('removal reaches every tab of the person: their other tabs in the meeting and in the lobby (M1)', async () => {
  const member = await server.createUser('twotabs@parley.test', 'member', 'Two Tabs');
  const { meeting, host } = await meetingWithGuest();
  const device = await server.newDevice();
  const tab1 = await joinAdmitted(server, meeting, 'Trouble', { device });
  const tab2 = await joinAdmitted(server, meeting, 'Trouble', { device });
  const acct1 = await joinAdmitted(server, meeting, 'x', { as: member, device: await server.newDevice() });
  // The host turns the lobby on; a third tab of each waits there.
  await host.client.request('updateSettings', { settings: { lobby: true } });
  const tab3 = await join(server, meeting, 'Trouble', { device });
  const acct2 = await join(server, meeting, 'x', { as: member, device: await server.newDevice() });
  assert.equal(tab3.result.status, 'waiting');
  assert.equal(acct2.result.status, 'waiting');
  await waitForQueue(host.client, (q) => q.length === 2);

  await host.client.request('remove', { participantId: tab1.state.self.id });
  await host.client.request('remove', { participantId: acct1.state.self.id });
  for (const tab of [tab1, tab2, acct1]) {
    const bye = await tab.client.waitFor<Msg<'bye'>>((m) => m.type === 'bye', 15_000, 0);
    assert.equal(bye.reason, 'removed');
    await tab.client.closed();
  }
  for (const waiting of [tab3, acct2]) {
    const status = await waiting.client.waitFor<Msg<'lobbyStatus'>>((m) => m.type === 'lobbyStatus' && m.status === 'denied', 15_000, 0);
    assert.match(status.message ?? '', /removed/);
    await waiting.client.closed();
  }
  // Nothing left to admit, through Admit all or by turning the lobby off.
  assert.deepEqual(await host.client.request('admitAll', {}), { admitted: 0 });
  await host.client.request('updateSettings', { settings: { lobby: false } });
  const joined = host.client.messages.filter((m): m is Msg<'participantJoined'> => m.type === 'participantJoined').map((m) => m.participant.displayName);
  assert.deepEqual(joined.filter((n) => n === 'Trouble' || n === 'Two Tabs').length, 3, 'only the three tabs that were in before removal ever joined');
  assert.equal(tab2.client.open, false);
  await host.client.close();
});

test('only moderators moderate; co-hosts cannot act on hosts', async () => {
  const { meeting, host, guest } = await meetingWithGuest();
  const other = await joinAdmitted(server, meeting, 'Other');
  for (const [type, fields] of [
    ['remove', { participantId: other.state.self.id }],
    ['mute', { participantId: other.state.self.id }],
    ['muteAll', {}],
    ['askToUnmute', { participantId: other.state.self.id }],
    ['stopVideo', { participantId: other.state.self.id }],
    ['stopScreenShare', { participantId: other.state.self.id }],
    ['rename', { participantId: other.state.self.id, displayName: 'Renamed' }],
    ['lowerAllHands', {}],
    ['suspend', {}],
    ['approveMessage', { messageId: 'abcdefgh' }],
    ['allowBack', { removedId: 'abcdefgh' }],
  ] as const) {
    assert.equal(errorCode(await guest.client.requestRaw(type, fields)), 'forbidden', type);
  }
  assert.ok(other.client.open);
  // Guests are made co-hosts only where the organization's policy allows it.
  assert.equal(errorCode(await host.client.requestRaw('setRole', { participantId: guest.state.self.id, role: 'cohost' })), 'forbidden', 'guests do not moderate by default');
  const store = server.server.policy;
  const policy = store.current();
  await store.update({ ...policy, guestsMayModerate: true }, { actor: 'test', clientAddress: null });
  await host.client.request('setRole', { participantId: guest.state.self.id, role: 'cohost' });
  assert.equal(errorCode(await guest.client.requestRaw('remove', { participantId: host.state.self.id })), 'forbidden', 'a co-host cannot remove the host');
  await guest.client.request('rename', { participantId: other.state.self.id, displayName: 'Renamed' });
  const renamed = await other.client.waitFor<Msg<'participantUpdated'>>((m) => m.type === 'participantUpdated' && m.participant.id === other.state.self.id, 10_000, 0);
  assert.equal(renamed.participant.displayName, 'Renamed');
  // Turning the policy back off demotes the guest co-host at once.
  const since = other.client.messages.length;
  await store.update(policy, { actor: 'test', clientAddress: null });
  const demoted = await other.client.waitFor<Msg<'participantUpdated'>>((m) => m.type === 'participantUpdated' && m.participant.id === guest.state.self.id, 5000, since);
  assert.equal(demoted.participant.role, 'guest');
  assert.equal(errorCode(await guest.client.requestRaw('lowerAllHands', {})), 'forbidden', 'no longer a moderator');
  await Promise.all([host.client, guest.client, other.client].map((c) => c.close()));
});

test('hands, stop video, stop sharing, suspend and report', async () => {
  const { meeting, host, guest } = await meetingWithGuest({ features: { screenShare: 'everyone' } });
  const subscriber = await new TestMedia(host.client, host.state).setup();
  const publisher = await new TestMedia(guest.client, guest.state).setup();
  const cam = await publisher.publish('camera');
  const screen = await publisher.publish('screen');
  const mic = await publisher.publish('microphone');
  await subscriber.waitForMedia(screen.trackId, 5);
  await subscriber.waitForMedia(mic.trackId, 5);

  await guest.client.request('raiseHand', { raised: true });
  await host.client.waitFor((m) => m.type === 'participantUpdated' && m.participant.handRaised, 10_000, 0);
  await host.client.request('lowerAllHands', {});
  await guest.client.waitFor((m) => m.type === 'participantUpdated' && m.participant.id === guest.state.self.id && !m.participant.handRaised, 10_000, 0);

  await host.client.request('stopVideo', { participantId: guest.state.self.id });
  await host.client.request('stopScreenShare', { participantId: guest.state.self.id });
  await guest.client.waitFor((m) => m.type === 'moderatorAction' && m.action === 'screenShareStopped', 10_000, 0);
  const stopped = guest.client.messages.filter((m): m is Msg<'moderatorAction'> => m.type === 'moderatorAction').map((m) => m.action);
  assert.deepEqual(stopped, ['handLowered', 'videoStopped', 'screenShareStopped']);
  const stoppedTracks = host.client.messages.filter((m): m is Msg<'trackUpdated'> => m.type === 'trackUpdated' && m.track.mutedByModerator);
  assert.deepEqual(new Set(stoppedTracks.map((m) => m.track.id)), new Set([cam.trackId, screen.trackId]));
  // Sharing is open to everyone in this meeting, so they may share again.
  await guest.client.request('setMuted', { trackId: screen.trackId, muted: false });

  await host.client.request('updateSettings', { settings: { features: { chat: true } } });
  await host.client.request('suspend', {});
  const settings = await guest.client.waitFor<Msg<'settingsUpdated'>>((m) => m.type === 'settingsUpdated' && m.settings.locked, 10_000, 0);
  assert.ok(Object.entries(settings.settings.features).every(([k, v]) => (k === 'screenShare' ? v === 'hosts' : v === false)), 'every switch off');
  const mutedNow = host.client.messages.filter((m): m is Msg<'trackUpdated'> => m.type === 'trackUpdated' && m.track.id === mic.trackId).at(-1);
  assert.equal(mutedNow?.track.mutedByModerator, true);
  assert.equal(errorCode(await guest.client.requestRaw('chat', { text: 'still here?' })), 'feature_disabled');
  assert.equal(errorCode(await guest.client.requestRaw('setMuted', { trackId: cam.trackId, muted: false })), 'feature_disabled');
  await assert.rejects(join(server, meeting, 'Late'), (e: { code?: string }) => e.code === 'meeting_locked');
  await new Promise((r) => setTimeout(r, 500));
  const before = (await subscriber.count(mic.trackId));
  await new Promise((r) => setTimeout(r, 1500));
  assert.ok((await subscriber.count(mic.trackId)) - before <= 5, 'suspended audio is not forwarded');

  await guest.client.request('report', { participantId: host.state.self.id, note: 'Testing the report path' });
  const reports = (await (await server.api('GET', '/api/admin/reports', undefined, server.admin)).json()) as { reports: { note: string; meetingId: string }[] };
  assert.ok(reports.reports.some((r) => r.note === 'Testing the report path' && r.meetingId === meeting.id));
  assert.equal((await server.api('GET', '/api/admin/reports')).status, 401);
  const log = await actions(meeting.id);
  for (const a of ['meeting.hands-lowered', 'participant.video-stopped', 'participant.screen-share-stopped', 'meeting.suspended', 'participant.reported']) assert.ok(log.includes(a), a);
  publisher.close();
  subscriber.close();
  await Promise.all([host.client.close(), guest.client.close()]);
});

test('disruption: repeated forbidden attempts alert the moderators and, if chosen, lock the meeting', async () => {
  const { host, guest } = await meetingWithGuest({ autoLockOnDisruption: true });
  for (let i = 0; i < 3; i++) await guest.client.requestRaw('lock', { locked: false });
  const alert = await host.client.waitFor<Msg<'alert'>>((m) => m.type === 'alert' && m.kind === 'disruption', 10_000, 0);
  assert.deepEqual([alert.attempted, alert.participantId, alert.locked], ['forbidden-burst', guest.state.self.id, true]);
  const settings = await guest.client.waitFor<Msg<'settingsUpdated'>>((m) => m.type === 'settingsUpdated', 10_000, 0);
  assert.equal(settings.settings.locked, true);
  await Promise.all([host.client.close(), guest.client.close()]);
});
