/**
 * One permission check. Every signaling message maps to one action; `can(actor, action, room)`
 * decides it from a single table of roles by actions. Tested as the full matrix.
 */
import type { ClientMessage, MeetingSettings, Role } from '@parley/protocol';

export const ACTIONS = [
  'media.publish',
  'lobby.manage',
  'meeting.lock',
  'meeting.settings',
  'meeting.end',
  'role.cohost',
  'role.promoteAttendee',
] as const;
export type Action = (typeof ACTIONS)[number];

export const ROLES: readonly Role[] = ['host', 'cohost', 'participant', 'guest', 'attendee'];

type Rule = boolean | ((room: RoomFacts) => boolean);

/** The table. A row per action; a column per role. */
const TABLE: Record<Action, Record<Role, Rule>> = {
  'media.publish': { host: true, cohost: true, participant: true, guest: true, attendee: false },
  'lobby.manage': { host: true, cohost: true, participant: false, guest: false, attendee: false },
  'meeting.lock': { host: true, cohost: true, participant: false, guest: false, attendee: false },
  'meeting.settings': { host: true, cohost: false, participant: false, guest: false, attendee: false },
  'meeting.end': { host: true, cohost: false, participant: false, guest: false, attendee: false },
  'role.cohost': { host: true, cohost: false, participant: false, guest: false, attendee: false },
  'role.promoteAttendee': { host: true, cohost: true, participant: false, guest: false, attendee: false },
};

export interface Actor {
  role: Role;
}

/** What rules may depend on: the meeting's effective settings. */
export interface RoomFacts {
  settings: MeetingSettings;
}

export function can(actor: Actor, action: Action, room: RoomFacts): boolean {
  const rule = TABLE[action][actor.role];
  return typeof rule === 'function' ? rule(room) : rule;
}

/** Moderators: the roles that may manage the lobby (they see the queue and alerts). */
export function isModerator(role: Role): boolean {
  return role === 'host' || role === 'cohost';
}

/**
 * The action each message of an admitted participant needs; null for those every participant may
 * send about themselves (answering offers, muting or unpublishing their own tracks, leaving).
 */
export function actionFor(message: ClientMessage): Action | null {
  switch (message.type) {
    case 'publish':
      return 'media.publish';
    case 'admit':
    case 'deny':
    case 'admitAll':
      return 'lobby.manage';
    case 'lock':
      return 'meeting.lock';
    case 'updateSettings':
      return 'meeting.settings';
    case 'endMeeting':
      return 'meeting.end';
    case 'setRole':
      return message.role === 'cohost' ? 'role.cohost' : 'role.promoteAttendee';
    case 'hello':
    case 'join':
    case 'unpublish':
    case 'answer':
    case 'setMuted':
    case 'leave':
      return null;
  }
}
