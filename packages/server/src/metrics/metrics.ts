/**
 * What the server's parts tell monitoring: a small interface handed to them (never a global), so
 * meetings, accounts, rooms and signaling count events without knowing about Prometheus. Every
 * label value is from a closed set (a role, a message type, an error code): never a name, an
 * address, an ID or a secret. Parts built without one (unit tests) get NO_METRICS.
 */
import type { ErrorCode, ServerMessage } from '@parley/protocol';

type AlertMessage = Extract<ServerMessage, { type: 'alert' }>;
export type AlertKind = AlertMessage['kind'];
export type AlertAttempt = NonNullable<AlertMessage['attempted']>;

/** Which secret was being guessed: a meeting's passcode, or an account's password. */
export type GuessKind = 'passcode' | 'signin';

/** Whose budget of guesses ran out: the client address's, the meeting's, the account's at that address, or the account's overall. */
export type ThrottleScope = 'address' | 'meeting' | 'account_address' | 'account';

/** How a socket got into the meeting before it set up media. */
export type EntryKind = 'join' | 'resume';

export interface Metrics {
  /** A guess refused unchecked because a throttle's budget ran out (the client got rate_limited). */
  throttled(kind: GuessKind, scope: ThrottleScope): void;
  /** A guess checked and wrong (wrong passcode or unknown meeting; wrong email or password). */
  guessFailed(kind: GuessKind): void;
  /** A room raised an alert to its moderators. */
  alertRaised(kind: AlertKind, attempted: AlertAttempt | undefined): void;
  /** A signaling frame arrived: its message type, or `invalid` (undecodable) or `rate_limited` (dropped unread). */
  messageReceived(type: string): void;
  /** A signaling `error` went out with this code. */
  errorSent(code: ErrorCode): void;
  /** Seconds from admission (joined or resumed) to the socket's first completed setupMedia. */
  mediaSetUp(after: EntryKind, seconds: number): void;
  /** Seconds from admission (joined or resumed) to the client's report of its first decoded remote video frame. */
  firstFrame(after: EntryKind, seconds: number): void;
}

export const NO_METRICS: Metrics = {
  throttled: () => undefined,
  guessFailed: () => undefined,
  alertRaised: () => undefined,
  messageReceived: () => undefined,
  errorSent: () => undefined,
  mediaSetUp: () => undefined,
  firstFrame: () => undefined,
};
