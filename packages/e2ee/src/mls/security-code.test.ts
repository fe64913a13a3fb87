/** The security code is a fixed, documented function of the epoch authenticator. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { securityCodeFromAuthenticator } from './security-code.js';

test('six groups of five digits, per 5-byte chunk as big-endian uint40 mod 100000', () => {
  assert.equal(securityCodeFromAuthenticator(new Uint8Array(32)), '00000 00000 00000 00000 00000 00000');
  // 2^40 - 1 = 1099511627775 → 27775; 0x0000000001 → 00001; 0x00000186a0 = 100000 → 00000; 0x00000186a1 → 00001.
  const bytes = new Uint8Array(32);
  bytes.set([0xff, 0xff, 0xff, 0xff, 0xff], 0);
  bytes.set([0, 0, 0, 0, 1], 5);
  bytes.set([0, 0, 0x01, 0x86, 0xa0], 10);
  bytes.set([0, 0, 0x01, 0x86, 0xa1], 15);
  bytes.set([0x12, 0x34, 0x56, 0x78, 0x9a], 20); // 78187493530 → 93530
  bytes.set([0, 0, 0, 0x30, 0x39], 25); // 12345
  bytes.set([0xff, 0xff], 30); // beyond the 30 bytes used
  assert.equal(securityCodeFromAuthenticator(bytes), '27775 00001 00000 00001 93530 12345');
});

test('a different authenticator gives a different code; too few bytes are refused', () => {
  const a = crypto.getRandomValues(new Uint8Array(32));
  const b = a.slice();
  b[29] = (b[29] ?? 0) ^ 1;
  assert.match(securityCodeFromAuthenticator(a), /^\d{5}( \d{5}){5}$/);
  assert.notEqual(securityCodeFromAuthenticator(a), securityCodeFromAuthenticator(b));
  assert.throws(() => securityCodeFromAuthenticator(new Uint8Array(29)), RangeError);
});
