/**
 * Byte helpers. WebCrypto takes `BufferSource`, which in TypeScript 5.9 means views over a plain
 * ArrayBuffer: `Uint8Array<ArrayBuffer>`. Callers may hand us views over any buffer; `bufferView`
 * passes plain ones through and copies the rest (a SharedArrayBuffer view is refused by WebCrypto).
 */

/** A Uint8Array that WebCrypto accepts as a BufferSource. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** `data` itself if it views an ArrayBuffer, otherwise a copy over a fresh ArrayBuffer. */
export function bufferView(data: Uint8Array): Bytes {
  if (data.buffer instanceof ArrayBuffer) return data as Bytes;
  return new Uint8Array(data);
}

/** Concatenation into one fresh buffer. */
export function concatBytes(...parts: readonly Uint8Array[]): Bytes {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** Compares without an early exit, so the time taken does not say where two tags differ (RFC 9605 §4.5.1). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

/** `value` as `length` big-endian bytes (RFC 9605's encode_big_endian); the caller checks the range. */
export function encodeBigEndian(value: bigint, length: number): Bytes {
  const out = new Uint8Array(length);
  let v = value;
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** Lower-case hex, for messages and tests. */
export function toHex(data: Uint8Array): string {
  let s = '';
  for (const b of data) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Parses hex (even length, no prefix); throws a RangeError on anything else. */
export function fromHex(hex: string): Bytes {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new RangeError(`not hex: ${hex.slice(0, 32)}`);
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}
