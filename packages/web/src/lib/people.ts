/** The people list's orders: raised hands by the time they went up; who may take over from a leaving host. */
import type { ParticipantInfo } from '@parley/protocol';

/** Raised hands first, the earliest raised on top; then everyone else in the order given (joined). */
export function raisedFirst<T extends { participant: { handRaised: boolean; handRaisedAt?: number | undefined } }>(rows: readonly T[]): T[] {
  const raised = rows.filter((t) => t.participant.handRaised);
  // A hand without a time (an older server) keeps its join order after the timed ones.
  raised.sort((a, b) => (a.participant.handRaisedAt ?? Number.MAX_SAFE_INTEGER) - (b.participant.handRaisedAt ?? Number.MAX_SAFE_INTEGER));
  return [...raised, ...rows.filter((t) => !t.participant.handRaised)];
}

/**
 * Who may take over from this person (the server decides; this only shapes the list): others present,
 * not view-only, who are co-hosts or signed-in members, or anyone where guests may moderate. Co-hosts
 * first, then members, then the others, each in the order they joined (the server's order).
 */
export function handoverCandidates(participants: readonly ParticipantInfo[], selfId: string | null, guestsMayModerate: boolean): ParticipantInfo[] {
  const eligible = participants.filter(
    (q) => q.id !== selfId && q.role !== 'attendee' && q.role !== 'host' && (q.role === 'cohost' || q.identity === 'member' || guestsMayModerate),
  );
  const rank = (q: ParticipantInfo): number => (q.role === 'cohost' ? 0 : q.identity === 'member' ? 1 : 2);
  return [...eligible].sort((a, b) => rank(a) - rank(b) || a.joinedAt - b.joinedAt);
}
