/**
 * One permission check. Every signaling message maps to one action; `can(actor, action, room)`
 * decides it from a single table of roles by actions, where a cell is a yes, a no, or a rule over
 * the meeting's collaboration switches. Tested as the full matrix.
 */
import type { ClientMessage, MeetingSettings, Role } from '@parley/protocol';

export const ACTIONS = [
  'media.publish',
  'media.screenShare',
  'media.unmuteSelf',
  'media.startVideo',
  'chat.send',
  'chat.private',
  'file.share',
  'reaction.send',
  'hand.raise',
  'self.rename',
  'participant.report',
  'lobby.manage',
  'meeting.lock',
  'meeting.settings',
  'meeting.sensitivity',
  'meeting.end',
  'meeting.suspend',
  'moderate.participants',
  'role.cohost',
  'role.promoteAttendee',
] as const;
export type Action = (typeof ACTIONS)[number];

export const ROLES: readonly Role[] = ['host', 'cohost', 'participant', 'guest', 'attendee'];

/** What rules may depend on: the meeting's effective settings. */
export interface RoomFacts {
  settings: MeetingSettings;
}

type Rule = boolean | ((room: RoomFacts) => boolean);

/** Participants and guests may, when the switch is on. Moderators always may; attendees never. */
const switched = (on: (room: RoomFacts) => boolean): Record<Role, Rule> => ({
  host: true,
  cohost: true,
  participant: on,
  guest: on,
  attendee: false,
});
const MODERATORS: Record<Role, Rule> = { host: true, cohost: true, participant: false, guest: false, attendee: false };
const HOST_ONLY: Record<Role, Rule> = { host: true, cohost: false, participant: false, guest: false, attendee: false };

/** The table. A row per action; a column per role. */
const TABLE: Record<Action, Record<Role, Rule>> = {
  'media.publish': { host: true, cohost: true, participant: true, guest: true, attendee: false },
  'media.screenShare': switched((r) => r.settings.features.screenShare === 'everyone'),
  'media.unmuteSelf': switched((r) => r.settings.features.unmuteSelf),
  'media.startVideo': switched((r) => r.settings.features.startVideo),
  'chat.send': switched((r) => r.settings.features.chat),
  'chat.private': switched((r) => r.settings.features.chat && r.settings.features.privateChat),
  'file.share': switched((r) => r.settings.features.fileSharing),
  'reaction.send': switched((r) => r.settings.features.reactions),
  'hand.raise': switched((r) => r.settings.features.raiseHand),
  'self.rename': switched((r) => r.settings.features.renameSelf),
  'participant.report': { host: true, cohost: true, participant: true, guest: true, attendee: true },
  'lobby.manage': MODERATORS,
  'meeting.lock': MODERATORS,
  'meeting.suspend': MODERATORS,
  'moderate.participants': MODERATORS,
  'role.promoteAttendee': MODERATORS,
  'meeting.settings': HOST_ONLY,
  'meeting.sensitivity': HOST_ONLY,
  'meeting.end': HOST_ONLY,
  'role.cohost': HOST_ONLY,
};

export interface Actor {
  role: Role;
}

export function can(actor: Actor, action: Action, room: RoomFacts): boolean {
  const rule = TABLE[action][actor.role];
  return typeof rule === 'function' ? rule(room) : rule;
}

/** Moderators: the roles that manage the lobby, see alerts, and act on participants. */
export function isModerator(role: Role): boolean {
  return role === 'host' || role === 'cohost';
}

/**
 * The action each message of an admitted participant needs; null for those every participant may
 * send about themselves (setting up their media and receiving, muting or unpublishing their own
 * tracks, leaving).
 * Unmuting and renaming are refined by the room: unmuting one's microphone needs
 * `media.unmuteSelf`, turning one's camera back on `media.startVideo`, renaming someone else
 * `moderate.participants`.
 */
export function actionFor(message: ClientMessage): Action | null {
  switch (message.type) {
    case 'publish':
      return message.source === 'screen' || message.source === 'screen-audio'
        ? 'media.screenShare'
        : message.source === 'camera'
          ? 'media.startVideo'
          : 'media.publish';
    case 'chat':
      return message.to ? 'chat.private' : 'chat.send';
    case 'e2eeChat':
      return 'chat.send';
    case 'react':
      return 'reaction.send';
    case 'raiseHand':
      return 'hand.raise';
    case 'rename':
      return message.participantId ? 'moderate.participants' : 'self.rename';
    case 'report':
      return 'participant.report';
    case 'admit':
    case 'deny':
    case 'admitAll':
      return 'lobby.manage';
    case 'lock':
      return 'meeting.lock';
    case 'suspend':
      return 'meeting.suspend';
    case 'updateSettings':
      return 'meeting.settings';
    case 'setSensitivity':
      return 'meeting.sensitivity';
    case 'endMeeting':
      return 'meeting.end';
    case 'setRole':
      return message.role === 'cohost' ? 'role.cohost' : 'role.promoteAttendee';
    case 'approveMessage':
    case 'rejectMessage':
    case 'remove':
    case 'allowBack':
    case 'mute':
    case 'muteAll':
    case 'askToUnmute':
    case 'stopVideo':
    case 'stopScreenShare':
    case 'lowerAllHands':
    case 'lowerHand':
      return 'moderate.participants';
    case 'hello':
    case 'join':
    case 'resume':
    case 'setupMedia':
    case 'connectTransport':
    case 'restartIce':
    case 'resumeSubscription':
    case 'setSubscription':
    case 'unpublish':
    case 'setMuted':
    case 'leave':
    case 'e2eeReady':
    case 'e2eeGroupCreated':
    case 'e2eeCommit':
    case 'firstFrame':
      return null;
  }
}
