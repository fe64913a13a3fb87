/**
 * The one error type of the SFrame layer: every failure carries a stable `code`, so callers (the
 * transform worker's drop counters, the UI, tests) branch on the code, never on message text.
 */

/** Why an SFrame operation failed. */
export type SFrameErrorCode =
  /** The header ends before its config byte says it does (RFC 9605 §4.3). */
  | 'header-truncated'
  /** A KID or CTR not encoded in the minimum number of bytes (RFC 9605 §4.3 MUST). */
  | 'header-noncanonical'
  /** A KID, CTR, epoch, index or context outside its range (negative, too wide, not an integer). */
  | 'value-out-of-range'
  /** A cipher suite this implementation does not know. */
  | 'unsupported-suite'
  /** A base key that is empty or of the wrong length. */
  | 'invalid-key'
  /** No receive key for the frame's KID (RFC 9605 §4.4.4: the frame may be retried once it arrives). */
  | 'unknown-kid'
  /** No send key for the KID or media context asked to encrypt. */
  | 'no-send-key'
  /** A KID added for sending and for receiving: RFC 9605 §4.4.1 forbids using a key both ways. */
  | 'key-role-conflict'
  /** Too short to hold the authentication tag. */
  | 'ciphertext-truncated'
  /** The AEAD rejected the frame: a changed bit, the wrong key, or changed metadata. */
  | 'auth-failed'
  /** A CTR already accepted for this KID. */
  | 'replay'
  /** A CTR older than the replay window for this KID. */
  | 'replay-too-old'
  /** The sender's CTR reached 2^64 - 1: the KID must not encrypt again. */
  | 'counter-exhausted'
  /** An epoch older than the key ring's current one. */
  | 'stale-epoch'
  /** A malformed message or transform option reaching the worker. */
  | 'invalid-message'
  /** WebCrypto failed for a reason other than authentication (it should not happen). */
  | 'crypto-error'
  /** Something other than an SFrameError was thrown (a bug), as counted by the frame transformer. */
  | 'internal-error';

export class SFrameError extends Error {
  override readonly name = 'SFrameError';
  readonly code: SFrameErrorCode;

  constructor(code: SFrameErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${code}: ${message}`, options);
    this.code = code;
  }
}

/** True if `error` is an SFrameError (with `code` one of `codes`, if given). */
export function isSFrameError(error: unknown, ...codes: SFrameErrorCode[]): error is SFrameError {
  return error instanceof SFrameError && (codes.length === 0 || codes.includes(error.code));
}
