/**
 * Single sign-on in Chromium: "Sign in with …" on Parley's sign-in page, the test OpenID Provider's
 * own login and consent pages (started by this test, in its network namespace), and back to Parley
 * signed in, the header saying how.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { startParley, type RunningParley } from '../../packages/server/src/index.js';
import { startOidcProvider, type TestProvider } from '../../packages/server/src/test-support/oidc-provider/start.js';
import { TEST_PROVIDER_PASSWORD } from '../../packages/server/src/test-support/oidc-provider/accounts.js';
import { cspViolations, INSTRUMENT, launchBrowser, setupAdminViaApi } from './helpers.js';

let provider: TestProvider;
let parley: RunningParley;
let dataDir: string;
let browser: Browser;

before(async () => {
  provider = await startOidcProvider();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-browser-sso-'));
  parley = await startParley({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    logLevel: 'silent',
    mediaWorkers: 1,
    oidcIssuer: provider.issuer,
    oidcClientId: provider.clientId,
    oidcClientSecret: provider.clientSecret,
    oidcName: 'Test IdP',
  });
  if (!parley.setupUrl) throw new Error('a fresh server should offer a setup link');
  await setupAdminViaApi({ url: parley.url, setupUrl: parley.setupUrl, close: async () => {} }, { email: 'admin@parley.test', displayName: 'Ada Admin' });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await parley?.close();
  await provider?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

test('signing in through the provider’s page lands back in Parley, signed in, via the provider', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.addInitScript(INSTRUMENT);
    await page.goto(`${parley.url}/signin?next=%2Fabout`);
    const sso = page.getByTestId('sso-sign-in');
    await sso.waitFor({ timeout: 15_000 });
    assert.equal((await sso.textContent())?.trim(), 'Sign in with Test IdP');
    await sso.click();

    await page.getByTestId('op-login').waitFor({ timeout: 15_000 });
    assert.ok(page.url().startsWith(provider.issuer), 'at the provider');
    await page.getByTestId('op-login').fill('alice');
    await page.getByTestId('op-password').fill(TEST_PROVIDER_PASSWORD);
    await page.getByTestId('op-submit').click();
    await page.getByTestId('op-allow').click({ timeout: 15_000 });

    await page.getByTestId('auth-method').waitFor({ timeout: 15_000 });
    assert.equal(new URL(page.url()).origin, parley.url);
    assert.equal(new URL(page.url()).pathname, '/about', 'back where the person was going');
    assert.equal((await page.getByTestId('account-name').textContent())?.trim(), 'Alice Example');
    assert.equal((await page.getByTestId('auth-method').textContent())?.trim(), 'via Test IdP');
    assert.equal(await page.getByTestId('auth-method').getAttribute('data-auth-method'), 'oidc');
    assert.deepEqual(await cspViolations(page), []);
  } finally {
    await context.close();
  }
});

test('a single sign-on the person denies ends on the sign-in page with the reason', async () => {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${parley.url}/signin`);
    await page.getByTestId('sso-sign-in').click({ timeout: 15_000 });
    await page.getByTestId('op-login').fill('bob', { timeout: 15_000 });
    await page.getByTestId('op-password').fill(TEST_PROVIDER_PASSWORD);
    await page.getByTestId('op-submit').click();
    await page.getByTestId('op-deny').click({ timeout: 15_000 });
    const error = page.getByTestId('sso-error');
    await error.waitFor({ timeout: 15_000 });
    assert.equal(await error.getAttribute('data-code'), 'provider_refused');
    assert.equal(new URL(page.url()).search, '', 'the failure is not left in the address');
    assert.equal(await page.getByTestId('account-name').count(), 0, 'not signed in');
  } finally {
    await context.close();
  }
});
