/// <reference lib="dom" />
/**
 * The console's Audit page in Chromium against a real server: the status line says the chain
 * verifies, the newest events fill the table, "Older" pages back, and the action filter narrows it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startParley, type RunningParley } from '../../packages/server/src/index.js';
import { eventually, launchBrowser, setupAdminViaApi, signInViaUi } from './helpers.js';

describe('the Audit page in Chromium', { timeout: 120_000 }, () => {
  let app: RunningParley;
  let dataDir: string;
  let browser: Browser;
  let page: Page;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-browser-'));
    app = await startParley({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', auditCheckpointEvery: 20 });
    await setupAdminViaApi({ url: app.url, setupUrl: app.setupUrl ?? '', close: () => app.close() }, { email: 'ada@parley.test', displayName: 'Ada Admin' });
    // Fixture: enough events for more than one page (50 a page).
    for (let i = 0; i < 70; i += 1) await app.server.audit.append({ action: i % 10 === 0 ? 'test.rare' : 'test.common', actor: 'fixture', details: { i } });
    browser = await launchBrowser();
    page = await (await browser.newContext()).newPage();
  });

  after(async () => {
    await browser?.close();
    await app?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  const rows = (): Promise<number> => page.getByTestId('audit-row').count();

  test('shows the verified chain, pages back with Older, filters by action', async () => {
    await signInViaUi(page, app.url, 'ada@parley.test');
    await page.goto(`${app.url}/admin/audit`);
    const status = page.getByTestId('audit-status');
    await eventually('the chain verified', async () => (await status.getAttribute('data-verified')) === 'true');
    assert.match((await status.textContent()) ?? '', /Chain verifies: \d+ records; last signed checkpoint covers \d+ records/);

    await eventually('the first page', async () => (await rows()) === 50);
    const firstSeq = Number(await page.getByTestId('audit-row').first().getAttribute('data-seq'));
    await page.getByTestId('audit-older').click();
    await eventually('the older page appended', async () => (await rows()) > 50);
    const seqs = await page.getByTestId('audit-row').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-seq'))));
    assert.equal(seqs[0], firstSeq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
    assert.equal(new Set(seqs).size, seqs.length);
    assert.equal(await page.getByTestId('audit-older').count(), 0, 'no Older button on the last page');

    await page.getByTestId('audit-filter-action').fill('test.rare');
    await page.getByTestId('audit-apply').click();
    await eventually('only the rare events', async () => (await rows()) === 7);
    const actions = await page.getByTestId('audit-row').evaluateAll((els) => els.map((el) => el.children[2]?.textContent));
    assert.deepEqual(new Set(actions), new Set(['test.rare']));
  });
});
