/// <reference lib="dom" />
/**
 * The meeting at phone size (390×844, issue 12, item 4) in Chromium: the control bar is on screen
 * and nothing scrolls sideways; tiles keep 16:9 and names are not cut short; People, Chat and the
 * Security menu open as full-screen sheets over the stage with a visible close button, and after
 * closing People a real click on Chat reaches it. PARLEY_SAVE_SCREENSHOTS=1 writes
 * docs/screenshots/meeting-phone.png and phone-people.png.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { assertNoHorizontalScroll } from './axe.js';
import { INSTRUMENT, createMeetingViaApi, eventually, joinFromPreJoin, launchBrowser, setupAdminViaApi, signInViaUi, startServer, type TestServer } from './helpers.js';

const SCREENSHOTS = process.env.PARLEY_SAVE_SCREENSHOTS === '1' ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : `${mkdtempSync(join(tmpdir(), 'parley-shots-'))}/`;
const PHONE = { width: 390, height: 844 };

describe('the meeting at phone size in Chromium', { timeout: 150_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  async function phone(): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    contexts.push(context);
    await context.addInitScript(INSTRUMENT);
    return context.newPage();
  }

  async function box(locator: Locator): Promise<{ x: number; y: number; width: number; height: number }> {
    const b = await locator.boundingBox();
    assert.ok(b, 'the element is laid out');
    return b;
  }

  /** The element lies wholly inside the window. */
  async function onScreen(locator: Locator, what: string): Promise<void> {
    const b = await box(locator);
    assert.ok(b.x >= 0 && b.y >= 0 && b.x + b.width <= PHONE.width + 0.5 && b.y + b.height <= PHONE.height + 0.5, `${what} is on screen (${JSON.stringify(b)})`);
  }

  /** A sheet: the full width of the window, from the top of the stage down to the control bar. */
  async function isSheet(page: Page, sheet: Locator, what: string): Promise<void> {
    const b = await box(sheet);
    assert.ok(b.x <= 0.5 && b.width >= PHONE.width - 1, `${what} spans the window (${JSON.stringify(b)})`);
    const controls = await box(page.locator('nav.controls'));
    assert.ok(b.y + b.height <= controls.y + 0.5, `${what} stops above the control bar`);
  }

  test('control bar, tiles, names, and People and Chat as sheets', async () => {
    const admin = await setupAdminViaApi(server, { email: 'ada@parley.test', displayName: 'Ada Admin' });
    const { joinUrl } = await createMeetingViaApi(server, admin, { title: 'On the go', settings: { lobby: false } });
    const host = await phone();
    await signInViaUi(host, server.url, 'ada@parley.test');
    await host.goto(joinUrl);
    await joinFromPreJoin(host, null);
    const guest = await phone();
    await guest.goto(joinUrl);
    await joinFromPreJoin(guest, 'Genevieve Guestington');
    await eventually('two tiles', async () => (await host.getByTestId('tile').count()) === 2);

    for (const page of [host, guest]) {
      await assertNoHorizontalScroll(page, 'the meeting');
      await onScreen(page.locator('nav.controls'), 'the control bar');
      for (const button of await page.locator('nav.controls button').all()) await onScreen(button, `control ${await button.getAttribute('data-testid')}`);
    }
    for (const tile of await host.getByTestId('tile').all()) {
      const b = await box(tile);
      assert.ok(Math.abs(b.width / b.height - 16 / 9) < 0.03, `a tile keeps 16:9 (${b.width}×${b.height})`);
      assert.ok(b.width >= PHONE.width * 0.8, 'two tiles: one column');
    }
    const name = host.locator('[data-testid="tile"][data-name="Genevieve Guestington"] .nameplate-name');
    const { shown, full } = await name.evaluate((el) => ({ shown: el.clientWidth, full: el.scrollWidth }));
    assert.ok(shown >= full, `the guest's whole name shows (${shown} of ${full} px)`);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await host.screenshot({ path: `${SCREENSHOTS}meeting-phone.png` });

    // People: a sheet with a close button; closing it gives the stage back and Chat takes a real click.
    await host.getByTestId('toggle-people').click();
    const people = host.locator('aside[aria-label="Participants"]');
    await people.waitFor();
    await isSheet(host, people, 'People');
    await onScreen(host.getByTestId('toggle-chat'), 'Chat while People is open');
    assert.equal(await host.getByTestId('tile-pin').first().isVisible(), false, 'the tiles under the sheet are out of reach (no hidden focus)');
    await host.screenshot({ path: `${SCREENSHOTS}phone-people.png` });
    const close = people.getByRole('button', { name: 'Close participants' });
    await onScreen(close, 'People’s close button');
    await close.click();
    await people.waitFor({ state: 'detached' });
    await host.getByTestId('toggle-chat').click({ timeout: 5_000 });
    const chat = host.getByTestId('chat-panel');
    await chat.waitFor();
    await isSheet(host, chat, 'Chat');
    await assertNoHorizontalScroll(host, 'the meeting with Chat open');
    await host.getByTestId('chat-close').click();
    await chat.waitFor({ state: 'detached' });

    // The Security menu: the whole screen, with its own close button.
    await host.getByTestId('toggle-security').click();
    const menu = host.getByTestId('security-menu');
    await menu.waitFor();
    const m = await box(menu);
    assert.ok(m.x <= 0.5 && m.width >= PHONE.width - 1 && m.y <= 0.5, `the Security menu fills the screen (${JSON.stringify(m)})`);
    await onScreen(host.getByTestId('security-close'), 'the Security menu’s close button');
    await host.getByTestId('security-close').click();
    await menu.waitFor({ state: 'detached' });
    assert.equal(await host.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'toggle-security', 'focus back on Security');
  });
});
