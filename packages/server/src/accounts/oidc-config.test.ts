import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromEnv, isLoopbackHost, resolveConfig } from '../config.js';
import { oidcConfigured, oidcSettings } from './oidc.js';

const SSO = { PARLEY_OIDC_ISSUER: 'https://id.example.org/realms/staff', PARLEY_OIDC_CLIENT_ID: 'parley', PARLEY_OIDC_CLIENT_SECRET: 's3cret' };

test('single sign-on is configured by the three variables together, named after the issuer host by default', () => {
  const config = resolveConfig(configFromEnv(SSO));
  assert.equal(oidcConfigured(config), true);
  assert.deepEqual(oidcSettings(config), { issuer: SSO.PARLEY_OIDC_ISSUER, clientId: 'parley', clientSecret: 's3cret', name: 'id.example.org' });
  assert.equal(oidcSettings(resolveConfig(configFromEnv({ ...SSO, PARLEY_OIDC_NAME: 'Staff ID' })))?.name, 'Staff ID');
  assert.equal(oidcConfigured(resolveConfig(configFromEnv({}))), false);
  assert.throws(() => resolveConfig(configFromEnv({ PARLEY_OIDC_ISSUER: SSO.PARLEY_OIDC_ISSUER })), /together/);
  assert.throws(() => resolveConfig(configFromEnv({ ...SSO, PARLEY_OIDC_CLIENT_SECRET: '' })), /together/);
});

test('a plain-http issuer is accepted only on a literal loopback address', () => {
  assert.ok(resolveConfig(configFromEnv({ ...SSO, PARLEY_OIDC_ISSUER: 'http://127.0.0.1:9000' })));
  assert.ok(resolveConfig(configFromEnv({ ...SSO, PARLEY_OIDC_ISSUER: 'http://[::1]:9000' })));
  for (const issuer of ['http://id.example.org', 'http://localhost:9000', 'http://10.0.0.5', 'ftp://127.0.0.1']) {
    assert.throws(() => resolveConfig(configFromEnv({ ...SSO, PARLEY_OIDC_ISSUER: issuer })), /https/, issuer);
  }
  assert.equal(isLoopbackHost('127.1.2.3'), true);
  assert.equal(isLoopbackHost('127.example.org'), false);
});
