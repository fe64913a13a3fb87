/**
 * PARLEY_TRUST_PROXY (the issue's "X-Forwarded-For from any hop"): only the configured proxies'
 * hops are believed, so a client cannot pick its own address by writing the header.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromEnv, resolveConfig } from '../config.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

/** The address the server recorded for a failed sign-in sent with this X-Forwarded-For. */
async function recordedAddress(server: TestServer, forwardedFor: string): Promise<string | null> {
  const res = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ email: 'nobody@parley.test', password: 'wrong password!' }),
  });
  assert.equal(res.status, 401);
  const row = await server.server.db
    .selectFrom('audit_events')
    .select('client_address')
    .where('action', '=', 'signin.failed')
    .orderBy('seq', 'desc')
    .executeTakeFirst();
  return row?.client_address ?? null;
}

test('true trusts only a proxy on this machine: the hop it saw, not what the client wrote', async () => {
  const server = await startTestServer({ trustProxy: true });
  try {
    assert.equal(await recordedAddress(server, '10.1.1.1, 203.0.113.9'), '203.0.113.9');
  } finally {
    await server.close();
  }
});

test('a list trusts only those proxies; from anywhere else the header is ignored', async () => {
  const server = await startTestServer({ trustProxy: ['10.0.0.1', '192.168.0.0/16'] });
  try {
    assert.equal(await recordedAddress(server, '203.0.113.9'), '127.0.0.1');
  } finally {
    await server.close();
  }
});

test('PARLEY_TRUST_PROXY takes true, false or addresses and CIDR ranges; anything else stops the start', () => {
  assert.deepEqual(configFromEnv({ PARLEY_TRUST_PROXY: '10.0.0.1, 192.168.0.0/16' }).trustProxy, ['10.0.0.1', '192.168.0.0/16']);
  assert.equal(configFromEnv({ PARLEY_TRUST_PROXY: 'true' }).trustProxy, true);
  assert.throws(() => resolveConfig(configFromEnv({ PARLEY_TRUST_PROXY: 'proxy.example.org' })));
  assert.throws(() => resolveConfig(configFromEnv({ PARLEY_TRUST_PROXY: '10.0.0.0/33' })));
});
