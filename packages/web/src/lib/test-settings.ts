/** For the web's unit tests: a meeting's effective settings at Parley's safe defaults, and a joined meeting. */
import type { MeetingSettings, RoomState } from '@parley/protocol';
import { initialMeetingState, meetingReducer, type LocalMedia, type MeetingState } from './meetingState.js';

export const TEST_SETTINGS: MeetingSettings = {
  access: 'anyone',
  lobby: true,
  joinBeforeHost: false,
  membersSkipLobby: false,
  public: false,
  features: { chat: false, privateChat: false, screenShare: 'hosts', fileSharing: false, reactions: false, raiseHand: true, renameSelf: false, unmuteSelf: true, startVideo: true },
  linkPolicy: 'block',
  linkAllowList: [],
  autoLockOnDisruption: false,
  locked: false,
  sensitivity: 'standard',
  e2ee: false,
  forcedBySensitivity: [],
  lockedByPolicy: [],
};

/** Local devices off and unchosen; `micOn` as the test needs. */
export function testLocal(micOn = false): LocalMedia {
  return { micOn, camOn: false, screenOn: false, cameraTrack: null, micTrack: null, cameraId: '', micId: '', screenTrack: null, speakerId: '', deviceError: null };
}

/** A room as the server sends it on admission: `self` and whatever else the test sets, the rest empty. */
export function testRoom(room: Pick<RoomState, 'self'> & Partial<RoomState>): RoomState {
  return {
    meeting: { id: 'k7qm-x2hd-9tfa-wr3p', title: 'T', startedAt: 0 },
    participants: [],
    tracks: [],
    settings: TEST_SETTINGS,
    lobby: [],
    chat: [],
    files: [],
    removed: [],
    held: [],
    participantToken: 'secret-token-0123456789',
    media: { rtpCapabilities: { codecs: [] }, iceServers: [], iceTransportPolicy: 'all' },
    activeSpeaker: null,
    resume: { token: 'resume-token-0123456789', windowSeconds: 60 },
    ...room,
  };
}

/** The meeting state right after admission to `room`. */
export function joinedMeeting(room: RoomState, local: LocalMedia = testLocal()): MeetingState {
  return meetingReducer(initialMeetingState(local), { type: 'joined', state: room });
}
