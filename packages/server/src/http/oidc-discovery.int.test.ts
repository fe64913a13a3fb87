/**
 * A provider that is down when Parley starts does not stop Parley: single sign-on says the
 * provider is unavailable (audited), and works as soon as the provider is up, without a restart.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { test } from 'node:test';
import { startParley } from '../index.js';
import { createTestDatabase } from '../test-support/database.js';
import { startTestServer } from '../test-support/server.js';
import { startOidcProvider } from '../test-support/oidc-provider/start.js';
import { locationOf, NodeBrowser, signInAtProvider } from '../test-support/oidc-provider/browser.js';

async function unusedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

test('a provider down at start is asked again at the first sign-in', async () => {
  const port = await unusedPort();
  const server = await startTestServer({
    oidcIssuer: `http://127.0.0.1:${port}`,
    oidcClientId: 'parley-test',
    oidcClientSecret: 'parley-test-secret-0123456789',
    mediaWorkers: 1,
  });
  try {
    const browser = new NodeBrowser();
    const down = await browser.request(`${server.url}/api/auth/oidc/start?next=/about`);
    assert.equal(down.status, 302);
    const to = new URL(locationOf(down, server.url));
    assert.equal(to.pathname, '/signin');
    assert.equal(to.searchParams.get('reason'), 'provider_unavailable');
    assert.equal(to.searchParams.get('next'), '/about', 'the person can try again from where they were');
    assert.equal(browser.cookie('parley_oidc'), undefined);
    const audited = await server.server.db.selectFrom('audit_events').select('details').where('action', '=', 'auth.oidc.failed').execute();
    assert.match(audited[0]?.details ?? '', /provider_unavailable/);

    const provider = await startOidcProvider({ port });
    try {
      const res = await browser.request(await signInAtProvider(browser, server.url, 'alice', '/about'));
      assert.equal(locationOf(res, server.url), `${server.url}/about`);
      assert.ok(browser.sessionCookie());
    } finally {
      await provider.close();
    }
  } finally {
    await server.close();
  }
});

test('without single sign-on configured, its routes do not exist and the sign-in page is told so', async () => {
  const server = await startTestServer({ mediaWorkers: 1 });
  try {
    assert.deepEqual(await (await server.api('GET', '/api/auth/providers')).json(), { sso: null, localPasswords: true });
    assert.equal((await server.api('GET', '/api/auth/oidc/start')).status, 404);
    assert.equal((await server.api('GET', '/api/auth/oidc/callback?code=x&state=y')).status, 404);
  } finally {
    await server.close();
  }
});

test('on a fresh install, single sign-on creates no account: the first one is the administrator, made by the setup link', async () => {
  const provider = await startOidcProvider();
  const database = await createTestDatabase('parley-oidc-fresh-');
  const parley = await startParley({
    port: 0,
    host: '127.0.0.1',
    dataDir: database.dataDir,
    databaseUrl: database.databaseUrl,
    logLevel: 'silent',
    mediaWorkers: 1,
    oidcIssuer: provider.issuer,
    oidcClientId: provider.clientId,
    oidcClientSecret: provider.clientSecret,
  });
  try {
    const browser = new NodeBrowser();
    const res = await browser.request(await signInAtProvider(browser, parley.url, 'alice'));
    assert.equal(new URL(locationOf(res, parley.url)).searchParams.get('reason'), 'account_not_allowed');
    assert.equal(browser.sessionCookie(), undefined);
    assert.equal(await parley.server.accounts.setupRequired(), true, 'the setup link still works');
  } finally {
    await parley.close();
    await provider.close();
    await database.drop();
  }
});
