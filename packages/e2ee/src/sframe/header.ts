/**
 * The SFrame header (RFC 9605 §4.3): a config byte X|K|Y|C, then the KID and the CTR as big-endian
 * integers of minimal length (1..8 bytes each), a value 0..7 living in the config byte itself.
 */
import { SFrameError } from './errors.js';
import type { Bytes } from './bytes.js';

/** KID and CTR are unsigned 64-bit integers. */
export const MAX_UINT64 = (1n << 64n) - 1n;

/** Longest header: config byte + 8-byte KID + 8-byte CTR. */
export const MAX_HEADER_LENGTH = 17;

export interface SFrameHeader {
  readonly kid: bigint;
  readonly ctr: bigint;
}

export interface DecodedHeader extends SFrameHeader {
  /** Bytes the header took at the start of the input. */
  readonly length: number;
}

/** A KID/CTR-like value as a bigint, refusing anything that is not an integer in 0..2^64-1. */
export function toUint64(value: bigint | number, what: string): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value)) {
    throw new SFrameError('value-out-of-range', `${what} ${value} is not a safe integer`);
  }
  const v = BigInt(value);
  if (v < 0n || v > MAX_UINT64) throw new SFrameError('value-out-of-range', `${what} ${v} is outside 0..2^64-1`);
  return v;
}

/** Bytes needed for `v` > 0 in big-endian (1..8). */
function byteLength(v: bigint): number {
  let n = 0;
  for (let x = v; x > 0n; x >>= 8n) n++;
  return n;
}

/** Encoded length of the header for (kid, ctr), without encoding it. */
export function headerLength(kid: bigint, ctr: bigint): number {
  return 1 + (kid < 8n ? 0 : byteLength(kid)) + (ctr < 8n ? 0 : byteLength(ctr));
}

/** Encodes (kid, ctr) into `out` at `offset` and returns the bytes written. */
export function writeHeader(out: Uint8Array, offset: number, kid: bigint, ctr: bigint): number {
  let pos = offset + 1;
  let config = 0;
  if (kid < 8n) {
    config |= Number(kid) << 4;
  } else {
    const n = byteLength(kid);
    config |= 0x80 | ((n - 1) << 4);
    for (let i = n - 1; i >= 0; i--) out[pos++] = Number((kid >> BigInt(8 * i)) & 0xffn);
  }
  if (ctr < 8n) {
    config |= Number(ctr);
  } else {
    const n = byteLength(ctr);
    config |= 0x08 | (n - 1);
    for (let i = n - 1; i >= 0; i--) out[pos++] = Number((ctr >> BigInt(8 * i)) & 0xffn);
  }
  out[offset] = config;
  return pos - offset;
}

/** The header for (kid, ctr), both in 0..2^64-1. */
export function encodeHeader(kid: bigint | number, ctr: bigint | number): Bytes {
  const k = toUint64(kid, 'KID');
  const c = toUint64(ctr, 'CTR');
  const out = new Uint8Array(headerLength(k, c));
  writeHeader(out, 0, k, c);
  return out;
}

/**
 * Reads the header at the start of `data` (what follows it is the AEAD output, not looked at).
 * Throws SFrameError 'header-truncated' if `data` ends inside the header and 'header-noncanonical'
 * for an extended field whose value fits in fewer bytes (or in the config byte): RFC 9605 §4.3 says
 * the minimum length MUST be used, and accepting other spellings would give one (KID, CTR) several
 * headers.
 */
export function decodeHeader(data: Uint8Array): DecodedHeader {
  const config = data[0];
  if (config === undefined) throw new SFrameError('header-truncated', 'empty input: no config byte');
  let pos = 1;
  const field = (extended: boolean, bits: number, name: string): bigint => {
    if (!extended) return BigInt(bits);
    const n = bits + 1;
    if (pos + n > data.length) {
      throw new SFrameError('header-truncated', `${name} needs ${n} bytes, ${Math.max(0, data.length - pos)} left`);
    }
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(data[pos + i] ?? 0);
    pos += n;
    if (v < 8n || byteLength(v) !== n) {
      throw new SFrameError('header-noncanonical', `${name} ${v} is not encoded in its minimal length (${n} bytes)`);
    }
    return v;
  };
  const kid = field((config & 0x80) !== 0, (config >> 4) & 0x07, 'KID');
  const ctr = field((config & 0x08) !== 0, config & 0x07, 'CTR');
  return { kid, ctr, length: pos };
}
