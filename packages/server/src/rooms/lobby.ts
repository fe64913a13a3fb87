/**
 * The lobby: people waiting to be let in. It is a different room: a waiting socket hears only its
 * own `lobbyStatus` (and `admitted` if let in), never anything about the meeting. Moderators see
 * the queue of those waiting for a decision.
 */
import type { LobbyEntry, Role } from '@parley/protocol';
import { newOpaqueId } from '../util/secrets.js';
import type { Entrant } from './participant.js';

export type WaitingStatus = 'waiting' | 'waiting-for-host';

export interface Waiter {
  readonly id: string;
  readonly entrant: Entrant;
  readonly role: Role;
  readonly since: number;
  status: WaitingStatus;
}

export class Lobby {
  readonly #waiters = new Map<string, Waiter>();

  get size(): number {
    return this.#waiters.size;
  }

  add(entrant: Entrant, role: Role, status: WaitingStatus): Waiter {
    const waiter: Waiter = { id: newOpaqueId(), entrant, role, status, since: Date.now() };
    this.#waiters.set(waiter.id, waiter);
    return waiter;
  }

  /** Tells a waiter where it stands now. */
  setStatus(waiter: Waiter, status: WaitingStatus): void {
    waiter.status = status;
    waiter.entrant.sink.send({ type: 'lobbyStatus', status });
  }

  /** Removes and returns a waiter. */
  take(id: string): Waiter | undefined {
    const waiter = this.#waiters.get(id);
    this.#waiters.delete(id);
    return waiter;
  }

  all(): Waiter[] {
    return [...this.#waiters.values()];
  }

  /** The queue moderators see: those waiting for a decision, oldest first. */
  entries(): LobbyEntry[] {
    return this.all()
      .filter((w) => w.status === 'waiting')
      .map(entryOf);
  }
}

/** How moderators see one waiter. */
export function entryOf(w: Waiter): LobbyEntry {
  return { id: w.id, displayName: w.entrant.displayName, identity: w.entrant.identity, email: w.entrant.email, since: w.since };
}
