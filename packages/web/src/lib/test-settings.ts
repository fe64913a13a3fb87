/** For the web's unit tests: a meeting's effective settings at Parley's safe defaults. */
import type { MeetingSettings } from '@parley/protocol';

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
