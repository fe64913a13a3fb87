/// <reference lib="dom" />
/**
 * The administrators' console in Chromium: the People list disables an account (the server then
 * signs that person out), the posture report shows seeded meetings' coverage and its printable view
 * keeps only the report (PARLEY_SAVE_SCREENSHOTS=1 refreshes docs/screenshots/posture.png), and About lists
 * the SBOM's components for an administrator.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { INSTRUMENT, PASSWORD, createMeetingViaApi, cspViolations, eventually, launchBrowser, post, sessionOf, setupAdminViaApi, signInViaUi, startServer, type ApiSession, type TestServer } from './helpers.js';

/** docs/screenshots/ when PARLEY_SAVE_SCREENSHOTS=1 (to refresh the committed ones), else a temporary folder. */
const SCREENSHOTS = process.env.PARLEY_SAVE_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : `${mkdtempSync(join(tmpdir(), 'parley-shots-'))}/`;

describe('the administrators console in Chromium', { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let admin: ApiSession;

  before(async () => {
    server = await startServer();
    admin = await setupAdminViaApi(server, { email: 'ada@parley.test', displayName: 'Ada Admin' });
    await createMeetingViaApi(server, admin, { title: 'Standard with passcode' });
    await createMeetingViaApi(server, admin, { title: 'Open standard', settings: { lobby: false } });
    const sensitive = await post(server, '/api/meetings', { title: 'Board', sensitivity: 'sensitive' }, admin);
    assert.equal(sensitive.status, 201);
    assert.equal((await post(server, '/api/users', { email: 'mel@parley.test', displayName: 'Mel Member', password: PASSWORD, orgRole: 'member' }, admin)).status, 201);
    await post(server, '/api/auth/sign-in', { email: 'mel@parley.test', password: 'not the password' });
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width: 1100, height: 1400 } });
    await context.addInitScript(INSTRUMENT);
    page = await context.newPage();
    await signInViaUi(page, server.url, 'ada@parley.test');
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('People: search finds the member; Disable signs them out at once', async () => {
    const mel = await sessionOf(await post(server, '/api/auth/sign-in', { email: 'mel@parley.test', password: PASSWORD }), 'sign-in');
    await page.goto(`${server.url}/admin`);
    await page.getByTestId('people-search').fill('mel');
    const row = page.locator('[data-testid="people-row"][data-email="mel@parley.test"]');
    await row.waitFor({ timeout: 10_000 });
    await eventually('the search narrows the list', async () => (await page.getByTestId('people-row').count()) === 1);
    await row.getByTestId('people-disable').click();
    await page.getByTestId('people-disable-dialog-confirm').click();
    await eventually('the row says disabled', async () => (await row.textContent())?.includes('Disabled'));
    const session = (await (await fetch(`${server.url}/api/session`, { headers: { cookie: mel.cookie } })).json()) as { user: unknown };
    assert.equal(session.user, null, 'the old cookie is signed out');
    // The administrator's own row offers no Disable.
    await page.getByTestId('people-search').fill('ada@');
    const self = page.locator('[data-testid="people-row"][data-email="ada@parley.test"]');
    await self.waitFor({ timeout: 10_000 });
    assert.equal(await self.getByTestId('people-disable').isDisabled(), true);
  });

  test('Posture: coverage of the seeded meetings, a printable view with only the report, and a screenshot', async () => {
    await page.goto(`${server.url}/admin/posture`);
    const standard = page.getByTestId('posture-class-standard');
    await standard.waitFor({ timeout: 10_000 });
    assert.match((await standard.textContent()) ?? '', /^Standard2\s*2 \(100 %\)\s*1 \(50 %\)\s*0 \(0 %\)/);
    assert.match((await page.getByTestId('posture-class-sensitive').textContent()) ?? '', /^Sensitive1\s*1 \(100 %\)\s*1 \(100 %\)\s*1 \(100 %\)/);
    assert.match((await page.getByTestId('posture-failed-signins').textContent()) ?? '', /^1/);
    assert.match((await page.getByTestId('posture-audit').textContent()) ?? '', /^\d+ records · .* · the chain verifies$/);
    assert.match((await page.getByTestId('posture-outdated').textContent()) ?? '', /^0 — none$/);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: `${SCREENSHOTS}posture.png`, fullPage: true });
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.admin-nav').isVisible(), false, 'print hides the console navigation');
    assert.equal(await page.locator('.appbar').isVisible(), false, 'print hides the account bar');
    assert.equal(await page.getByTestId('posture-controls').isVisible(), false, 'print hides the controls');
    assert.equal(await page.getByTestId('posture-report').isVisible(), true);
    await page.screenshot({ path: `${SCREENSHOTS}posture-print.png`, fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    const download = page.waitForEvent('download');
    await page.getByTestId('posture-download').click();
    assert.match((await download).suggestedFilename(), /^parley-posture-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.json$/);
  });

  test('About: the builds, and the components for an administrator', async () => {
    await page.goto(`${server.url}/about`);
    await page.getByTestId('about-components').waitFor({ timeout: 10_000 });
    assert.ok((await page.locator('[data-testid="about-components"] tbody tr').count()) > 10);
    assert.match((await page.getByTestId('about-server-build').textContent()) ?? '', /^\d+\.\d+\.\d+/);
    assert.deepEqual(await cspViolations(page), []);
  });
});
