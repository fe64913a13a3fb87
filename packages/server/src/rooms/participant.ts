/**
 * One admitted person in a room: identity, role, the socket they are reached through (replaced
 * when they resume on a new one), and whether their media is set up. Owned and mutated only by its
 * Room, inside the room's queue.
 */
import type { IdentityKind, ParticipantInfo, Role, ServerMessage } from '@parley/protocol';
import { TokenBucket } from '../signaling/rate-limiter.js';
import type { Room } from './room.js';

export type ByeReason = Extract<ServerMessage, { type: 'bye' }>['reason'];

/** How the room reaches a person: their signaling connection. */
export interface ParticipantSink {
  send(message: ServerMessage): void;
  /** Sends `bye` and closes the socket. */
  close(reason: ByeReason, message: string): void;
  /** Closes the socket without a word (the lobby's last word is its `lobbyStatus`). */
  drop(): void;
  /**
   * The person is now this participant (admitted at once or from the lobby) in `room`: told before
   * the reply, so their next request finds them in the room even while the room still writes to storage.
   */
  admitted(participantId: string, room: Room): void;
}

/** Who is asking to enter, as the connection established it. */
export interface Entrant {
  identity: IdentityKind;
  userId: string | null;
  email: string | null;
  displayName: string;
  clientAddress: string;
  /** The meeting's host account. */
  isOwner: boolean;
  /** The browser's long-lived `parley_device` cookie, if it sent one. */
  deviceId: string | null;
  sink: ParticipantSink;
}

export class Participant {
  readonly id: string;
  readonly entrant: Entrant;
  role: Role;
  displayName: string;
  /** When their hand went up (milliseconds since the epoch), or null while it is down. */
  handRaisedAt: number | null = null;
  /** A moderator asked them to unmute: they may, once, even where unmuting oneself is off. */
  unmuteGranted = false;
  /** Chat: 5 messages at once, then one every 2 s. */
  readonly chatLimit = new TokenBucket(0.5, 5);
  /** Reactions: 3 at once, then one a second. */
  readonly reactionLimit = new TokenBucket(1, 3);
  /** MLS key packages (each one re-keys the meeting): 3 at once, then one every 5 s. */
  readonly keyPackageLimit = new TokenBucket(0.2, 3);
  /** Sent with HTTP requests for this meeting's files. */
  readonly token: string;
  readonly joinedAt: number;
  /** The SFU has a peer for them (after `setupMedia`): tracks can be sent to them. */
  mediaReady = false;
  /** Their socket dropped; the room keeps their place until `resumeTimer` fires. */
  reconnecting = false;
  resumeTimer: NodeJS.Timeout | undefined;
  #sink: ParticipantSink;
  #closed = false;

  constructor(id: string, entrant: Entrant, role: Role, token: string, joinedAt = Date.now()) {
    this.id = id;
    this.entrant = entrant;
    this.#sink = entrant.sink;
    this.role = role;
    this.displayName = entrant.displayName;
    this.token = token;
    this.joinedAt = joinedAt;
  }

  get handRaised(): boolean {
    return this.handRaisedAt !== null;
  }

  /** Raising a raised hand keeps its place in the order; lowering forgets it. */
  set handRaised(raised: boolean) {
    if (!raised) this.handRaisedAt = null;
    else this.handRaisedAt ??= Date.now();
  }

  get sink(): ParticipantSink {
    return this.#sink;
  }

  /** They came back on another socket: deliver there from now on. */
  rebind(sink: ParticipantSink): void {
    this.#sink = sink;
    this.reconnecting = false;
    clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
  }

  get identity(): IdentityKind {
    return this.entrant.identity;
  }

  get clientAddress(): string {
    return this.entrant.clientAddress;
  }

  get closed(): boolean {
    return this.#closed;
  }

  info(): ParticipantInfo {
    return {
      id: this.id,
      displayName: this.displayName,
      role: this.role,
      identity: this.identity,
      handRaised: this.handRaised,
      ...(this.handRaisedAt !== null ? { handRaisedAt: this.handRaisedAt } : {}),
      connection: this.reconnecting ? 'reconnecting' : 'connected',
      joinedAt: this.joinedAt,
    };
  }

  send(message: ServerMessage): void {
    if (!this.#closed && !this.reconnecting) this.#sink.send(message);
  }

  /** Stops all delivery; with a reason, also tells the client and closes its socket. Idempotent. */
  close(bye?: { reason: ByeReason; message: string }): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.resumeTimer);
    if (bye) this.#sink.close(bye.reason, bye.message);
  }
}
