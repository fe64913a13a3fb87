/**
 * How much of an encoded frame stays in clear: only what the SFU reads. mediasoup tells a VP8 key
 * frame from a delta frame by the P bit of the frame tag's first byte (RFC 6386 §9.1) and needs
 * nothing more of the payload, so VP8 keeps 1 byte, key or delta. (Keeping the 10-byte key-frame
 * header, as some SFrame deployments do, would also reveal the resolution, and leaves a decoder the
 * start code and dimensions it needs to accept noise as a picture: ffmpeg decoded some such frames.
 * With 1 byte a decoder refuses every key frame for its start code, and so every frame. Chromium's
 * and Firefox's depacketizers then read dimensions from ciphertext, which the decoder ignores; both
 * decode the decrypted frames, as the browser tests show.) Opus keeps its TOC byte (RFC 6716 §3.1).
 * These bytes are authenticated as SFrame metadata (frame-crypto.ts), so the SFU can read but not
 * change them. Everything else (unknown codecs, H.264, audio other than Opus) keeps nothing in clear.
 */

export type MediaKind = 'audio' | 'video';

export const VP8_KEY_FRAME_CLEAR_BYTES = 1;
export const VP8_DELTA_FRAME_CLEAR_BYTES = 1;
export const OPUS_CLEAR_BYTES = 1;

/** The lower-case codec name of a MIME type ("video/VP8" → "vp8"; a bare "VP8" works too). */
export function codecName(mimeType: string | undefined): string {
  if (!mimeType) return '';
  const slash = mimeType.indexOf('/');
  return (slash < 0 ? mimeType : mimeType.slice(slash + 1)).split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The clear bytes a codec wants, whatever the frame's length. */
export function codecClearBytes(mimeType: string | undefined, kind: MediaKind, isKeyFrame: boolean): number {
  const codec = codecName(mimeType);
  if (kind === 'video' && codec === 'vp8') return isKeyFrame ? VP8_KEY_FRAME_CLEAR_BYTES : VP8_DELTA_FRAME_CLEAR_BYTES;
  if (kind === 'audio' && codec === 'opus') return OPUS_CLEAR_BYTES;
  return 0;
}

/**
 * Length of the clear prefix of `data` (a frame, or its length): the codec's clear bytes, never more
 * than the frame has. Pure: the same inputs give the same answer on sender and receiver.
 */
export function clearPrefixLength(mimeType: string | undefined, kind: MediaKind, isKeyFrame: boolean, data: Uint8Array | ArrayBuffer | number): number {
  const length = typeof data === 'number' ? data : data.byteLength;
  return Math.max(0, Math.min(codecClearBytes(mimeType, kind, isKeyFrame), length));
}
