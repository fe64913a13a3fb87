/**
 * One admitted person in a room: identity, the socket they are reached through, and the state of
 * their subscriber negotiation. Owned and mutated only by its Room, inside the room's queue.
 */
import type { ParticipantInfo, Role, ServerMessage } from '@parley/protocol';

export type ByeReason = Extract<ServerMessage, { type: 'bye' }>['reason'];

/** How the room reaches a participant: their signaling connection. */
export interface ParticipantSink {
  send(message: ServerMessage): void;
  /** Sends `bye` and closes the socket. */
  close(reason: ByeReason, message: string): void;
}

export class Participant {
  readonly id: string;
  readonly displayName: string;
  readonly role: Role;
  readonly joinedAt: number;
  readonly clientAddress: string;
  readonly #sink: ParticipantSink;
  /** The negotiation ID of the subscriber offer awaiting an answer, if any. */
  pendingNegotiation: string | null = null;
  /** Subscriptions changed while an offer was outstanding: offer again after the answer. */
  needsRenegotiation = false;
  /** Running while the media connection is down; removal when it fires. */
  mediaGraceTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(init: { id: string; displayName: string; role: Role; clientAddress: string; sink: ParticipantSink }) {
    this.id = init.id;
    this.displayName = init.displayName;
    this.role = init.role;
    this.clientAddress = init.clientAddress;
    this.joinedAt = Date.now();
    this.#sink = init.sink;
  }

  get closed(): boolean {
    return this.#closed;
  }

  info(): ParticipantInfo {
    return { id: this.id, displayName: this.displayName, role: this.role, joinedAt: this.joinedAt };
  }

  send(message: ServerMessage): void {
    if (!this.#closed) this.#sink.send(message);
  }

  /** Stops all delivery; with a reason, also tells the client and closes its socket. Idempotent. */
  close(bye?: { reason: ByeReason; message: string }): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.mediaGraceTimer);
    if (bye) this.#sink.close(bye.reason, bye.message);
  }
}
