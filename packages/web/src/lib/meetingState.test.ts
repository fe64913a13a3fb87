/** The meeting reducer: server events in, state out. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LobbyEntry, ParticipantInfo, Role, RoomState, TrackInfo } from '@parley/protocol';
import { hasNewcomer, initialMeetingState, meetingReducer, selfOf, type MeetingState } from './meetingState.js';
import { tilesOf } from './tiles.js';
import { TEST_SETTINGS } from './test-settings.js';

const track = (id: string): MediaStreamTrack => ({ id }) as unknown as MediaStreamTrack;

const SETTINGS = TEST_SETTINGS;
const LOCAL = { micOn: true, camOn: false, screenOn: false, cameraTrack: null, micTrack: null, cameraId: '', micId: '', screenTrack: null, speakerId: '', deviceError: null };

const me = (role: Role): ParticipantInfo => ({ id: 'p_self00', displayName: 'Me', role, identity: 'member', handRaised: false, connection: 'connected', joinedAt: 3 });
const bob: ParticipantInfo = { id: 'p_bob000', displayName: 'Bob', role: 'host', identity: 'member', handRaised: false, connection: 'connected', joinedAt: 1 };
const trackOf = (id: string, source: TrackInfo['source'], muted = false, participantId = 'p_bob000'): TrackInfo => ({
  id,
  participantId,
  kind: source === 'microphone' || source === 'screen-audio' ? 'audio' : 'video',
  source,
  muted,
  mutedByModerator: false,
});
const ROOM_EXTRAS = {
  chat: [],
  files: [],
  removed: [],
  held: [],
  participantToken: 'secret-token-0123456789',
  media: { rtpCapabilities: { codecs: [] }, iceServers: [], iceTransportPolicy: 'all' as const },
  activeSpeaker: null,
  resume: { token: 'resume-token-0123456789', windowSeconds: 60 },
};

function joined(role: Role = 'participant', lobby: LobbyEntry[] = []): MeetingState {
  const state: RoomState = {
    meeting: { id: 'k7qm-x2hd-9tfa-wr3p', title: 'T', startedAt: 0 },
    self: me(role),
    participants: [bob],
    tracks: [trackOf('t_bobmic', 'microphone'), trackOf('t_bobcam', 'camera')],
    settings: SETTINGS,
    lobby,
    ...ROOM_EXTRAS,
  };
  return meetingReducer(initialMeetingState(LOCAL), { type: 'joined', state });
}

const gina: LobbyEntry = { id: 'l_gina00', displayName: 'Gina', identity: 'guest', email: null, since: 5 };

test('join orders participants by join time and keeps their tracks', () => {
  const s = joined();
  assert.equal(s.phase, 'joined');
  assert.deepEqual(s.participants.map((p) => p.displayName), ['Bob', 'Me']);
  assert.equal(Object.keys(s.tracks).length, 2);
});

test('a camera tile shows video only once media arrived and while unmuted', () => {
  let s = joined();
  assert.equal(tilesOf(s).cameras[0]?.video, null);
  s = meetingReducer(s, { type: 'remoteTrack', trackId: 't_bobcam', track: track('x') });
  assert.equal(tilesOf(s).cameras[0]?.video?.id, 'x');
  s = meetingReducer(s, {
    type: 'event',
    event: { type: 'trackUpdated', track: trackOf('t_bobcam', 'camera', true) },
  });
  assert.equal(tilesOf(s).cameras[0]?.video, null);
});

test('a screen share adds its own tile; unpublishing removes it and its media', () => {
  let s = joined();
  const screen = trackOf('t_bobscr', 'screen');
  s = meetingReducer(s, { type: 'event', event: { type: 'trackPublished', track: screen } });
  s = meetingReducer(s, { type: 'remoteTrack', trackId: 't_bobscr', track: track('s') });
  assert.equal(tilesOf(s).screens.length, 1);
  s = meetingReducer(s, { type: 'event', event: { type: 'trackUnpublished', trackId: 't_bobscr' } });
  assert.equal(tilesOf(s).screens.length, 0);
  assert.equal('t_bobscr' in s.media, false);
});

test('a participant leaving takes their tracks and media along', () => {
  let s = joined();
  s = meetingReducer(s, { type: 'remoteTrack', trackId: 't_bobcam', track: track('x') });
  s = meetingReducer(s, { type: 'event', event: { type: 'participantLeft', participantId: 'p_bob000', reason: 'left' } });
  assert.deepEqual(s.participants.map((p) => p.id), ['p_self00']);
  assert.deepEqual(s.tracks, {});
  assert.deepEqual(s.media, {});
});

test('nothing changes after the session ended', () => {
  let s = meetingReducer(joined(), { type: 'ended', ending: { code: 'left', message: '' } });
  const before = s;
  s = meetingReducer(s, { type: 'event', event: { type: 'participantLeft', participantId: 'p_bob000', reason: 'left' } });
  assert.equal(s, before);
});

test('waiting: only the status is known, until admitted with the room state', () => {
  let s = meetingReducer(initialMeetingState(LOCAL), { type: 'waiting', status: 'waiting-for-host' });
  assert.equal(s.phase, 'waiting');
  assert.equal(s.meeting, null);
  s = meetingReducer(s, { type: 'event', event: { type: 'lobbyStatus', status: 'waiting' } });
  assert.equal(s.waiting, 'waiting');
  s = meetingReducer(s, { type: 'joined', state: { ...joinedRoom(), self: me('guest') } });
  assert.equal(s.phase, 'joined');
  assert.equal(s.waiting, null);
});

function joinedRoom(): RoomState {
  return { meeting: { id: 'k7qm-x2hd-9tfa-wr3p', title: 'T', startedAt: 0 }, self: me('participant'), participants: [], tracks: [], settings: SETTINGS, lobby: [], ...ROOM_EXTRAS };
}

test('a knock updates the queue and adds a notice that goes when the knocker leaves the queue', () => {
  let s = joined('host');
  s = meetingReducer(s, { type: 'event', event: { type: 'lobbyUpdated', entries: [gina], knock: gina.id } });
  assert.deepEqual(s.lobby, [gina]);
  assert.deepEqual(s.notices.map((n) => [n.kind, n.text]), [['knock', 'Gina is waiting in the waiting room']]);
  s = meetingReducer(s, { type: 'event', event: { type: 'lobbyUpdated', entries: [] } });
  assert.deepEqual(s.lobby, []);
  assert.deepEqual(s.notices, [], 'admitted or denied: the knock notice is gone');
});

test('lobby changes apply to the queue: a knock adds its entry, leavers are removed (L8)', () => {
  const ivy: LobbyEntry = { ...gina, id: 'l_ivy000', displayName: 'Ivy' };
  let s = joined('host');
  s = meetingReducer(s, { type: 'event', event: { type: 'lobbyChanged', added: [gina], removed: [], knock: gina.id } });
  s = meetingReducer(s, { type: 'event', event: { type: 'lobbyChanged', added: [ivy], removed: [], knock: ivy.id } });
  assert.deepEqual(s.lobby, [gina, ivy]);
  assert.equal(s.notices.length, 2);
  s = meetingReducer(s, { type: 'event', event: { type: 'lobbyChanged', added: [], removed: [gina.id] } });
  assert.deepEqual(s.lobby, [ivy]);
  assert.deepEqual(s.notices.map((n) => n.lobbyId), [ivy.id], 'the admitted knocker’s notice is gone');
});

test('people who waited for the host are announced when they reach the queue, together', () => {
  const ivy: LobbyEntry = { ...gina, id: 'l_ivy000', displayName: 'Ivy' };
  let s = joined('host');
  assert.equal(hasNewcomer(s, [gina, ivy]), true);
  s = meetingReducer(s, { type: 'event', event: { type: 'lobbyUpdated', entries: [gina, ivy] } });
  assert.deepEqual(s.notices.map((n) => n.text), ['2 people are waiting in the waiting room']);
  assert.equal(hasNewcomer(s, [ivy]), false, 'someone leaving the queue is no knock');
  assert.equal(joined('host', [gina]).notices[0]?.text, 'Gina is waiting in the waiting room', 'a queue found on joining is announced');
});

test('a dismissed security alert collapses into the Activity list; settings updates replace the settings (the lock)', () => {
  let s = joined('cohost');
  s = meetingReducer(s, { type: 'event', event: { type: 'alert', kind: 'passcode-guessing', message: 'Many wrong passcodes' } });
  assert.equal(s.alerts[0]?.kind, 'passcode-guessing');
  assert.equal(s.alerts[0]?.collapsed, false);
  s = meetingReducer(s, { type: 'dismissAlert', id: s.alerts[0]?.id ?? 0 });
  assert.deepEqual(s.alerts.map((a) => [a.kind, a.collapsed]), [['passcode-guessing', true]]);
  s = meetingReducer(s, { type: 'event', event: { type: 'settingsUpdated', settings: { ...SETTINGS, locked: true } } });
  assert.equal(s.settings?.locked, true);
});

test('role changes: promotion from view-only is announced; losing the co-host role clears the queue', () => {
  let s = joined('attendee');
  s = meetingReducer(s, { type: 'event', event: { type: 'participantUpdated', participant: me('participant') } });
  assert.equal(selfOf(s)?.role, 'participant');
  assert.match(s.notices.at(-1)?.text ?? '', /allowed you to speak/);

  s = joined('cohost', [gina]);
  s = meetingReducer(s, { type: 'event', event: { type: 'participantUpdated', participant: me('participant') } });
  assert.deepEqual(s.lobby, []);
  assert.match(s.notices.at(-1)?.text ?? '', /no longer a co-host/);

  // Someone else's role change is no notice for me.
  s = joined('host');
  s = meetingReducer(s, { type: 'event', event: { type: 'participantUpdated', participant: { ...bob, role: 'cohost' } } });
  assert.equal(s.participants.find((p) => p.id === 'p_bob000')?.role, 'cohost');
  assert.deepEqual(s.notices, []);
});

test('notices are bounded and dismissable', () => {
  let s = joined('host');
  for (let i = 0; i < 8; i++) s = meetingReducer(s, { type: 'notice', kind: 'error', text: `e${i}` });
  assert.equal(s.notices.length, 5);
  assert.equal(s.notices[0]?.text, 'e3');
  s = meetingReducer(s, { type: 'dismiss', id: s.notices[0]?.id ?? 0 });
  assert.equal(s.notices.length, 4);
});

test('untrusted activity: alerts fold repeats, say when the person was removed, and go with the moderator role', () => {
  let s = joined('host');
  const alert = { type: 'alert', kind: 'untrusted-activity', attempted: 'link', participantId: 'p_bob000', participantName: 'Bob', message: 'Bob tried to post a link.' } as const;
  s = meetingReducer(s, { type: 'event', event: alert });
  s = meetingReducer(s, { type: 'event', event: alert });
  assert.equal(s.alerts.length, 1);
  assert.equal(s.alerts[0]?.count, 2);
  s = meetingReducer(s, { type: 'event', event: { type: 'participantLeft', participantId: 'p_bob000', reason: 'removed' } });
  assert.equal(s.alerts[0]?.removed, true);
  s = meetingReducer(s, { type: 'event', event: { type: 'removedUpdated', entries: [{ id: 'r_000001', displayName: 'Bob', identity: 'guest', at: 5 }] } });
  assert.equal(s.removed.length, 1);
  s = meetingReducer(s, { type: 'event', event: { type: 'participantUpdated', participant: me('participant') } });
  assert.deepEqual([s.alerts, s.removed], [[], []], 'a former moderator keeps nothing only moderators see');
});

test('a moderator’s actions on me: a notice, and the request to unmute as a prompt that allows unmuting once', () => {
  let s = joined('guest');
  s = meetingReducer(s, { type: 'event', event: { type: 'moderatorAction', action: 'videoStopped', by: 'Hana' } });
  assert.equal(s.notices.at(-1)?.text, 'Hana stopped your video.');
  s = meetingReducer(s, { type: 'event', event: { type: 'moderatorAction', action: 'unmuteRequested', by: 'Hana' } });
  assert.deepEqual([s.unmutePrompt, s.unmuteGranted], [{ by: 'Hana' }, true]);
  s = meetingReducer(s, { type: 'unmuteAnswered' });
  assert.deepEqual([s.unmutePrompt, s.unmuteGranted], [null, true], 'staying muted keeps the permission for later');
  s = meetingReducer(s, { type: 'unmuteUsed' });
  assert.equal(s.unmuteGranted, false);
});

test('reactions float over the reacting participant’s tile until done; raised hands show', () => {
  let s = joined();
  s = meetingReducer(s, { type: 'event', event: { type: 'reaction', participantId: 'p_bob000', emoji: '🎉' } });
  const bobTile = (): ReturnType<typeof tilesOf>['cameras'][number] | undefined => tilesOf(s).cameras.find((t) => t.participant.id === 'p_bob000');
  assert.equal(bobTile()?.reaction?.emoji, '🎉');
  s = meetingReducer(s, { type: 'reactionDone', id: s.reactions[0]?.id ?? 0 });
  assert.equal(bobTile()?.reaction, null);
  s = meetingReducer(s, { type: 'event', event: { type: 'participantUpdated', participant: { ...bob, handRaised: true } } });
  assert.equal(bobTile()?.participant.handRaised, true);
});

test('joining brings the chat history, files, removed list and held queue', () => {
  const message = { id: 'm_000001', from: 'p_bob000', fromName: 'Bob', to: null, toName: null, text: 'hi', segments: [{ text: 'hi' }], at: 1 };
  const state: RoomState = { ...joinedRoom(), self: me('host'), chat: [message], held: [{ ...message, id: 'm_000002' }], removed: [{ id: 'r_000001', displayName: 'X', identity: 'guest', at: 1 }] };
  const s = meetingReducer(initialMeetingState(LOCAL), { type: 'joined', state });
  assert.deepEqual([s.chat.messages.length, s.chat.held.length, s.removed.length, s.chat.unread], [1, 1, 1, 0]);
});

const carl: ParticipantInfo = { ...bob, id: 'p_carl00', displayName: 'Carl', role: 'participant', joinedAt: 2 };

test('the active speaker: from the room state and events; the speaker view follows the last one who is not me', () => {
  let s = meetingReducer(initialMeetingState(LOCAL), { type: 'joined', state: { ...joinedRoom(), participants: [bob, carl], activeSpeaker: 'p_bob000' } });
  assert.deepEqual([s.activeSpeaker, s.speakerFocus], ['p_bob000', 'p_bob000']);
  assert.equal(tilesOf(s).cameras.find((t) => t.participant.id === 'p_bob000')?.speaking, true);
  s = meetingReducer(s, { type: 'event', event: { type: 'activeSpeaker', participantId: 'p_self00' } });
  assert.deepEqual([s.activeSpeaker, s.speakerFocus], ['p_self00', 'p_bob000'], 'speaking myself keeps the others large');
  s = meetingReducer(s, { type: 'event', event: { type: 'activeSpeaker', participantId: 'p_carl00' } });
  assert.deepEqual([s.activeSpeaker, s.speakerFocus], ['p_carl00', 'p_carl00']);
  const unchanged = meetingReducer(s, { type: 'event', event: { type: 'activeSpeaker', participantId: 'p_carl00' } });
  assert.equal(unchanged, s, 'the same speaker again changes nothing');
  s = meetingReducer(s, { type: 'event', event: { type: 'activeSpeaker', participantId: 'p_nobody' } });
  assert.equal(s.activeSpeaker, null, 'someone unknown is nobody');
  s = meetingReducer(s, { type: 'event', event: { type: 'activeSpeaker', participantId: 'p_carl00' } });
  s = meetingReducer(s, { type: 'event', event: { type: 'participantLeft', participantId: 'p_carl00', reason: 'left' } });
  assert.deepEqual([s.activeSpeaker, s.speakerFocus], [null, null], 'a speaker who left is nobody');
});

test('view: the mode, a pin (which shows the speaker view), pages; a pinned person leaving unpins', () => {
  let s = joined();
  assert.deepEqual(s.view, { mode: 'grid', pinned: null, page: 0 });
  s = meetingReducer(s, { type: 'page', page: 2 });
  assert.equal(s.view.page, 2);
  s = meetingReducer(s, { type: 'viewMode', mode: 'speaker' });
  assert.deepEqual(s.view, { mode: 'speaker', pinned: null, page: 0 }, 'another layout starts at its first page');
  s = meetingReducer(s, { type: 'viewMode', mode: 'grid' });
  s = meetingReducer(s, { type: 'pin', key: 'p_bob000:camera' });
  assert.deepEqual(s.view, { mode: 'speaker', pinned: 'p_bob000:camera', page: 0 });
  assert.equal(tilesOf(s).cameras.find((t) => t.participant.id === 'p_bob000')?.pinned, true);
  s = meetingReducer(s, { type: 'pin', key: null });
  assert.deepEqual(s.view, { mode: 'speaker', pinned: null, page: 0 }, 'unpinning keeps the view');
  s = meetingReducer(s, { type: 'pin', key: 'p_bob000:camera' });
  s = meetingReducer(s, { type: 'event', event: { type: 'participantLeft', participantId: 'p_bob000', reason: 'left' } });
  assert.equal(s.view.pinned, null);
  assert.equal(meetingReducer(s, { type: 'page', page: -3 }).view.page, 0);
});

test('reconnecting, then resumed: the room state replaces what was known, remote media comes again, my choices stay', () => {
  let s = meetingReducer(joined('host'), { type: 'remoteTrack', trackId: 't_bobcam', track: track('x') });
  s = meetingReducer(s, { type: 'chatOpen', open: true });
  s = meetingReducer(s, { type: 'pin', key: 'p_bob000:camera' });
  s = meetingReducer(s, { type: 'event', event: { type: 'lobbyUpdated', entries: [gina] } });
  const noticesBefore = s.notices.length;
  assert.equal(meetingReducer(initialMeetingState(LOCAL), { type: 'reconnecting' }).reconnecting, false, 'not before joining');
  s = meetingReducer(s, { type: 'reconnecting' });
  assert.equal(s.reconnecting, true);
  const room: RoomState = { ...joinedRoom(), self: { ...me('host'), handRaised: true }, participants: [bob], tracks: [trackOf('t_bobcam2', 'camera')], lobby: [gina] };
  s = meetingReducer(s, { type: 'resumed', state: room });
  assert.equal(s.reconnecting, false);
  assert.equal(s.phase, 'joined');
  assert.deepEqual(s.media, {}, 'new transports: remote media comes again');
  assert.deepEqual(Object.keys(s.tracks), ['t_bobcam2']);
  assert.equal(selfOf(s)?.handRaised, true, 'the same participant: role and hand as the server keeps them');
  assert.equal(s.view.pinned, 'p_bob000:camera');
  assert.equal(s.chat.open, true);
  assert.equal(s.notices.length, noticesBefore, 'someone already waiting is not announced again');
  const bobGone = meetingReducer(s, { type: 'resumed', state: { ...room, participants: [] } });
  assert.equal(bobGone.view.pinned, null, 'a pin on someone who left while I was away goes');
});

test('a participant whose connection dropped shows as reconnecting on their tile', () => {
  let s = joined();
  s = meetingReducer(s, { type: 'event', event: { type: 'participantUpdated', participant: { ...bob, connection: 'reconnecting' } } });
  assert.equal(tilesOf(s).cameras.find((t) => t.participant.id === 'p_bob000')?.reconnecting, true);
  s = meetingReducer(s, { type: 'event', event: { type: 'participantUpdated', participant: bob } });
  assert.equal(tilesOf(s).cameras.find((t) => t.participant.id === 'p_bob000')?.reconnecting, false);
});

test('mediaReset drops remote media (new transports), and is a no-op without any', () => {
  let s = meetingReducer(joined(), { type: 'remoteTrack', trackId: 't_bobcam', track: track('x') });
  s = meetingReducer(s, { type: 'mediaReset' });
  assert.deepEqual(s.media, {});
  assert.equal(meetingReducer(s, { type: 'mediaReset' }), s);
});

test('the class: from the join result in the lobby, a lobby status when raised, then the settings', () => {
  let s = meetingReducer(initialMeetingState(LOCAL), { type: 'waiting', status: 'waiting' });
  assert.equal(s.sensitivity, 'standard', 'a waiting result without a class is a standard meeting');
  s = meetingReducer(s, { type: 'event', event: { type: 'lobbyStatus', status: 'waiting' } });
  assert.equal(s.sensitivity, 'standard', 'a status without a class changes nothing');
  s = meetingReducer(s, { type: 'event', event: { type: 'lobbyStatus', status: 'waiting', sensitivity: 'sensitive' } });
  assert.deepEqual([s.phase, s.waiting, s.sensitivity], ['waiting', 'waiting', 'sensitive']);
  const waitingSensitive = meetingReducer(initialMeetingState(LOCAL), { type: 'waiting', status: 'waiting', sensitivity: 'sensitive' });
  assert.equal(waitingSensitive.sensitivity, 'sensitive');

  let m = joined('host');
  assert.equal(m.sensitivity, 'standard');
  const raised = { ...SETTINGS, sensitivity: 'sensitive' as const, e2ee: true, access: 'organization' as const, forcedBySensitivity: ['lobby'] };
  m = meetingReducer(m, { type: 'event', event: { type: 'settingsUpdated', settings: raised } });
  assert.deepEqual([m.sensitivity, m.settings?.sensitivity, m.settings?.e2ee], ['sensitive', 'sensitive', true]);
  assert.equal(m.issuedPasscode, null);
  m = meetingReducer(m, { type: 'passcodeIssued', passcode: 'new-passcode-1' });
  assert.equal(m.issuedPasscode, 'new-passcode-1');
});
