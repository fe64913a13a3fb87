/**
 * Key derivation (RFC 9605 §4.4.2): from a base key and its KID, the AEAD key and the nonce salt.
 *
 *   sframe_secret = HKDF-Extract("", base_key)
 *   sframe_key    = HKDF-Expand(sframe_secret, "SFrame 1.0 Secret key "  + KID + cipher_suite, AEAD.Nk)
 *   sframe_salt   = HKDF-Expand(sframe_secret, "SFrame 1.0 Secret salt " + KID + cipher_suite, AEAD.Nn)
 *
 * with KID as 8 bytes and cipher_suite as 2 bytes, big-endian. HKDF is written out over WebCrypto HMAC
 * (RFC 5869) rather than WebCrypto's one-shot HKDF so the intermediate values the test vectors publish
 * (sframe_secret, the labels) can be checked too; this runs once per KID, not per frame.
 */
import { concatBytes, encodeBigEndian } from './bytes.js';
import type { Bytes } from './bytes.js';
import { SFrameError } from './errors.js';
import type { CipherSuiteParams } from './suites.js';

const encoder = new TextEncoder();
const KEY_LABEL = encoder.encode('SFrame 1.0 Secret key ');
const SALT_LABEL = encoder.encode('SFrame 1.0 Secret salt ');

async function hmac(hash: CipherSuiteParams['hash'], key: Bytes, data: Bytes): Promise<Bytes> {
  const subtle = globalThis.crypto.subtle;
  const k = await subtle.importKey('raw', key, { name: 'HMAC', hash }, false, ['sign']);
  return new Uint8Array(await subtle.sign('HMAC', k, data));
}

/**
 * HKDF-Extract (RFC 5869 §2.2). An empty salt means Nh zero bytes there; we pass those explicitly
 * because WebCrypto refuses zero-length HMAC keys (HMAC pads short keys with zeros: the same PRK).
 */
export async function hkdfExtract(suite: CipherSuiteParams, salt: Uint8Array, ikm: Uint8Array): Promise<Bytes> {
  const s = salt.length === 0 ? new Uint8Array(suite.nh) : new Uint8Array(salt);
  return hmac(suite.hash, s, new Uint8Array(ikm));
}

/** HKDF-Expand (RFC 5869 §2.3): T(i) = HMAC(PRK, T(i-1) | info | i), truncated to `length`. */
export async function hkdfExpand(suite: CipherSuiteParams, prk: Uint8Array, info: Uint8Array, length: number): Promise<Bytes> {
  if (length > 255 * suite.nh) throw new RangeError(`HKDF-Expand cannot give ${length} bytes`);
  const out = new Uint8Array(length);
  const key = new Uint8Array(prk);
  let previous: Uint8Array = new Uint8Array(0);
  for (let i = 1, filled = 0; filled < length; i++) {
    previous = await hmac(suite.hash, key, concatBytes(previous, info, Uint8Array.of(i)));
    out.set(previous.subarray(0, length - filled), filled);
    filled += previous.length;
  }
  return out;
}

/** "SFrame 1.0 Secret key " + KID (8 bytes BE) + cipher_suite (2 bytes BE). */
export function sframeKeyLabel(suite: CipherSuiteParams, kid: bigint): Bytes {
  return concatBytes(KEY_LABEL, encodeBigEndian(kid, 8), encodeBigEndian(BigInt(suite.id), 2));
}

/** "SFrame 1.0 Secret salt " + KID (8 bytes BE) + cipher_suite (2 bytes BE). */
export function sframeSaltLabel(suite: CipherSuiteParams, kid: bigint): Bytes {
  return concatBytes(SALT_LABEL, encodeBigEndian(kid, 8), encodeBigEndian(BigInt(suite.id), 2));
}

/** derive_key_salt's outputs and intermediates, as raw bytes. */
export interface DerivedKeySalt {
  readonly secret: Bytes;
  readonly keyLabel: Bytes;
  readonly saltLabel: Bytes;
  readonly key: Bytes;
  readonly salt: Bytes;
}

/** RFC 9605 §4.4.2 derive_key_salt(KID, base_key). `kid` must already be in 0..2^64-1. */
export async function deriveKeySalt(suite: CipherSuiteParams, kid: bigint, baseKey: Uint8Array): Promise<DerivedKeySalt> {
  if (baseKey.length === 0) throw new SFrameError('invalid-key', 'the base key is empty');
  const secret = await hkdfExtract(suite, new Uint8Array(0), baseKey);
  const keyLabel = sframeKeyLabel(suite, kid);
  const saltLabel = sframeSaltLabel(suite, kid);
  const key = await hkdfExpand(suite, secret, keyLabel, suite.nk);
  const salt = await hkdfExpand(suite, secret, saltLabel, suite.nn);
  return { secret, keyLabel, saltLabel, key, salt };
}
