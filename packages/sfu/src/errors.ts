/**
 * Errors the SFU rejects with. `code` is stable, so room logic can map it to a protocol error
 * without parsing messages.
 */
export type SfuErrorCode =
  | 'sfu-closed'
  | 'unknown-peer'
  | 'unknown-track'
  | 'peer-exists'
  | 'track-exists'
  | 'invalid-sdp'
  | 'invalid-state'
  | 'invalid-argument';

export class SfuError extends Error {
  override readonly name = 'SfuError';
  readonly code: SfuErrorCode;

  constructor(code: SfuErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** Wraps whatever werift threw while applying client SDP as an invalid-sdp SfuError. */
export function sdpFailure(what: string, error: unknown): SfuError {
  if (error instanceof SfuError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new SfuError('invalid-sdp', `${what}: ${detail}`, { cause: error });
}
