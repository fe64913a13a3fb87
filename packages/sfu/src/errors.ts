/**
 * Errors the SFU rejects with. `code` is stable, so room logic can map it to a protocol error
 * without parsing messages.
 */
import * as mediasoup from 'mediasoup';

export type SfuErrorCode =
  | 'sfu-closed'
  | 'unknown-room'
  | 'unknown-peer'
  | 'unknown-transport'
  | 'unknown-track'
  | 'peer-exists'
  | 'track-exists'
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

/**
 * Runs a mediasoup call on untrusted client parameters. mediasoup validates them and throws
 * TypeError / UnsupportedError (Node side) or a plain Error from the worker; all of those mean
 * the client sent something the SFU cannot use, so they become `invalid-argument`.
 */
export async function untrusted<T>(what: string, call: () => Promise<T> | T): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof SfuError) throw error;
    if (error instanceof mediasoup.errors.WorkerClosedError) throw new SfuError('invalid-state', `${what}: ${error.message}`, { cause: error });
    const detail = error instanceof Error ? error.message : String(error);
    throw new SfuError('invalid-argument', `${what}: ${detail}`, { cause: error });
  }
}
