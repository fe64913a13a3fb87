/**
 * Encrypted media frames: SFrame per frame (RFC 9605 §4.1) with the codec's clear prefix in front.
 *
 * Wire layout:   clear prefix (p bytes) | SFrame header | ciphertext | tag
 * AEAD input:    AAD = header | clear prefix   (the prefix is SFrame `metadata`, §4.4.3 / §9.4)
 *                plaintext = the frame after its first p bytes
 *
 * p = clearPrefixLength(codec, kind, isKeyFrame, frame): the codec's clear bytes, or the whole frame
 * if it is shorter. The receiver knows the codec's clear bytes n from the same inputs (the
 * depacketizer reports key/delta from the clear VP8 frame tag), so it reads the header at offset n.
 * Only a frame shorter than n (p < n: no VP8 or Opus frame is) has nothing after its prefix but
 * header and tag, so for it the receiver also tries each p < n where exactly
 * `frame length = p + header length + tag length`; every try must authenticate, and a failed one
 * changes no replay state. No per-stream state is needed to parse a frame.
 */
import { bufferView } from './bytes.js';
import type { Bytes } from './bytes.js';
import { clearPrefixLength, codecClearBytes } from './codec.js';
import type { MediaKind } from './codec.js';
import type { SFrameContext } from './context.js';

export interface FrameInfo {
  readonly kind: MediaKind;
  /** MIME type, e.g. "video/VP8", "audio/opus"; unknown or absent: nothing stays in clear. */
  readonly codec?: string | undefined;
  /** For video; audio frames pass false. */
  readonly isKeyFrame: boolean;
}

export interface DecryptedFrame {
  readonly kid: bigint;
  readonly ctr: bigint;
  /** The frame as it was before encryption. */
  readonly frame: Bytes;
  /** How many of its bytes were sent in clear. */
  readonly clearBytes: number;
}

function bytesOf(frame: Uint8Array | ArrayBuffer): Bytes {
  return frame instanceof ArrayBuffer ? new Uint8Array(frame) : bufferView(frame);
}

/** Encrypts a frame with the send key of `kid` (its next CTR), keeping the codec's prefix in clear. */
export async function encryptFrame(context: SFrameContext, kid: bigint | number, frame: Uint8Array | ArrayBuffer, info: FrameInfo): Promise<Bytes> {
  const data = bytesOf(frame);
  const p = clearPrefixLength(info.codec, info.kind, info.isKeyFrame, data);
  const prefix = data.subarray(0, p);
  return context.encrypt(kid, data.subarray(p), prefix, { prepend: prefix });
}

/** Where the SFrame may start in `data`, most likely first (see the file comment). */
function prefixCandidates(context: SFrameContext, data: Uint8Array, n: number): number[] {
  const candidates: number[] = [];
  if (data.length >= n && context.peek(data.subarray(n))) candidates.push(n);
  for (let p = Math.min(n, data.length) - 1; p >= 0; p--) {
    const peek = context.peek(data.subarray(p));
    if (peek && data.length === p + peek.headerLength + peek.tagLength) candidates.push(p);
  }
  return candidates;
}

/**
 * Decrypts a frame made by encryptFrame, or throws the SFrameError of the most likely layout
 * (unknown KID, replay, authentication failure...).
 */
export async function decryptFrame(context: SFrameContext, frame: Uint8Array | ArrayBuffer, info: FrameInfo): Promise<DecryptedFrame> {
  const data = bytesOf(frame);
  const n = codecClearBytes(info.codec, info.kind, info.isKeyFrame);
  const candidates = prefixCandidates(context, data, n);
  if (candidates.length === 0) candidates.push(Math.min(n, data.length)); // to throw the right error
  let firstError: unknown;
  for (const p of candidates) {
    try {
      const prefix = data.subarray(0, p);
      const { kid, ctr, plaintext } = await context.decrypt(data.subarray(p), prefix);
      const out = new Uint8Array(p + plaintext.length);
      out.set(prefix);
      out.set(plaintext, p);
      return { kid, ctr, frame: out, clearBytes: p };
    } catch (error) {
      firstError ??= error;
    }
  }
  throw firstError;
}
