/**
 * TURN credentials in coturn's REST-API scheme, and the configuration that turns TURN on: the URIs
 * browsers accept, the secret that must come with them, and `relay` refused without TURN.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';
import { configFromEnv, resolveConfig } from '../config.js';
import { iceServersFor, turnIceServer, turnUriProblem } from './turn-credentials.js';

const SECRET = 'a-coturn-static-auth-secret';
const settings = { urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:443?transport=tcp'], secret: SECRET, ttlSeconds: 3600 };

test('the username is <expiry>:<participant>, the credential base64(HMAC-SHA1(secret, username)), as coturn recomputes it', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0, 500);
  const server = turnIceServer(settings, 'p_alice1', now);
  assert.equal(server.username, `${Date.UTC(2026, 0, 1, 13, 0, 0) / 1000}:p_alice1`);
  assert.equal(server.credential, createHmac('sha1', SECRET).update(server.username ?? '').digest('base64'));
  assert.deepEqual(server.urls, settings.urls);
  assert.notEqual(turnIceServer(settings, 'p_bob1234', now).credential, server.credential, 'bound to the participant');
  assert.notEqual(turnIceServer({ ...settings, secret: `${SECRET}x` }, 'p_alice1', now).credential, server.credential, 'bound to the secret');
  assert.throws(() => turnIceServer(settings, 'a:b', now));
});

test('without TURN configured, no ICE server at all (no third party by default)', () => {
  assert.deepEqual(iceServersFor(null)('p_alice1'), []);
  assert.equal(iceServersFor(settings)('p_alice1').length, 1);
});

test('TURN URIs (RFC 7065): turn:/turns:, host, optional port and transport', () => {
  for (const ok of ['turn:turn.example.org', 'turn:192.0.2.7:3478?transport=udp', 'turn:[2001:db8::7]:3478?transport=tcp', 'turns:turn.example.org:443?transport=tcp', 'turns:turn.example.org']) {
    assert.equal(turnUriProblem(ok), null, ok);
  }
  for (const bad of ['stun:turn.example.org', 'https://turn.example.org', 'turn://turn.example.org', 'turn:', 'turn:host:0', 'turn:host:99999', 'turn:host?transport=sctp', 'turn:[not:v6]:3478', 'turns:host?transport=udp', 'turn:user@host', 'turn:host/path']) {
    assert.notEqual(turnUriProblem(bad), null, bad);
  }
});

test('the configuration: URLs and secret together, a strong secret never echoed, relay only with TURN, TTL 1 h by default', () => {
  const turn = { turnUrls: ['turn:127.0.0.1:3478'], turnSecret: SECRET };
  const config = resolveConfig(turn);
  assert.equal(config.turnTtlSeconds, 3600);
  assert.equal(config.iceTransportPolicy, 'all');
  assert.equal(resolveConfig({ ...turn, iceTransportPolicy: 'relay' }).iceTransportPolicy, 'relay');
  assert.throws(() => resolveConfig({ turnUrls: turn.turnUrls }), /PARLEY_TURN_SECRET/);
  assert.throws(() => resolveConfig({ turnSecret: SECRET }), /PARLEY_TURN_URLS/);
  assert.throws(() => resolveConfig({ iceTransportPolicy: 'relay' }), /relay needs a TURN server/);
  assert.throws(() => resolveConfig({ ...turn, turnUrls: ['stun:127.0.0.1'] }), /PARLEY_TURN_URLS/);
  assert.throws(() => resolveConfig({ ...turn, turnTtlSeconds: 899 }), 'shorter than three renewals');
  const weak = 'short secret';
  assert.throws(
    () => resolveConfig({ ...turn, turnSecret: weak }),
    (err: Error) => /PARLEY_TURN_SECRET/.test(err.message) && !err.message.includes(weak),
  );
});

test('the environment: PARLEY_TURN_URLS comma-separated, PARLEY_TURN_TTL_SECONDS, PARLEY_ICE_TRANSPORT_POLICY', () => {
  const config = resolveConfig(configFromEnv({
    PARLEY_TURN_URLS: 'turn:turn.example.org:3478?transport=udp, turns:turn.example.org:443?transport=tcp',
    PARLEY_TURN_SECRET: SECRET,
    PARLEY_TURN_TTL_SECONDS: '1800',
    PARLEY_ICE_TRANSPORT_POLICY: 'relay',
  }));
  assert.deepEqual(config.turnUrls, settings.urls);
  assert.equal(config.turnSecret, SECRET);
  assert.equal(config.turnTtlSeconds, 1800);
  assert.equal(config.iceTransportPolicy, 'relay');
  assert.throws(() => resolveConfig(configFromEnv({ PARLEY_ICE_TRANSPORT_POLICY: 'none' })));
});
