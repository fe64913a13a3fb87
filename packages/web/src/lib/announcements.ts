/**
 * What the meeting says to screen readers (components/LiveAnnouncer.tsx): who joined and left, who
 * raised a hand, and for moderators who is waiting and who was admitted; "You are muted by the
 * host". Changes are gathered for a moment and said together, so ten people arriving make one
 * sentence ("10 people joined"), not ten.
 */
import type { LobbyEntry, ParticipantInfo } from '@parley/protocol';
import type { Notice } from './meetingState.js';

/** The parts of the meeting state announcements come from. */
export interface Seen {
  selfId: string | null;
  participants: readonly Pick<ParticipantInfo, 'id' | 'displayName' | 'handRaised'>[];
  lobby: readonly Pick<LobbyEntry, 'id' | 'displayName'>[];
  notices: readonly Pick<Notice, 'id' | 'text'>[];
}

/** Changes gathered since the last announcement (names). */
export interface Batch {
  joined: string[];
  left: string[];
  /** Newly in the waiting room. */
  waiting: string[];
  /** Gone from the waiting room (admitted if they also joined; else denied or gave up). */
  leftLobby: string[];
  hands: string[];
  mutedByHost: boolean;
}

export function emptyBatch(): Batch {
  return { joined: [], left: [], waiting: [], leftLobby: [], hands: [], mutedByHost: false };
}

export function isEmpty(b: Batch): boolean {
  return !b.mutedByHost && [b.joined, b.left, b.waiting, b.leftLobby, b.hands].every((l) => l.length === 0);
}

/** A moderator's "X muted you." (lib/meetingEvents.ts) */
const MUTED_YOU = / muted you\.$/;

/** Adds to `batch` what changed from `prev` to `next` (oneself excluded). */
export function gather(batch: Batch, prev: Seen, next: Seen): Batch {
  const self = next.selfId;
  const before = new Map(prev.participants.map((p) => [p.id, p]));
  const now = new Map(next.participants.map((p) => [p.id, p]));
  const out: Batch = { ...batch, joined: [...batch.joined], left: [...batch.left], waiting: [...batch.waiting], leftLobby: [...batch.leftLobby], hands: [...batch.hands] };
  for (const p of next.participants) {
    if (p.id === self) continue;
    const was = before.get(p.id);
    if (!was) out.joined.push(p.displayName);
    if (p.handRaised && !was?.handRaised) out.hands.push(p.displayName);
  }
  for (const p of prev.participants) if (p.id !== self && !now.has(p.id)) out.left.push(p.displayName);
  const queued = new Set(prev.lobby.map((e) => e.id));
  const queuedNow = new Set(next.lobby.map((e) => e.id));
  for (const e of next.lobby) if (!queued.has(e.id)) out.waiting.push(e.displayName);
  for (const e of prev.lobby) if (!queuedNow.has(e.id)) out.leftLobby.push(e.displayName);
  const lastNotice = prev.notices.at(-1)?.id ?? -1;
  if (next.notices.some((n) => n.id > lastNotice && MUTED_YOU.test(n.text))) out.mutedByHost = true;
  return out;
}

function names(list: readonly string[]): string {
  if (list.length === 1) return list[0] ?? '';
  if (list.length === 2) return `${list[0]} and ${list[1]}`;
  return `${list.length} people`;
}

function plural(list: readonly string[], one: string, many: string): string {
  return `${names(list)} ${list.length === 1 ? one : many}`;
}

/** The sentence for a batch ('' for nothing). Someone who left the queue and joined was admitted. */
export function announcement(batch: Batch, moderator: boolean): string {
  const fromLobby = [...batch.leftLobby];
  const admitted: string[] = [];
  const joined: string[] = [];
  for (const name of batch.joined) {
    const i = moderator ? fromLobby.indexOf(name) : -1;
    if (i >= 0) {
      fromLobby.splice(i, 1);
      admitted.push(name);
    } else joined.push(name);
  }
  const parts: string[] = [];
  if (batch.mutedByHost) parts.push('You are muted by the host');
  if (moderator && batch.waiting.length) parts.push(plural(batch.waiting, 'is waiting in the waiting room', 'are waiting in the waiting room'));
  if (admitted.length) parts.push(`${names(admitted)} admitted`);
  if (joined.length) parts.push(`${names(joined)} joined`);
  if (batch.left.length) parts.push(`${names(batch.left)} left`);
  if (batch.hands.length) parts.push(plural(batch.hands, 'raised a hand', 'raised their hands'));
  return parts.length ? `${parts.join('. ')}.` : '';
}
