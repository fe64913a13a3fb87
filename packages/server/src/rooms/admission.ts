/**
 * Who gets in, and how: a pure decision from who the joiner is and the meeting's effective
 * settings. The meeting's own host always enters; otherwise lock, access restriction, host
 * arrival and the lobby apply in that order.
 */
import { ParleyError, type IdentityKind, type MeetingSettings, type Role } from '@parley/protocol';

export interface Joiner {
  identity: IdentityKind;
  /** The meeting's host account. */
  isOwner: boolean;
}

export type Admission = { outcome: 'admit'; role: Role } | { outcome: 'lobby'; role: Role } | { outcome: 'host-absent'; role: Role };

/** The role a non-host joiner has once in: attendee in public meetings, else participant or guest. */
export function entryRole(joiner: Joiner, settings: MeetingSettings): Role {
  if (settings.public) return 'attendee';
  return joiner.identity === 'guest' ? 'guest' : 'participant';
}

/** Said to everyone a sensitive meeting turns away or moves out. */
export const SENSITIVE_ONLY_MEMBERS = 'This meeting is sensitive: only signed-in members of the organization may attend.';

/** Why the meeting's access restriction keeps this joiner out, or null if it lets them in (its own host always). */
export function accessRefusal(joiner: Joiner, settings: MeetingSettings): ParleyError | null {
  if (joiner.isOwner) return null;
  if (settings.access === 'signed-in' && joiner.identity === 'guest') {
    return new ParleyError('sign_in_required', 'This meeting is for signed-in users: sign in to join.');
  }
  if (settings.access === 'organization' && joiner.identity !== 'member') {
    const message = settings.sensitivity === 'sensitive' ? SENSITIVE_ONLY_MEMBERS : 'This meeting is for members of the organization.';
    return new ParleyError(joiner.identity === 'guest' ? 'sign_in_required' : 'forbidden', message);
  }
  return null;
}

export function decideAdmission(joiner: Joiner, settings: MeetingSettings, hostPresent: boolean): Admission {
  if (joiner.isOwner) return { outcome: 'admit', role: 'host' };
  if (settings.locked) throw new ParleyError('meeting_locked');
  const refusal = accessRefusal(joiner, settings);
  if (refusal) throw refusal;
  const role = entryRole(joiner, settings);
  if (!hostPresent && !settings.joinBeforeHost) return { outcome: 'host-absent', role };
  if (settings.lobby && !(settings.membersSkipLobby && joiner.identity === 'member')) return { outcome: 'lobby', role };
  return { outcome: 'admit', role };
}

/** After a host arrives or settings change: where someone already waiting now stands. */
export function reconsider(joiner: Joiner, settings: MeetingSettings, hostPresent: boolean): Admission['outcome'] {
  if (!hostPresent && !settings.joinBeforeHost) return 'host-absent';
  if (settings.lobby && !(settings.membersSkipLobby && joiner.identity === 'member')) return 'lobby';
  return 'admit';
}

interface Candidate {
  id: string;
  role: Role;
  identity: IdentityKind;
  joinedAt: number;
}

/** Why someone became host when the last host left (`none`: nobody could). */
export type HandOverReason = 'chosen' | 'cohost' | 'member' | 'guest' | 'none';

/**
 * Who may take over as host: anyone present but a view-only attendee who is a co-host or a signed-in
 * member of the organization; guests and outside accounts only where the organization lets guests moderate.
 */
export function mayBecomeHost(c: Candidate, guestsMayModerate: boolean): boolean {
  if (c.role === 'attendee' || c.role === 'host') return false;
  return c.role === 'cohost' || c.identity === 'member' || guestsMayModerate;
}

/**
 * When the last host leaves: the person they chose (if still eligible), else the longest-present
 * co-host, else the longest-present signed-in member, else (only where the policy lets guests
 * moderate) the longest-present other participant; else nobody.
 */
export function successor<C extends Candidate>(
  remaining: readonly C[],
  options: { guestsMayModerate: boolean; chosen?: string | undefined },
): { next: C; reason: Exclude<HandOverReason, 'none'> } | undefined {
  const eligible = [...remaining].filter((c) => mayBecomeHost(c, options.guestsMayModerate)).sort((a, b) => a.joinedAt - b.joinedAt);
  const chosen = options.chosen === undefined ? undefined : eligible.find((c) => c.id === options.chosen);
  if (chosen) return { next: chosen, reason: 'chosen' };
  const cohost = eligible.find((c) => c.role === 'cohost');
  if (cohost) return { next: cohost, reason: 'cohost' };
  const member = eligible.find((c) => c.identity === 'member');
  if (member) return { next: member, reason: 'member' };
  const other = eligible[0];
  return other ? { next: other, reason: 'guest' } : undefined;
}
