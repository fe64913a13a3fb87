/**
 * The AEADs of RFC 9605 §4.5 over WebCrypto, and SFrame encryption / decryption with one derived key
 * (§4.4.3, §4.4.4). CryptoKeys are imported once per KID (`deriveSFrameKey`) and kept; per frame
 * there is one WebCrypto call for GCM (two for the CTR+HMAC suites) and one copy into the output.
 */
import { bufferView, constantTimeEqual } from './bytes.js';
import type { Bytes } from './bytes.js';
import { SFrameError } from './errors.js';
import { headerLength, writeHeader } from './header.js';
import type { DecodedHeader } from './header.js';
import { deriveKeySalt } from './kdf.js';
import type { CipherSuiteParams } from './suites.js';

/** An imported, non-extractable AEAD key: one AES-GCM key, or the AES-CTR / HMAC subkey pair of §4.5.1. */
export type AeadKey =
  | { readonly kind: 'AES-GCM'; readonly suite: CipherSuiteParams; readonly key: CryptoKey }
  | { readonly kind: 'AES-CTR-HMAC'; readonly suite: CipherSuiteParams; readonly encKey: CryptoKey; readonly authKey: CryptoKey };

/**
 * Imports the AEAD key (AEAD.Nk bytes). For the CTR suites it splits it as derive_subkeys does
 * (§4.5.1): the first Nka bytes are the AES key, the remaining Nh the HMAC key.
 */
export async function importAeadKey(suite: CipherSuiteParams, key: Uint8Array): Promise<AeadKey> {
  if (key.length !== suite.nk) throw new SFrameError('invalid-key', `${suite.name} takes a ${suite.nk}-byte key, not ${key.length}`);
  const subtle = globalThis.crypto.subtle;
  const raw = bufferView(key);
  if (suite.aead === 'AES-GCM') {
    return { kind: 'AES-GCM', suite, key: await subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']) };
  }
  const encKey = await subtle.importKey('raw', raw.subarray(0, suite.nka), 'AES-CTR', false, ['encrypt', 'decrypt']);
  const authKey = await subtle.importKey('raw', raw.subarray(suite.nka), { name: 'HMAC', hash: suite.hash }, false, ['sign']);
  return { kind: 'AES-CTR-HMAC', suite, encKey, authKey };
}

/** initial_counter = nonce + 0x00000000: a 32-bit block counter after the 96-bit nonce (§4.5.1). */
function ctrParams(nonce: Bytes): AesCtrParams {
  const counter = new Uint8Array(16);
  counter.set(nonce);
  return { name: 'AES-CTR', counter, length: 32 };
}

/** compute_tag (§4.5.1): HMAC over len(aad) | len(ct) | Nt (8 bytes BE each) | nonce | aad | ct, truncated to Nt. */
async function computeTag(key: Extract<AeadKey, { kind: 'AES-CTR-HMAC' }>, nonce: Bytes, aad: Uint8Array, ct: Uint8Array): Promise<Bytes> {
  const authData = new Uint8Array(24 + nonce.length + aad.length + ct.length);
  const view = new DataView(authData.buffer);
  view.setBigUint64(0, BigInt(aad.length));
  view.setBigUint64(8, BigInt(ct.length));
  view.setBigUint64(16, BigInt(key.suite.nt));
  authData.set(nonce, 24);
  authData.set(aad, 24 + nonce.length);
  authData.set(ct, 24 + nonce.length + aad.length);
  const mac = await globalThis.crypto.subtle.sign('HMAC', key.authKey, authData);
  return new Uint8Array(mac, 0, key.suite.nt);
}

/** AEAD.Encrypt(key, nonce, aad, pt): ciphertext followed by the Nt-byte tag. */
export async function aeadEncrypt(key: AeadKey, nonceIn: Uint8Array, aadIn: Uint8Array, ptIn: Uint8Array): Promise<Bytes> {
  const [nonce, aad, pt] = [bufferView(nonceIn), bufferView(aadIn), bufferView(ptIn)];
  const subtle = globalThis.crypto.subtle;
  try {
    if (key.kind === 'AES-GCM') {
      return new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, key.key, pt));
    }
    const ct = new Uint8Array(await subtle.encrypt(ctrParams(nonce), key.encKey, pt));
    const tag = await computeTag(key, nonce, aad, ct);
    const out = new Uint8Array(ct.length + tag.length);
    out.set(ct);
    out.set(tag, ct.length);
    return out;
  } catch (error) {
    throw new SFrameError('crypto-error', 'WebCrypto failed to encrypt', { cause: error });
  }
}

/**
 * AEAD.Decrypt(key, nonce, aad, ct): the plaintext, or SFrameError 'auth-failed'. The CTR suites
 * check the tag (in constant time) before decrypting anything (§4.5.1).
 */
export async function aeadDecrypt(key: AeadKey, nonceIn: Uint8Array, aadIn: Uint8Array, ctIn: Uint8Array): Promise<Bytes> {
  const [nonce, aad, ct] = [bufferView(nonceIn), bufferView(aadIn), bufferView(ctIn)];
  const nt = key.suite.nt;
  if (ct.length < nt) throw new SFrameError('ciphertext-truncated', `${ct.length} bytes cannot hold a ${nt}-byte tag`);
  const subtle = globalThis.crypto.subtle;
  if (key.kind === 'AES-GCM') {
    try {
      return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: 128 }, key.key, ct));
    } catch (error) {
      throw new SFrameError('auth-failed', 'AES-GCM authentication failed', { cause: error });
    }
  }
  const inner = ct.subarray(0, ct.length - nt);
  const expected = await computeTag(key, nonce, aad, inner);
  if (!constantTimeEqual(expected, ct.subarray(ct.length - nt))) throw new SFrameError('auth-failed', 'HMAC tag mismatch');
  try {
    return new Uint8Array(await subtle.decrypt(ctrParams(nonce), key.encKey, inner));
  } catch (error) {
    throw new SFrameError('crypto-error', 'WebCrypto failed to decrypt', { cause: error });
  }
}

/** An SFrame key for one KID: the imported AEAD key and the salt (§4.4.2). */
export interface SFrameKey {
  readonly kid: bigint;
  readonly suite: CipherSuiteParams;
  readonly aead: AeadKey;
  readonly salt: Bytes;
}

/** derive_key_salt + import. The raw AEAD key is zeroed once imported (the CryptoKey is not extractable). */
export async function deriveSFrameKey(suite: CipherSuiteParams, kid: bigint, baseKey: Uint8Array): Promise<SFrameKey> {
  const derived = await deriveKeySalt(suite, kid, baseKey);
  try {
    return { kid, suite, aead: await importAeadKey(suite, derived.key), salt: derived.salt };
  } finally {
    derived.key.fill(0);
    derived.secret.fill(0);
  }
}

/** nonce = sframe_salt XOR encode_big_endian(CTR, Nn) (§4.4.3). */
export function sframeNonce(salt: Uint8Array, ctr: bigint): Bytes {
  const nonce = new Uint8Array(salt);
  const n = nonce.length;
  const hi = Number(ctr >> 32n);
  const lo = Number(ctr & 0xffffffffn);
  for (let i = 0; i < 4; i++) {
    nonce[n - 1 - i] = (nonce[n - 1 - i] ?? 0) ^ ((lo >>> (8 * i)) & 0xff);
    nonce[n - 5 - i] = (nonce[n - 5 - i] ?? 0) ^ ((hi >>> (8 * i)) & 0xff);
  }
  return nonce;
}

/** aad = header + metadata (§4.4.3). */
function aadOf(header: Uint8Array, metadata: Uint8Array): Bytes {
  const aad = new Uint8Array(header.length + metadata.length);
  aad.set(header);
  aad.set(metadata, header.length);
  return aad;
}

/**
 * SFrame encrypt (§4.4.3) with an explicit CTR: header + AEAD.Encrypt(key, nonce, header + metadata, pt).
 * `prepend` bytes are written before the header in the output (the frame layer's clear codec prefix)
 * so the frame is assembled with one copy; they are authenticated only if they are also in `metadata`.
 * The caller owns CTR uniqueness (SFrameContext does it).
 */
export async function sframeEncrypt(
  key: SFrameKey,
  ctr: bigint,
  metadata: Uint8Array,
  plaintext: Uint8Array,
  prepend: Uint8Array = new Uint8Array(0),
): Promise<Bytes> {
  const hlen = headerLength(key.kid, ctr);
  const header = new Uint8Array(hlen);
  writeHeader(header, 0, key.kid, ctr);
  const sealed = await aeadEncrypt(key.aead, sframeNonce(key.salt, ctr), aadOf(header, metadata), plaintext);
  const out = new Uint8Array(prepend.length + hlen + sealed.length);
  out.set(prepend);
  out.set(header, prepend.length);
  out.set(sealed, prepend.length + hlen);
  return out;
}

/** SFrame decrypt (§4.4.4) of `sframe` (header included) whose header was already parsed as `header`. */
export async function sframeDecrypt(key: SFrameKey, header: DecodedHeader, sframe: Uint8Array, metadata: Uint8Array): Promise<Bytes> {
  const data = bufferView(sframe);
  const aad = aadOf(data.subarray(0, header.length), metadata);
  return aeadDecrypt(key.aead, sframeNonce(key.salt, header.ctr), aad, data.subarray(header.length));
}
