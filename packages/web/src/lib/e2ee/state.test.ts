/** The meeting state's end-to-end encryption part: the view, verified marks, encrypted chat across a resume. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage, MeetingSettings, RoomState } from '@parley/protocol';
import { initialMeetingState, meetingReducer, type MeetingState } from '../meetingState.js';
import { isE2eeMeeting } from './meeting.js';
import { JOINING_VIEW } from './session.js';

const SETTINGS: MeetingSettings = {
  access: 'anyone',
  lobby: true,
  joinBeforeHost: false,
  membersSkipLobby: false,
  public: false,
  features: { chat: true, privateChat: false, screenShare: 'hosts', fileSharing: false, reactions: false, raiseHand: true, renameSelf: false, unmuteSelf: true, startVideo: true },
  linkPolicy: 'block',
  linkAllowList: [],
  autoLockOnDisruption: false,
  locked: false,
  sensitivity: 'standard',
  e2ee: false,
  forcedBySensitivity: [],
  lockedByPolicy: [],
};
const LOCAL = { micOn: true, camOn: false, screenOn: false, cameraTrack: null, micTrack: null, cameraId: '', micId: '', screenTrack: null, speakerId: '', deviceError: null };
const room = (chat: ChatMessage[] = []): RoomState => ({
  meeting: { id: 'k7qm-x2hd-9tfa-wr3p', title: 'T', startedAt: 0 },
  self: { id: 'p_self00', displayName: 'Me', role: 'participant', identity: 'guest', handRaised: false, connection: 'connected', joinedAt: 3 },
  participants: [],
  tracks: [],
  settings: SETTINGS,
  lobby: [],
  chat,
  files: [],
  removed: [],
  held: [],
  participantToken: 'secret-token-0123456789',
  media: { rtpCapabilities: { codecs: [] }, iceServers: [], iceTransportPolicy: 'all' as const },
  activeSpeaker: null,
  resume: { token: 'resume-token-0123456789', windowSeconds: 60 },
});
const message = (id: string, text: string): ChatMessage => ({ id, from: 'p_bob000', fromName: 'Bob', to: null, toName: null, text, segments: [{ text }], at: 5 });

test('isE2eeMeeting reads settings.e2ee === true, nothing else', () => {
  assert.equal(isE2eeMeeting(null), false);
  assert.equal(isE2eeMeeting(SETTINGS), false);
  assert.equal(isE2eeMeeting({ ...SETTINGS, e2ee: true } as typeof SETTINGS), true);
  assert.equal(isE2eeMeeting({ ...SETTINGS, e2ee: 'true' } as unknown as typeof SETTINGS), false);
});

test('a standard meeting has no e2ee state; the view replaces itself and keeps the verified marks', () => {
  let s: MeetingState = meetingReducer(initialMeetingState(LOCAL), { type: 'joined', state: room() });
  assert.equal(s.e2ee, null);
  assert.equal(meetingReducer(s, { type: 'e2eeVerified', participantId: 'p_bob000', verified: true }), s, 'nothing to verify without e2ee');
  s = meetingReducer(s, { type: 'e2ee', view: JOINING_VIEW });
  s = meetingReducer(s, { type: 'e2eeVerified', participantId: 'p_bob000', verified: true });
  const view = { status: 'encrypted' as const, epoch: 3, securityCode: '12345 67890 12345 67890 12345 67890', members: [{ participantId: 'p_bob000', displayName: 'Bob', leafIndex: 1 }], error: null };
  s = meetingReducer(s, { type: 'e2ee', view });
  assert.deepEqual(s.e2ee, { ...view, verified: { p_bob000: true } });
  s = meetingReducer(s, { type: 'e2eeVerified', participantId: 'p_bob000', verified: false });
  assert.deepEqual(s.e2ee?.verified, {});
});

test('encrypted messages are kept across a resume (the server has none of them); flagged ones stay flagged', () => {
  let s = meetingReducer(initialMeetingState(LOCAL), { type: 'joined', state: room() });
  s = meetingReducer(s, { type: 'e2eeChat', message: message('e2e-1', 'hello'), flagged: false });
  s = meetingReducer(s, { type: 'e2eeChat', message: message('e2e-2', 'https://x.example'), flagged: true });
  assert.equal(s.chat.unread, 2);
  s = meetingReducer(s, { type: 'resumed', state: room([message('srv-1', 'from the server')]) });
  assert.deepEqual(
    s.chat.messages.map((e) => [e.message.id, e.e2ee ?? false, e.flagged ?? false]),
    [
      ['e2e-1', true, false],
      ['e2e-2', true, true],
      ['srv-1', false, false],
    ],
  );
});
