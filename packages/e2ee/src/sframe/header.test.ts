// SFrame header edge cases beyond the published vectors (vectors.test.ts): invalid input is refused
// with a coded SFrameError, never anything untyped.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from './bytes.js';
import { isSFrameError, SFrameError } from './errors.js';
import { decodeHeader, encodeHeader, MAX_UINT64 } from './header.js';

describe('SFrame header', () => {
  it('keeps values 0..7 in the config byte and extends from 8', () => {
    assert.equal(toHex(encodeHeader(7, 7)), '77');
    assert.equal(toHex(encodeHeader(8, 0)), '8008');
    assert.equal(toHex(encodeHeader(0, 8)), '0808');
    assert.equal(toHex(encodeHeader(0x123, 0x4567)), '990123' + '4567');
  });

  it('ignores bytes after the header', () => {
    assert.deepEqual(decodeHeader(fromHex('1a010000ffee')), { kid: 1n, ctr: 0x10000n, length: 4 });
  });

  it('refuses empty and truncated input', () => {
    for (const hex of ['', '08', '0901', '80', 'f0ffffffffffffff', 'ffffffffffffffffffffffffffffffff']) {
      assert.throws(() => decodeHeader(fromHex(hex)), (e) => isSFrameError(e, 'header-truncated'), hex);
    }
  });

  it('refuses non-minimal encodings (RFC 9605 §4.3 MUST)', () => {
    // CTR 5 in an extension byte, CTR 0x00ff in two bytes, KID 3 extended, KID 0x0001ff in three bytes
    for (const hex of ['0805', '0900ff', '8003', 'a00001ff']) {
      assert.throws(() => decodeHeader(fromHex(hex)), (e) => isSFrameError(e, 'header-noncanonical'), hex);
    }
  });

  it('refuses values outside 0..2^64-1 when encoding', () => {
    for (const [kid, ctr] of [[-1n, 0n], [0n, MAX_UINT64 + 1n], [0.5, 0], [Number.MAX_SAFE_INTEGER + 1, 0]] as const) {
      assert.throws(() => encodeHeader(kid, ctr), (e) => isSFrameError(e, 'value-out-of-range'));
    }
  });

  it('errors are SFrameErrors with a code and a message', () => {
    try {
      decodeHeader(new Uint8Array(0));
      assert.fail('decoded an empty header');
    } catch (e) {
      assert.ok(e instanceof SFrameError);
      assert.equal(e.code, 'header-truncated');
      assert.match(e.message, /^header-truncated: /);
    }
  });
});
