/// <reference lib="dom" />
/**
 * Tiles, alerts and the People page through the real UI and server in Chromium (issue 12, items 6,
 * 8 and 9): every tile carries connection-quality bars with a level (named for screen readers, the
 * numbers in the tooltip), measured by the SFU; a guest who mutes shows "Muted" on their tile to
 * everyone, and "Muted by host" once the host mutes all; the camera-off tile shows the avatar; a
 * phone-size participant (390×844) sees the same indicators. A guest's blocked link alerts the host
 * as a toast that collapses by itself into the Activity list, where the host still locks the meeting
 * and removes the guest. The administrators' People page lists seeded accounts, page by page, with
 * their role, status, sign-in method and last sign-in. Each step builds on the previous one.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  INSTRUMENT,
  PASSWORD,
  createMeetingViaApi,
  eventually,
  joinFromPreJoin,
  launchBrowser,
  newParticipant,
  post,
  selfId,
  setupAdminViaApi,
  signInViaUi,
  startServer,
  type ApiSession,
  type Participant,
  type TestServer,
} from './helpers.js';

describe('tile indicators, the Activity list and the People page in Chromium', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  const people: Participant[] = [];
  let host: Participant;
  let mallory: Participant;
  let pia: Participant;
  let joinUrl = '';
  let malloryId = '';
  let hostId = '';

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await setupAdminViaApi(server, { email: 'hana@parley.test', displayName: 'Hana Host' });
    const created = await createMeetingViaApi(server, admin, { title: 'Tiles', settings: { lobby: false, features: { chat: true } } });
    joinUrl = created.joinUrl;
  });

  after(async () => {
    for (const p of people) await p.context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  /** A participant on a phone-size screen (same instrumentation as newParticipant). */
  async function phone(name: string): Promise<Participant> {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    await context.addInitScript(INSTRUMENT);
    const page = await context.newPage();
    const p: Participant = { name, context, page, errors: [] };
    page.on('pageerror', (err) => p.errors.push(String(err)));
    people.push(p);
    return p;
  }

  async function guestJoins(p: Participant, name: string, camera: boolean): Promise<void> {
    await p.page.goto(joinUrl);
    await p.page.getByTestId('preview-video').waitFor({ state: 'attached' });
    if (!camera) await p.page.getByTestId('prejoin-toggle-camera').click();
    await joinFromPreJoin(p.page, name);
  }

  const tileOf = (page: Page, participantId: string): Locator => page.locator(`[data-testid="tile"][data-source="camera"][data-participant-id="${participantId}"]`);

  async function qualityOf(tile: Locator): Promise<{ level: string; label: string; title: string }> {
    const bars = tile.getByTestId('tile-quality');
    await bars.waitFor({ timeout: 30_000 });
    return { level: (await bars.getAttribute('data-level')) ?? '', label: (await bars.getAttribute('aria-label')) ?? '', title: (await bars.getAttribute('title')) ?? '' };
  }

  test('every tile shows connection-quality bars with a level, named, the numbers in the tooltip', async () => {
    host = await newParticipant(browser, 'Hana');
    people.push(host);
    await signInViaUi(host.page, server.url, 'hana@parley.test');
    await host.page.goto(joinUrl);
    await joinFromPreJoin(host.page, null);
    hostId = await selfId(host.page);
    mallory = await newParticipant(browser, 'Mallory');
    people.push(mallory);
    await guestJoins(mallory, 'Mallory Guest', false);
    malloryId = await selfId(mallory.page);

    const malloryOnHost = tileOf(host.page, malloryId);
    const q = await qualityOf(malloryOnHost);
    assert.match(q.level, /^(good|fair|poor)$/);
    assert.equal(q.label, `Connection ${q.level}`);
    assert.match(q.title, /^Connection (good|fair|poor): Sending (\d+\/10|not measured), receiving (\d+\/10|not measured) \(10 = nothing lost\)$/);
    assert.match(q.title, /\d+\/10/, 'the tooltip gives a measured number');
    assert.equal(await host.page.getByRole('img', { name: /^Connection (good|fair|poor)$/ }).count() >= 2, true, 'the host’s own tile too');
    const own = await qualityOf(tileOf(host.page, hostId));
    assert.match(own.title, /You send \d+\/10/, 'one’s own tile shows one’s uplink');
    // Mallory's camera is off: her tile shows her avatar.
    assert.equal(await malloryOnHost.locator('.avatar').count(), 1);
    assert.equal(await malloryOnHost.locator('video').count(), 0);
  });

  test('a guest who mutes shows “Muted” to everyone; after Mute all, “Muted by host”', async () => {
    const malloryOnHost = tileOf(host.page, malloryId);
    assert.equal(await malloryOnHost.getByTestId('tile-muted').count(), 0, 'her microphone is on');
    await mallory.page.getByTestId('toggle-mic').click();
    const muted = malloryOnHost.getByTestId('tile-muted');
    await muted.waitFor({ timeout: 15_000 });
    assert.equal(await muted.getAttribute('aria-label'), 'Muted, microphone off');
    assert.equal(await muted.getAttribute('data-by-host'), null);
    assert.equal((await muted.textContent())?.trim(), 'Muted');
    assert.ok(await muted.isVisible(), 'the word is shown, not only an icon');
    assert.match((await malloryOnHost.getAttribute('aria-label')) ?? '', /^Mallory Guest, muted/);

    await host.page.getByTestId('toggle-security').click();
    await host.page.getByTestId('mute-all').click();
    await host.page.keyboard.press('Escape');
    await eventually('“Muted by host” on Mallory’s tile', async () => (await muted.getAttribute('data-by-host')) === 'true', 15_000);
    assert.equal((await muted.textContent())?.trim(), 'Muted by host');
    assert.equal(await muted.getAttribute('aria-label'), 'Muted by host, microphone off');
    // She sees it on her own tile too.
    const own = tileOf(mallory.page, malloryId).getByTestId('tile-muted');
    await eventually('Mallory’s own tile says muted by host', async () => (await own.getAttribute('data-by-host')) === 'true', 15_000);
  });

  test('at phone size (390×844) the muted mark and the quality bars are on screen and readable', async () => {
    pia = await phone('Pia');
    await guestJoins(pia, 'Pia Phone', true);
    const malloryOnPia = tileOf(pia.page, malloryId);
    const muted = malloryOnPia.getByTestId('tile-muted');
    await muted.waitFor({ timeout: 15_000 });
    assert.ok(await muted.isVisible());
    assert.equal(await muted.getAttribute('aria-label'), 'Muted by host, microphone off');
    const box = await muted.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390 && box.width >= 12 && box.height >= 12, `the mark is on screen and not tiny: ${JSON.stringify(box)}`);
    for (const id of [malloryId, hostId]) {
      const q = await qualityOf(tileOf(pia.page, id));
      assert.match(q.level, /^(good|fair|poor)$/);
      const barsBox = await tileOf(pia.page, id).getByTestId('tile-quality').boundingBox();
      assert.ok(barsBox && barsBox.x + barsBox.width <= 390 && barsBox.width >= 10, `bars on screen: ${JSON.stringify(barsBox)}`);
    }
    await pia.page.screenshot({ path: '/tmp/parley-tiles-phone.png' });
  });

  test('an untrusted-activity alert collapses into the Activity list, where the host still locks and removes', async () => {
    await mallory.page.getByTestId('toggle-chat').click();
    await mallory.page.getByTestId('chat-input').fill('look at https://example.org/win');
    await mallory.page.getByTestId('chat-send').click();
    const toast = host.page.locator('[data-testid="alert"][data-kind="untrusted-activity"][data-attempted="link"]');
    await toast.waitFor({ timeout: 15_000 });
    assert.equal(await toast.getAttribute('role'), 'alert', 'announced once, as a toast');
    await host.page.screenshot({ path: '/tmp/parley-alert-toast.png' });
    // It collapses by itself (20 s) into the Activity list: nothing is lost.
    await toast.waitFor({ state: 'detached', timeout: 60_000 });
    const button = host.page.getByTestId('activity-button');
    assert.equal(await button.getByTestId('activity-count').textContent(), '1');
    assert.equal(await button.getAttribute('aria-label'), 'Activity, 1 new');
    // The rest at phone size: the list fits the screen and its actions work there. (A phone opens
    // the meeting without the people panel, which would cover the screen: close it as a phone has it.)
    const closePeople = host.page.getByRole('button', { name: 'Close participants' });
    if (await closePeople.isVisible()) await closePeople.click();
    await host.page.setViewportSize({ width: 390, height: 844 });
    const buttonBox = await button.boundingBox();
    assert.ok(buttonBox && buttonBox.x >= 0 && buttonBox.x + buttonBox.width <= 390, `the Activity button is on screen: ${JSON.stringify(buttonBox)}`);
    await button.click();
    const list = host.page.getByTestId('activity-list');
    await list.waitFor();
    assert.equal(await list.locator('[role="alert"], [aria-live]').count(), 0, 'the list is not announced again');
    const item = list.locator(`[data-testid="activity-item"][data-participant-id="${malloryId}"][data-attempted="link"]`);
    await item.waitFor();
    assert.equal(await item.getByTestId('activity-who').textContent(), 'Mallory Guest');
    assert.match((await item.getByTestId('activity-time').getAttribute('datetime')) ?? '', /^\d{4}-\d\d-\d\dT/);
    assert.match((await item.getByTestId('activity-time').textContent()) ?? '', /\d/);
    assert.equal(await button.getByTestId('activity-count').count(), 0, 'seen once opened');
    const listBox = await list.boundingBox();
    assert.ok(listBox && listBox.x >= 0 && listBox.x + listBox.width <= 390, `the list fits the phone screen: ${JSON.stringify(listBox)}`);
    await host.page.screenshot({ path: '/tmp/parley-activity-phone.png' });
    await list.screenshot({ path: '/tmp/parley-activity.png' });

    await item.getByTestId('activity-lock').click();
    await host.page.getByTestId('locked-indicator').waitFor({ timeout: 10_000 });
    await eventually('the Lock action to go once locked', async () => (await item.getByTestId('activity-lock').count()) === 0, 5_000);

    await item.getByTestId('activity-remove').click();
    await mallory.page.locator('[data-testid="error-screen"][data-code="removed"]').waitFor({ timeout: 15_000 });
    await item.getByTestId('activity-removed').waitFor({ timeout: 10_000 });
    await host.page.setViewportSize({ width: 1280, height: 720 });
  });

  test('the People page lists the seeded accounts page by page, with role, status, sign-in method and last sign-in', async () => {
    for (let i = 0; i < 26; i++) {
      const res = await post(server, '/api/users', { email: `seed${String(i).padStart(2, '0')}@parley.test`, displayName: `Seeded Person ${i}`, password: PASSWORD, orgRole: 'member' }, admin);
      assert.equal(res.status, 201);
    }
    assert.equal((await post(server, '/api/users', { email: 'ext@parley.test', displayName: 'Exa External', password: PASSWORD, orgRole: 'external' }, admin)).status, 201);
    const page = host.page;
    await page.goto(`${server.url}/admin/people`);
    const rows = page.getByTestId('people-row');
    await eventually('the first page of accounts', async () => (await rows.count()) === 25, 15_000);
    await page.getByTestId('people-more').click();
    await eventually('every account (26 seeded, one external, the admin)', async () => (await rows.count()) === 28, 15_000);
    assert.equal(await page.getByTestId('people-more').count(), 0, 'the last page');

    const ext = page.locator('[data-testid="people-row"][data-email="ext@parley.test"]');
    assert.match((await ext.textContent()) ?? '', /Exa External/);
    assert.equal(await ext.getByTestId('people-role').inputValue(), 'external');
    assert.match((await ext.textContent()) ?? '', /Active/);
    assert.equal(await ext.getByTestId('people-auth').textContent(), 'Password');
    assert.equal(await ext.getByTestId('people-last-sign-in').textContent(), 'Never');
    const self = page.locator('[data-testid="people-row"][data-email="hana@parley.test"]');
    assert.match((await self.getByTestId('people-last-sign-in').textContent()) ?? '', /\d.*\(password\)$/);
    // Each row keeps its actions.
    assert.equal(await ext.getByTestId('people-disable').isDisabled(), false);
    assert.equal(await ext.getByTestId('people-reset').count(), 1);
    for (const p of people) assert.deepEqual(p.errors.filter((e) => !/WebSocket|ERR_|removed/i.test(e)), [], `${p.name}: no page errors`);
  });
});
