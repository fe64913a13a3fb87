/**
 * The per-frame work of the transform worker, free of any Worker API so Node tests run it: encrypt
 * or decrypt each encoded frame through the KeyRing, and drop (never pass on) a frame that cannot be
 * processed. An undecryptable frame is dropped and counted (RFC 9605 §4.4.4: discard it); a frame
 * that cannot be encrypted (no key yet) is dropped too, because sending it in clear would defeat
 * end-to-end encryption. One exception on the receive side: a frame of 0 bytes is passed on as it
 * is and counted as `empty`. It carries no media to authenticate, and Chromium's receiver pipeline
 * produces such audio frames itself (seen once per call in a Chromium 156 loopback test); the sender
 * encrypts every frame, empty ones included.
 */
import { isSFrameError } from './errors.js';
import type { SFrameErrorCode } from './errors.js';
import type { FrameInfo } from './frame-crypto.js';
import type { KeyRing } from './key-ring.js';
import type { TransformOptions } from './messages.js';
import type { EncodedFrameLike } from './worker-types.js';

/** Counters the worker reports to the page (tests, the UI's E2EE indicator). */
export interface TransformCounters {
  encrypted: number;
  decrypted: number;
  dropped: number;
  /** 0-byte frames the receiver passed on untouched. */
  empty: number;
  lastErrorCode: SFrameErrorCode | null;
  droppedByCode: Partial<Record<SFrameErrorCode, number>>;
}

export function createTransformCounters(): TransformCounters {
  return { encrypted: 0, decrypted: 0, dropped: 0, empty: 0, lastErrorCode: null, droppedByCode: {} };
}

/** A copy safe to post or keep. */
export function snapshotCounters(counters: TransformCounters): TransformCounters {
  return { ...counters, droppedByCode: { ...counters.droppedByCode } };
}

/** The ArrayBuffer holding exactly `bytes` (a copy only if the view is a part of its buffer). */
function exactBuffer(bytes: Uint8Array<ArrayBuffer>): ArrayBuffer {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer : bytes.slice().buffer;
}

/** Transforms `frame` in place (its `data` is replaced); false: drop the frame. Never throws. */
export type FrameTransformer = (frame: EncodedFrameLike) => Promise<boolean>;

export function createFrameTransformer(
  keyRing: KeyRing,
  options: TransformOptions,
  counters: TransformCounters = createTransformCounters(),
): FrameTransformer {
  const drop = (error: unknown): false => {
    const code: SFrameErrorCode = isSFrameError(error) ? error.code : 'internal-error';
    counters.dropped++;
    counters.lastErrorCode = code;
    counters.droppedByCode[code] = (counters.droppedByCode[code] ?? 0) + 1;
    return false;
  };
  const infoOf = (frame: EncodedFrameLike): FrameInfo => ({
    kind: options.kind,
    codec: frame.getMetadata?.().mimeType ?? options.codec,
    isKeyFrame: frame.type === 'key',
  });

  if (options.operation === 'encrypt') {
    const context = options.context;
    return async (frame) => {
      try {
        const sealed = await keyRing.encryptFrame(context, frame.data, infoOf(frame));
        frame.data = exactBuffer(sealed);
        counters.encrypted++;
        return true;
      } catch (error) {
        return drop(error);
      }
    };
  }
  return async (frame) => {
    if (frame.data.byteLength === 0) {
      counters.empty++;
      return true;
    }
    try {
      const opened = await keyRing.decryptFrame(frame.data, infoOf(frame));
      frame.data = exactBuffer(opened.frame);
      counters.decrypted++;
      return true;
    } catch (error) {
      return drop(error);
    }
  };
}

/** A TransformStream passing on the frames `transform` keeps. */
export function createFrameTransformStream(transform: FrameTransformer): TransformStream<EncodedFrameLike, EncodedFrameLike> {
  return new TransformStream<EncodedFrameLike, EncodedFrameLike>({
    async transform(frame, controller) {
      if (await transform(frame)) controller.enqueue(frame);
    },
  });
}
