/// <reference lib="dom" />
/**
 * Accessibility in Chromium (issue 12, item 7). axe-core runs on every main screen, at desktop
 * (1280×800) and phone (390×844) size, and fails on serious or critical violations: home signed
 * out and signed in, sign-in, create meeting, pre-join, the guest's waiting room, the host's
 * waiting-room panel, the meeting with People, Chat and the Security menu open in turn, the removed
 * and ended screens, each section of the administrators' console, and About; at phone size none
 * of them scrolls sideways. Then the keyboard: pre-join focuses the name field, the shortcuts
 * (m, v, h, c, p, and ? for their list) act, Escape on the Security menu and the person menu
 * returns focus to their button, the person menu follows the arrow keys; and the live region
 * announces a join, someone waiting, an admission and a raised hand.
 * PARLEY_SAVE_SCREENSHOTS=1 writes docs/screenshots/meeting-desktop.png and the axe results.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assertNoHorizontalScroll, axeCheck, describeViolations, type AxeSummary } from './axe.js';
import {
  INSTRUMENT,
  PASSWORD,
  createMeetingViaApi,
  createMeetingViaUi,
  eventually,
  joinFromPreJoin,
  joinToLobby,
  launchBrowser,
  post,
  setupAdminViaApi,
  signInViaUi,
  startServer,
  type ApiSession,
  type TestServer,
} from './helpers.js';

const SAVE = process.env.PARLEY_SAVE_SCREENSHOTS === '1';
const SCREENSHOTS = SAVE ? fileURLToPath(new URL('../../docs/screenshots/', import.meta.url)) : `${mkdtempSync(join(tmpdir(), 'parley-shots-'))}/`;

const SIZES = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
type Size = keyof typeof SIZES;

const ADMIN_SECTIONS = ['people', 'policy', 'clients', 'audit', 'reports', 'posture'] as const;

describe('accessibility in Chromium', { timeout: 720_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  const contexts: BrowserContext[] = [];

  before(async () => {
    server = await startServer();
    admin = await setupAdminViaApi(server, { email: 'ada@parley.test', displayName: 'Ada Admin' });
    assert.equal((await post(server, '/api/users', { email: 'mo@parley.test', displayName: 'Mo Member', password: PASSWORD, orgRole: 'member' }, admin)).status, 201);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  async function open(size: Size): Promise<Page> {
    const context = await browser.newContext({ viewport: SIZES[size], ...(size === 'phone' ? { isMobile: true, hasTouch: true } : {}) });
    contexts.push(context);
    await context.addInitScript(INSTRUMENT);
    return context.newPage();
  }

  /** axe on every screen of a tour; the failures are listed together at the end. */
  function auditor(size: Size): { check: (page: Page, screen: string) => Promise<void>; finish: () => void } {
    const results: Record<string, { blocking: number; all: number; rules: string[] }> = {};
    const failures: string[] = [];
    return {
      async check(page, screen) {
        const summary: AxeSummary = await axeCheck(page);
        results[screen] = { blocking: summary.blocking.length, all: summary.all.length, rules: summary.all.map((v) => `${v.impact}:${v.id}`) };
        console.log(`# axe ${size} ${screen}: ${summary.blocking.length} serious/critical, ${summary.all.length} in all${summary.all.length ? ` (${results[screen].rules.join(', ')})` : ''}`);
        if (summary.blocking.length) {
          failures.push(`${screen}:\n${describeViolations(summary.blocking)}`);
          console.log(`# ${describeViolations(summary.blocking).replace(/\n/g, '\n# ')}`);
        }
        if (size === 'phone') {
          try {
            await assertNoHorizontalScroll(page, screen);
          } catch (err) {
            failures.push(String(err));
          }
        }
      },
      finish() {
        if (SAVE) writeFileSync(`${SCREENSHOTS}axe-${size}.json`, `${JSON.stringify(results, null, 2)}\n`);
        assert.deepEqual(failures, [], `at ${size} size:\n${failures.join('\n')}`);
      },
    };
  }

  const active = (page: Page): Promise<string | null> => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName ?? null);
  const pressed = (page: Page, testId: string): Promise<string | null> => page.getByTestId(testId).getAttribute('aria-pressed');
  const said = (page: Page): Promise<string> => page.getByTestId('live-region').evaluate((el) => el.textContent ?? '');

  /** A guest opens the link with the camera off, types a name where focus already is, and asks to join. */
  async function guestKnocks(page: Page, joinUrl: string, name: string): Promise<void> {
    await page.goto(joinUrl);
    await page.getByTestId('preview-video').waitFor({ state: 'attached' });
    await eventually('focus on the name field', async () => (await active(page)) === 'display-name');
    await page.keyboard.type(name);
    assert.equal(await page.getByTestId('display-name').inputValue(), name, 'typing goes into the name field');
    await page.getByTestId('prejoin-toggle-camera').click();
    await page.getByTestId('join-button').click();
    await page.getByTestId('lobby-screen').waitFor({ timeout: 15_000 });
  }

  test('keyboard and screen readers: focus, shortcuts, menus, and the live region', { timeout: 240_000 }, async () => {
    const { joinUrl } = await createMeetingViaApi(server, admin, { title: 'Keys', settings: { lobby: true } });
    const host = await open('desktop');
    await signInViaUi(host, server.url, 'ada@parley.test');
    await host.goto(joinUrl);
    await host.getByTestId('account-display-name').waitFor();
    await eventually('focus on Join (the name is the account’s)', async () => (await active(host)) === 'join-button');
    await host.keyboard.press('Enter');
    await host.getByTestId('video-grid').waitFor({ timeout: 15_000 });
    assert.equal(await host.locator('h1').textContent(), 'Keys', 'the meeting’s heading is its title');

    // The live region: someone waiting, then admitted (a moderator's view), a join (everyone's), a hand.
    const gina = await open('desktop');
    await guestKnocks(gina, joinUrl, 'Gina Guest');
    await eventually('the host hears Gina is waiting', async () => (await said(host)).includes('Gina Guest is waiting in the waiting room.'));
    await host.getByTestId('toggle-lobby').click();
    await host.getByTestId('admit-button').click();
    await gina.getByTestId('video-grid').waitFor({ timeout: 15_000 });
    await eventually('the host hears Gina was admitted', async () => (await said(host)).includes('Gina Guest admitted.'));
    const hal = await open('desktop');
    await guestKnocks(hal, joinUrl, 'Hal Guest');
    await host.getByTestId('admit-button').click();
    await hal.getByTestId('video-grid').waitFor({ timeout: 15_000 });
    await eventually('Gina hears Hal joined', async () => (await said(gina)).includes('Hal Guest joined.'));
    assert.ok(!(await said(gina)).includes('waiting'), 'only moderators hear about the waiting room');

    // Shortcuts on Gina's side: h raises her hand, the host hears it.
    await gina.locator('body').click({ position: { x: 5, y: 5 } });
    await gina.keyboard.press('h');
    await eventually('Gina’s hand is up', async () => (await pressed(gina, 'raise-hand')) === 'true');
    await eventually('the host hears the hand', async () => (await said(host)).includes('Gina Guest raised a hand.'));
    await gina.keyboard.press('Control+h');
    assert.equal(await pressed(gina, 'raise-hand'), 'true', 'a key with Ctrl is not a shortcut');

    // m and v act like the buttons; c opens the chat with the cursor in the message box, where m is just a letter.
    await host.locator('body').click({ position: { x: 5, y: 5 } });
    const mic = await pressed(host, 'toggle-mic');
    await host.keyboard.press('m');
    await eventually('m toggles the microphone', async () => (await pressed(host, 'toggle-mic')) !== mic);
    const cam = await pressed(host, 'toggle-camera');
    await host.keyboard.press('v');
    await eventually('v toggles the camera', async () => (await pressed(host, 'toggle-camera')) !== cam);
    await host.keyboard.press('c');
    await host.getByTestId('chat-panel').waitFor();
    await eventually('focus in the message box', async () => (await active(host)) === 'chat-input');
    const micNow = await pressed(host, 'toggle-mic');
    await host.keyboard.type('mvh');
    assert.equal(await host.getByTestId('chat-input').inputValue(), 'mvh');
    assert.equal(await pressed(host, 'toggle-mic'), micNow, 'typing in a field is not a shortcut');

    // ? lists the shortcuts in a dialog; Escape closes it and focus returns.
    await host.getByTestId('toggle-people').focus();
    await host.keyboard.press('?');
    const dialog = host.getByTestId('shortcuts-dialog');
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /M.*Mute or unmute.*V.*camera.*H.*hand.*C.*chat.*P.*people/s);
    await host.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await active(host), 'toggle-people', 'focus returns after the list closes');
    await host.keyboard.press('p');
    await host.getByTestId('participant-list').waitFor();

    // Escape on the Security menu returns focus to its button.
    await host.getByTestId('toggle-security').click();
    await host.getByTestId('security-menu').waitFor();
    assert.equal(await active(host), 'lock-toggle', 'the menu opens on its first switch');
    await host.keyboard.press('Escape');
    await host.getByTestId('security-menu').waitFor({ state: 'detached' });
    assert.equal(await active(host), 'toggle-security');

    // The person menu: a menu of menuitems, arrow keys, Home and End, Escape back to its button.
    const row = host.locator('[data-testid="participant-item"]', { hasText: 'Gina Guest' });
    await row.getByTestId('person-menu').focus();
    await host.keyboard.press('Enter');
    const items = row.locator('[role="menu"] [role="menuitem"]');
    await items.first().waitFor();
    const ids = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-testid')));
    assert.ok(ids.length >= 3, `several actions (${ids.join(', ')})`);
    assert.equal(await active(host), ids[0], 'focus on the first item');
    await host.keyboard.press('ArrowDown');
    assert.equal(await active(host), ids[1]);
    await host.keyboard.press('End');
    assert.equal(await active(host), ids.at(-1));
    await host.keyboard.press('ArrowDown');
    assert.equal(await active(host), ids[0], 'ArrowDown wraps to the first');
    await host.keyboard.press('ArrowUp');
    assert.equal(await active(host), ids.at(-1), 'ArrowUp wraps to the last');
    await host.keyboard.press('Home');
    assert.equal(await active(host), ids[0]);
    await host.keyboard.press('Escape');
    await items.first().waitFor({ state: 'detached' });
    assert.equal(await active(host), 'person-menu', 'Escape returns focus to the ⋯ button');
    await host.keyboard.press('Enter');
    await items.first().waitFor();
    await host.keyboard.press('Tab');
    await items.first().waitFor({ state: 'detached' });

    // The speaker view's strip of tiles is reachable with Tab (it scrolls).
    await host.getByTestId('toggle-view').click();
    const strip = host.locator('.strip');
    await strip.waitFor();
    await host.locator('[data-testid="speaker-main"] [data-testid="tile-pin"]').focus();
    await eventually('Tab reaches the strip', async () => {
      await host.keyboard.press('Tab');
      return strip.evaluate((el) => el === document.activeElement);
    }, 10_000, 50);
    await host.getByTestId('toggle-view').click();
    await host.getByTestId('video-grid').waitFor();
    if (SAVE) {
      mkdirSync(SCREENSHOTS, { recursive: true });
      await host.keyboard.press('v');
      await host.locator('[data-testid="tile"] video').first().waitFor();
      await host.screenshot({ path: `${SCREENSHOTS}meeting-desktop.png` });
    }
  });

  for (const size of ['desktop', 'phone'] as const) {
    test(`axe finds nothing serious on the main screens (${size})`, { timeout: 240_000 }, async () => {
      const { check, finish } = auditor(size);
      const guest = await open(size);
      await guest.goto(server.url);
      await guest.getByTestId('sign-in-to-host').waitFor();
      await check(guest, 'home (signed out)');
      await guest.goto(`${server.url}/signin`);
      await guest.getByTestId('signin-email').waitFor();
      await check(guest, 'sign-in');

      const host = await open(size);
      await signInViaUi(host, server.url, 'ada@parley.test');
      await host.getByTestId('create-title').waitFor();
      await check(host, 'home (signed in)');
      const joinUrl = await createMeetingViaUi(host, server.url, `Axe ${size}`, { lobby: true });
      await check(host, 'create meeting (created)');

      await host.goto(joinUrl);
      await host.getByTestId('preview-video').waitFor({ state: 'attached' });
      await check(host, 'pre-join (signed in)');
      await joinFromPreJoin(host, null);
      await check(host, 'meeting');
      const people = host.getByTestId('participant-list');
      if (!(await people.isVisible())) await host.getByTestId('toggle-people').click();
      await people.waitFor();
      await check(host, 'meeting, People');
      await host.getByTestId('toggle-chat').click();
      await host.getByTestId('chat-panel').waitFor();
      await check(host, 'meeting, Chat');
      await host.getByTestId('toggle-chat').click();
      await host.getByTestId('toggle-security').click();
      await host.getByTestId('security-menu').waitFor();
      await check(host, 'meeting, Security menu');
      await host.keyboard.press('Escape');
      await host.getByTestId('security-menu').waitFor({ state: 'detached' });

      await guest.goto(joinUrl);
      await guest.getByTestId('preview-video').waitFor({ state: 'attached' });
      await guest.getByTestId('display-name').waitFor();
      await check(guest, 'pre-join (guest)');
      await joinToLobby(guest, 'Gus Guest');
      await check(guest, 'waiting room (guest)');

      await host.getByTestId('toggle-lobby').click();
      await host.getByTestId('lobby-entry').waitFor();
      await check(host, 'waiting-room panel (host)');
      await host.getByTestId('admit-button').click();
      await guest.getByTestId('video-grid').waitFor({ timeout: 15_000 });
      await check(guest, 'meeting (guest)');
      await host.getByTestId('toggle-lobby').click();
      await host.getByTestId('lobby-panel').waitFor({ state: 'detached' });
      await host.getByTestId('toggle-view').click();
      await host.locator('.strip').waitFor();
      await check(host, 'meeting, speaker view');
      await host.getByTestId('toggle-view').click();

      if (!(await people.isVisible())) await host.getByTestId('toggle-people').click();
      await host.locator('[data-testid="participant-item"]', { hasText: 'Gus Guest' }).getByTestId('person-menu').click();
      await host.getByTestId('person-remove').click();
      await host.getByTestId('remove-dialog-confirm').click();
      await guest.locator('[data-testid="error-screen"][data-code="removed"]').waitFor({ timeout: 15_000 });
      await check(guest, 'removed');

      if (await people.isVisible()) await host.getByTestId('toggle-people').click();
      await host.getByTestId('toggle-security').click();
      await host.getByTestId('end-meeting').click();
      await host.getByTestId('end-meeting-dialog-confirm').click();
      await host.locator('[data-testid="error-screen"][data-code="meeting_ended"]').waitFor({ timeout: 15_000 });
      await check(host, 'ended');

      for (const section of ADMIN_SECTIONS) {
        await host.goto(`${server.url}/admin/${section}`);
        await host.locator('.admin-console h1').waitFor();
        await host.waitForLoadState('networkidle');
        await eventually(`the ${section} section to load`, async () => !(await host.locator('main').textContent())?.includes('Loading…'));
        await check(host, `admin ${section}`);
      }
      await host.goto(`${server.url}/about`);
      await host.getByTestId('about-server-build').waitFor();
      await host.waitForLoadState('networkidle');
      await check(host, 'about');
      finish();
    });
  }
});
