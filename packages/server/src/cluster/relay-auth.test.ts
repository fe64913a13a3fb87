/** The relay header: believed only with the cluster's secret, unaltered, fresh, and naming an IP address. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { signRelay, verifyRelayHeader } from './relay-auth.js';
import { singleNode } from './cluster.js';

const SECRET = 's'.repeat(40);
const NOW = 1_800_000_000_000;

test('a header signed with the secret gives the client address and the relaying node', () => {
  assert.deepEqual(verifyRelayHeader(SECRET, signRelay(SECRET, 'node-a', '203.0.113.7', NOW), NOW + 1000), { clientAddress: '203.0.113.7', from: 'node-a' });
  assert.deepEqual(verifyRelayHeader(SECRET, signRelay(SECRET, 'node-a', '2001:db8::1', NOW), NOW), { clientAddress: '2001:db8::1', from: 'node-a' });
  assert.equal(verifyRelayHeader(SECRET, undefined, NOW), null, 'no header: not relayed');
});

test('another secret, an altered address or node, a stale time, or garbage is invalid', () => {
  const header = signRelay(SECRET, 'node-a', '203.0.113.7', NOW);
  assert.equal(verifyRelayHeader('t'.repeat(40), header, NOW), 'invalid');
  const [v, node, at, , mac] = header.split('.');
  const other = Buffer.from('198.51.100.1').toString('base64url');
  assert.equal(verifyRelayHeader(SECRET, [v, node, at, other, mac].join('.'), NOW), 'invalid', 'address swapped');
  assert.equal(verifyRelayHeader(SECRET, header.replace('node-a', 'node-b'), NOW), 'invalid', 'node swapped');
  assert.equal(verifyRelayHeader(SECRET, header, NOW + 61_000), 'invalid', 'too old');
  assert.equal(verifyRelayHeader(SECRET, header, NOW - 61_000), 'invalid', 'from the future');
  assert.equal(verifyRelayHeader(SECRET, signRelay(SECRET, 'node-a', 'not-an-address', NOW), NOW), 'invalid', 'not an IP address');
  assert.equal(verifyRelayHeader(SECRET, 'v1.x', NOW), 'invalid');
  assert.equal(verifyRelayHeader(SECRET, [header, header], NOW), 'invalid', 'two headers');
});

test('a single node believes no relay header at all', () => {
  const node = singleNode();
  assert.equal(node.verifyRelay(undefined), null);
  assert.equal(node.verifyRelay(signRelay(SECRET, 'node-a', '203.0.113.7')), 'invalid');
});
