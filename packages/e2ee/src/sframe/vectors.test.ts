// The SFrame working group's published test vectors (RFC 9605 Appendix C), byte for byte, both ways,
// and one flipped bit anywhere in a ciphertext is refused. The vectors are kept in the repository
// (packages/e2ee/test-vectors, copied unchanged from sframe-wg/sframe's test-vectors at commit 3d07d8f);
// their absence fails this file rather than skipping it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { fromHex, toHex } from './bytes.js';
import { SFrameContext } from './context.js';
import { aeadDecrypt, aeadEncrypt, deriveSFrameKey, importAeadKey, sframeDecrypt, sframeEncrypt, sframeNonce } from './crypto.js';
import { isSFrameError } from './errors.js';
import { decodeHeader, encodeHeader } from './header.js';
import { deriveKeySalt } from './kdf.js';
import { cipherSuite } from './suites.js';

const vectorsDir = new URL('../../test-vectors/', import.meta.url);

/** JSON.parse would round the 64-bit kid/ctr values: quote them first and read them as bigints. */
function loadVectors(name: string): Record<string, unknown> {
  const path = fileURLToPath(new URL(name, vectorsDir));
  assert.ok(existsSync(path), `test vectors missing: ${path}`);
  const text = readFileSync(path, 'utf8').replace(/"(kid|ctr)"\s*:\s*(\d+)/g, '"$1": "$2"');
  return JSON.parse(text) as Record<string, unknown>;
}

interface HeaderVector { kid: bigint; ctr: bigint; encoded: string }
interface AeadVector { cipher_suite: number; key: string; enc_key: string; auth_key: string; nonce: string; aad: string; pt: string; ct: string }
interface SFrameVector {
  cipher_suite: number; kid: bigint; ctr: bigint; base_key: string; sframe_key_label: string; sframe_salt_label: string;
  sframe_secret: string; sframe_key: string; sframe_salt: string; metadata: string; nonce: string; aad: string; pt: string; ct: string;
}

function list(file: Record<string, unknown>, key: string): Record<string, unknown>[] {
  const value = file[key];
  assert.ok(Array.isArray(value), `${key} is not a list`);
  return value as Record<string, unknown>[];
}
function withBigInts<T>(entries: Record<string, unknown>[]): T[] {
  return entries.map((e) => ({ ...e, ...('kid' in e ? { kid: BigInt(e.kid as string) } : {}), ...('ctr' in e ? { ctr: BigInt(e.ctr as string) } : {}) }) as T);
}

const main = loadVectors('sframe-rfc9605.json');
const aes256 = loadVectors('sframe-rfc9605-aes256.json');
const headers = withBigInts<HeaderVector>(list(main, 'header'));
const aeads = [...list(main, 'aes_ctr_hmac'), ...list(main, 'aes_256_ctr_hmac')] as unknown as AeadVector[];
const sframes = withBigInts<SFrameVector>([...list(main, 'sframe'), ...list(aes256, 'sframe_aes_256_ctr_hmac')]);

/** Every variant of `data` with exactly one bit flipped. */
function* bitFlips(data: Uint8Array): Generator<[number, Uint8Array]> {
  for (let bit = 0; bit < data.length * 8; bit++) {
    const copy = new Uint8Array(data);
    copy[bit >> 3] = (copy[bit >> 3] ?? 0) ^ (1 << (bit & 7));
    yield [bit, copy];
  }
}

describe('RFC 9605 header vectors', () => {
  it('has vectors, with 64-bit values intact', () => {
    assert.ok(headers.length > 0);
    assert.ok(headers.some((h) => h.kid === (1n << 64n) - 1n && h.ctr === (1n << 64n) - 1n));
  });
  it('encodes every (kid, ctr) to the published header and decodes it back', () => {
    for (const h of headers) {
      assert.equal(toHex(encodeHeader(h.kid, h.ctr)), h.encoded, `encode kid=${h.kid} ctr=${h.ctr}`);
      const bytes = fromHex(h.encoded);
      assert.deepEqual(decodeHeader(bytes), { kid: h.kid, ctr: h.ctr, length: bytes.length }, `decode ${h.encoded}`);
    }
  });
  it('rejects each published header cut short with a coded error', () => {
    for (const h of headers) {
      const bytes = fromHex(h.encoded);
      for (let n = 0; n < bytes.length; n++) {
        assert.throws(() => decodeHeader(bytes.subarray(0, n)), (e) => isSFrameError(e, 'header-truncated'), `${h.encoded} cut to ${n}`);
      }
    }
  });
});

describe('RFC 9605 AES-CTR + HMAC vectors (§4.5.1)', () => {
  it('covers suites 1-3 and 6-8', () => {
    assert.deepEqual([...new Set(aeads.map((v) => v.cipher_suite))].sort(), [1, 2, 3, 6, 7, 8]);
  });
  for (const v of aeads) {
    it(`suite ${v.cipher_suite}: encrypt, decrypt, subkeys, and every one-bit change refused`, async () => {
      const suite = cipherSuite(v.cipher_suite);
      const key = fromHex(v.key);
      assert.equal(toHex(key.subarray(0, suite.nka)), v.enc_key);
      assert.equal(toHex(key.subarray(suite.nka)), v.auth_key);
      const aead = await importAeadKey(suite, key);
      const [nonce, aad, pt, ct] = [fromHex(v.nonce), fromHex(v.aad), fromHex(v.pt), fromHex(v.ct)];
      assert.equal(toHex(await aeadEncrypt(aead, nonce, aad, pt)), v.ct);
      assert.equal(toHex(await aeadDecrypt(aead, nonce, aad, ct)), v.pt);
      for (const [bit, bad] of bitFlips(ct)) {
        await assert.rejects(aeadDecrypt(aead, nonce, aad, bad), (e) => isSFrameError(e, 'auth-failed'), `ct bit ${bit}`);
      }
      for (const [bit, bad] of bitFlips(aad)) {
        await assert.rejects(aeadDecrypt(aead, nonce, bad, ct), (e) => isSFrameError(e, 'auth-failed'), `aad bit ${bit}`);
      }
    });
  }
});

describe('RFC 9605 SFrame vectors', () => {
  it('covers suites 1-8', () => {
    assert.deepEqual([...new Set(sframes.map((v) => v.cipher_suite))].sort(), [1, 2, 3, 4, 5, 6, 7, 8]);
  });
  for (const v of sframes) {
    describe(`suite ${v.cipher_suite}, kid ${v.kid}, ctr ${v.ctr}`, () => {
      const suite = cipherSuite(v.cipher_suite);
      const [baseKey, metadata, pt, ct] = [fromHex(v.base_key), fromHex(v.metadata), fromHex(v.pt), fromHex(v.ct)];

      it('derives the published labels, secret, key, salt and nonce', async () => {
        const d = await deriveKeySalt(suite, v.kid, baseKey);
        assert.equal(toHex(d.keyLabel), v.sframe_key_label);
        assert.equal(toHex(d.saltLabel), v.sframe_salt_label);
        assert.equal(toHex(d.secret), v.sframe_secret);
        assert.equal(toHex(d.key), v.sframe_key);
        assert.equal(toHex(d.salt), v.sframe_salt);
        assert.equal(toHex(sframeNonce(d.salt, v.ctr)), v.nonce);
        assert.equal(toHex(encodeHeader(v.kid, v.ctr)) + v.metadata, v.aad);
      });

      it('encrypts to the published ciphertext and decrypts it (explicit CTR)', async () => {
        const key = await deriveSFrameKey(suite, v.kid, baseKey);
        assert.equal(toHex(await sframeEncrypt(key, v.ctr, metadata, pt)), v.ct);
        assert.equal(toHex(await sframeDecrypt(key, decodeHeader(ct), ct, metadata)), v.pt);
      });

      it('does the same through an SFrameContext', async () => {
        const sender = new SFrameContext({ suite: v.cipher_suite });
        await sender.addSendKey(v.kid, baseKey, { initialCounter: v.ctr });
        assert.equal(toHex(await sender.encrypt(v.kid, pt, metadata)), v.ct);
        const receiver = new SFrameContext({ suite: v.cipher_suite });
        await receiver.addReceiveKey(v.kid, baseKey);
        const result = await receiver.decrypt(ct, metadata);
        assert.equal(result.kid, v.kid);
        assert.equal(result.ctr, v.ctr);
        assert.equal(toHex(result.plaintext), v.pt);
      });

      it('refuses the ciphertext with any one bit flipped (header, ciphertext, tag) or changed metadata', async () => {
        const receiver = new SFrameContext({ suite: v.cipher_suite });
        await receiver.addReceiveKey(v.kid, baseKey);
        let refused = 0;
        for (const [bit, bad] of bitFlips(ct)) {
          await assert.rejects(
            receiver.decrypt(bad, metadata),
            (e) => isSFrameError(e, 'auth-failed', 'unknown-kid', 'header-truncated', 'header-noncanonical', 'ciphertext-truncated'),
            `ct bit ${bit}`,
          );
          refused++;
        }
        assert.equal(refused, ct.length * 8);
        for (const [bit, bad] of bitFlips(metadata)) {
          await assert.rejects(receiver.decrypt(ct, bad), (e) => isSFrameError(e, 'auth-failed'), `metadata bit ${bit}`);
        }
        // Nothing forged moved the window: the genuine frame still decrypts once.
        assert.equal(toHex((await receiver.decrypt(ct, metadata)).plaintext), v.pt);
        await assert.rejects(receiver.decrypt(ct, metadata), (e) => isSFrameError(e, 'replay'));
      });
    });
  }
});
