/**
 * What a participant's role and identity mean to the client: who moderates, who may publish, and
 * the words on badges. The server decides every action; these only shape what the UI offers.
 */
import type { IdentityKind, ParticipantInfo, Role } from '@parley/protocol';

/** Hosts and co-hosts: they see the lobby, admit and deny, lock, and get security alerts. */
export function isModerator(role: Role | undefined): boolean {
  return role === 'host' || role === 'cohost';
}

/** Attendees of public meetings are view-only until a moderator lets them speak. */
export function canPublish(role: Role | undefined): boolean {
  return role !== undefined && role !== 'attendee';
}

/** What the host may do beyond a co-host (see the server's permission table). */
export function isHost(role: Role | undefined): boolean {
  return role === 'host';
}

export const IDENTITY_LABEL: Record<IdentityKind, string> = {
  member: 'Member',
  external: 'External',
  guest: 'Guest',
};

export const IDENTITY_TITLE: Record<IdentityKind, string> = {
  member: 'Signed in with an organization account',
  external: 'Signed in with an external account (not a member of the organization)',
  guest: 'Not signed in: the name was typed by the person',
};

/** Roles worth a tag beside the name; participants and guests carry none. */
export const ROLE_LABEL: Partial<Record<Role, string>> = {
  host: 'Host',
  cohost: 'Co-host',
  attendee: 'View only',
};

/** The participant-list actions a moderator may take on `target`. */
export interface RoleActions {
  makeCohost: boolean;
  removeCohost: boolean;
  allowToSpeak: boolean;
}

/** `guestsMayModerate`: the organization's policy lets guests be co-hosts (by default it does not). */
export function roleActions(actor: Role | undefined, target: ParticipantInfo, isSelf: boolean, guestsMayModerate = false): RoleActions {
  const none = { makeCohost: false, removeCohost: false, allowToSpeak: false };
  if (isSelf || !isModerator(actor) || target.role === 'host') return none;
  return {
    makeCohost: isHost(actor) && target.role !== 'cohost' && target.role !== 'attendee' && (guestsMayModerate || target.identity !== 'guest'),
    removeCohost: isHost(actor) && target.role === 'cohost',
    allowToSpeak: target.role === 'attendee',
  };
}
