import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressKey } from './address.js';

test('throttles count IPv4 by address and IPv6 by /64; IPv4-mapped IPv6 is the IPv4 address', () => {
  assert.equal(addressKey('203.0.113.9'), '203.0.113.9');
  assert.equal(addressKey('::ffff:203.0.113.9'), '203.0.113.9');
  assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:0db8:0001:0002::/64');
  assert.equal(addressKey('2001:db8:1:2:ffff:ffff:ffff:ffff'), addressKey('2001:db8:1:2::'), 'one /64, one key');
  assert.notEqual(addressKey('2001:db8:1:3::1'), addressKey('2001:db8:1:2::1'), 'another /64, another key');
  assert.equal(addressKey('::1'), '0000:0000:0000:0000::/64');
  assert.equal(addressKey('fe80::1%eth0'), 'fe80:0000:0000:0000::/64');
  assert.equal(addressKey('64:ff9b::198.51.100.1'), '0064:ff9b:0000:0000::/64');
  assert.equal(addressKey('not an address'), 'not an address');
});
