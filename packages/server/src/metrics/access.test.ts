/** Who may scrape /metrics: addresses and CIDR ranges (IPv4, IPv6, IPv4-mapped), and the Bearer token. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetricsAccess } from './access.js';

const TOKEN = 'a-long-enough-metrics-token';

test('addresses and ranges match as the server sees clients, IPv4-mapped IPv6 included', () => {
  const access = new MetricsAccess(['127.0.0.1', '::1', '10.20.0.0/16', 'fd00:1234::/32'], undefined);
  for (const address of ['127.0.0.1', '::ffff:127.0.0.1', '::1', '10.20.3.4', '::ffff:10.20.255.1', 'fd00:1234:5::9']) {
    assert.equal(access.allows(address, undefined), true, address);
  }
  for (const address of ['127.0.0.2', '10.21.0.1', 'fd00:1235::1', '::2', '203.0.113.7', 'not-an-address', '']) {
    assert.equal(access.allows(address, undefined), false, address);
  }
  assert.equal(access.allows(undefined, undefined), false, 'an address not to be believed matches nothing');
});

test('an empty list lets nobody in by address; the token lets anyone in, compared exactly', () => {
  const access = new MetricsAccess([], TOKEN);
  assert.equal(access.allows('127.0.0.1', undefined), false);
  assert.equal(access.allows('203.0.113.7', `Bearer ${TOKEN}`), true);
  assert.equal(access.allows(undefined, `bearer ${TOKEN}`), true, 'the scheme is case-insensitive');
  for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Bearer ${TOKEN.toUpperCase()}`, TOKEN, `Basic ${TOKEN}`, 'Bearer ', '']) {
    assert.equal(access.allows('203.0.113.7', header), false, header);
  }
});

test('without a token configured, no Authorization header opens it', () => {
  const access = new MetricsAccess(['127.0.0.1'], undefined);
  assert.equal(access.allows('203.0.113.7', 'Bearer '), false);
  assert.equal(access.allows('203.0.113.7', 'Bearer undefined'), false);
});
