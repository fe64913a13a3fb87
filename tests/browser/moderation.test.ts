/// <reference lib="dom" />
/**
 * Moderation and collaboration controls through the real UI and server (controls C6, C7, C10): with
 * the safe defaults a guest has no chat and cannot share a screen; the host turns chat on in the
 * Security menu; a guest's link is blocked, the host gets the untrusted-activity alert and removes
 * them in one click, and they stay out (same browser); under "hold" the host approves a link, which
 * everyone then gets as a safe clickable https link; under "allow" a UNC path stays plain text and
 * alerts the host; a file goes from the host to a guest; a moderator's mute and request to unmute
 * reach the guest's controls. Each step builds on the previous one, so they run in order.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  createMeetingViaApi,
  cspViolations,
  eventually,
  joinFromPreJoin,
  launchBrowser,
  newParticipant,
  selfId,
  setupAdminViaApi,
  signInViaUi,
  startServer,
  type Participant,
  type TestServer,
} from './helpers.js';

describe('moderation and collaboration controls in Chromium', { timeout: 150_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const people: Participant[] = [];
  let host: Participant;
  let mallory: Participant;
  let gina: Participant;
  let joinUrl = '';
  let ginaId = '';

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    for (const p of people) await p.context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  async function person(name: string): Promise<Participant> {
    const p = await newParticipant(browser, name);
    people.push(p);
    return p;
  }

  /** A guest opens the link and joins with the camera off (this file is about chat, not video). */
  async function guestJoins(p: Participant, name: string): Promise<void> {
    await p.page.goto(joinUrl);
    await p.page.getByTestId('preview-video').waitFor({ state: 'attached' });
    await p.page.getByTestId('prejoin-toggle-camera').click();
    await joinFromPreJoin(p.page, name);
  }

  async function openSecurity(page: Page): Promise<Locator> {
    const menu = page.getByTestId('security-menu');
    if (!(await menu.isVisible())) await page.getByTestId('toggle-security').click();
    await menu.waitFor();
    return menu;
  }

  async function closeSecurity(page: Page): Promise<void> {
    await page.keyboard.press('Escape');
    await page.getByTestId('security-menu').waitFor({ state: 'detached' });
  }

  async function openChat(page: Page): Promise<void> {
    if (!(await page.getByTestId('chat-panel').isVisible())) await page.getByTestId('toggle-chat').click();
    await page.getByTestId('chat-panel').waitFor();
  }

  async function send(page: Page, text: string): Promise<void> {
    await page.getByTestId('chat-input').fill(text);
    await page.getByTestId('chat-send').click();
  }

  /** The chat message whose text is exactly `text`. */
  function message(page: Page, text: string): Locator {
    return page.locator('[data-testid="chat-message"]').filter({ has: page.locator('.chat-text', { hasText: text }) });
  }

  test('safe defaults: a guest has no chat and is not offered screen sharing; the host turns chat on', async () => {
    const admin = await setupAdminViaApi(server, { email: 'hana@parley.test', displayName: 'Hana Host' });
    const created = await createMeetingViaApi(server, admin, { title: 'Moderation', settings: { lobby: false } });
    joinUrl = created.joinUrl;

    host = await person('Hana');
    await signInViaUi(host.page, server.url, 'hana@parley.test');
    await host.page.goto(joinUrl);
    await joinFromPreJoin(host.page, null);

    [mallory, gina] = await Promise.all([person('Mallory'), person('Gina')]);
    await Promise.all([guestJoins(mallory, 'Mallory Guest'), guestJoins(gina, 'Gina Guest')]);
    ginaId = await selfId(gina.page);

    const chatButton = mallory.page.getByTestId('toggle-chat');
    assert.equal(await chatButton.isDisabled(), true, 'chat is off by default');
    assert.equal(await chatButton.getAttribute('title'), 'Chat is turned off in this meeting');
    const share = mallory.page.getByTestId('toggle-screen');
    assert.equal(await share.isDisabled(), true, 'a guest is not offered screen sharing under "Hosts only"');
    assert.equal(await share.getAttribute('title'), 'Only hosts can share screens in this meeting');
    assert.equal(await host.page.getByTestId('toggle-screen').isDisabled(), false, 'the host may share');

    const menu = await openSecurity(host.page);
    const defaults: [string, string][] = [
      ['feature-chat', 'false'],
      ['feature-privateChat', 'false'],
      ['feature-screenShare-hosts', 'true'],
      ['feature-fileSharing', 'false'],
      ['feature-reactions', 'false'],
      ['feature-raiseHand', 'true'],
      ['feature-renameSelf', 'false'],
      ['feature-unmuteSelf', 'true'],
      ['feature-startVideo', 'true'],
      ['link-policy-block', 'true'],
    ];
    for (const [testId, checked] of defaults) assert.equal(await menu.getByTestId(testId).getAttribute('aria-checked'), checked, `${testId} defaults to ${checked}`);
    await menu.getByTestId('feature-chat').click();
    await eventually('Mallory’s chat to turn on', async () => !(await chatButton.isDisabled()), 5_000);
    await menu.screenshot({ path: '/tmp/parley-security-switches.png' });
    await closeSecurity(host.page);
  });

  test('(a) a guest’s link is blocked; the host is alerted and removes them in one click; they cannot rejoin', async () => {
    await openChat(mallory.page);
    await mallory.page.getByTestId('chat-input').fill('urgent: https://evil.example/login');
    await mallory.page.getByTestId('chat-link-hint').waitFor();
    await mallory.page.getByTestId('chat-send').click();
    const refusal = mallory.page.locator('[data-testid="chat-error"][data-code="link_blocked"]');
    await refusal.waitFor({ timeout: 15_000 });
    assert.equal(await refusal.textContent(), 'Links aren’t allowed in this meeting’s chat.');
    assert.equal(await mallory.page.getByTestId('chat-link-hint').count(), 0, 'one notice: the refusal replaces the hint');
    assert.equal(await mallory.page.getByTestId('chat-message').count(), 0, 'the blocked message went nowhere');

    const alert = host.page.locator('[data-testid="alert"][data-kind="untrusted-activity"][data-attempted="link"]');
    await alert.waitFor({ timeout: 15_000 });
    assert.equal(await alert.getByTestId('alert-who').textContent(), 'Mallory Guest');
    await host.page.screenshot({ path: '/tmp/parley-alert.png' });
    await alert.getByTestId('alert-remove').click();

    const removed = mallory.page.locator('[data-testid="error-screen"][data-code="removed"]');
    await removed.waitFor({ timeout: 15_000 });
    assert.match((await removed.textContent()) ?? '', /You were removed from this meeting/);
    assert.equal(await mallory.page.getByTestId('rejoin').count(), 0, 'no Rejoin after a removal');
    await alert.getByTestId('alert-removed').waitFor();
    await eventually('Mallory to leave the host’s list', async () => (await host.page.locator('[data-testid="participant-item"]', { hasText: 'Mallory' }).count()) === 0, 5_000);

    // Same browser (same parley_device cookie), same link: refused.
    await mallory.page.goto(joinUrl);
    await mallory.page.getByTestId('display-name').fill('Totally Not Mallory');
    await mallory.page.getByTestId('join-button').click();
    await mallory.page.locator('[data-testid="error-screen"][data-code="removed"]').waitFor({ timeout: 20_000 });
    await mallory.page.screenshot({ path: '/tmp/parley-removed.png' });

    const menu = await openSecurity(host.page);
    await menu.locator('[data-testid="removed-entry"][data-name="Mallory Guest"]').waitFor();
    await closeSecurity(host.page);
  });

  test('(b) under "hold" the host approves a guest’s link to an allowed domain; everyone gets it as a safe https link', async () => {
    const menu = await openSecurity(host.page);
    // Approval keeps the allow-list: only links to listed domains ever become clickable.
    await menu.getByTestId('link-policy-allow').click();
    await menu.getByTestId('allow-domain-input').fill('example.org');
    await menu.getByTestId('allow-domain-add').click();
    await menu.locator('[data-testid="allow-domain"][data-domain="example.org"]').waitFor({ timeout: 15_000 });
    await menu.getByTestId('link-policy-hold').click();
    await eventually('the hold policy', async () => (await menu.getByTestId('link-policy-hold').getAttribute('aria-checked')) === 'true', 5_000);
    await closeSecurity(host.page);

    await openChat(gina.page);
    await send(gina.page, 'see https://example.org/agenda');
    const mine = message(gina.page, 'see https://example.org/agenda');
    await mine.getByTestId('chat-held-marker').waitFor({ timeout: 15_000 });
    assert.equal(await mine.locator('a').count(), 0, 'not clickable while held');

    await openChat(host.page);
    const held = host.page.getByTestId('held-message');
    await held.waitFor({ timeout: 15_000 });
    assert.equal(await held.locator('.held-text').textContent(), 'see https://example.org/agenda');
    assert.equal(await held.locator('a').count(), 0, 'a held message is shown as text');
    await host.page.getByTestId('chat-panel').screenshot({ path: '/tmp/parley-chat-held.png' });
    await held.getByTestId('approve-message').click();
    await held.waitFor({ state: 'detached' });

    for (const p of [host, gina]) {
      const link = message(p.page, 'see https://example.org/agenda').locator('a');
      await link.waitFor({ timeout: 15_000 });
      assert.equal(await link.getAttribute('href'), 'https://example.org/agenda', `${p.name}: the exact href`);
      assert.equal(await link.getAttribute('target'), '_blank');
      const rel = ((await link.getAttribute('rel')) ?? '').split(/\s+/);
      assert.ok(rel.includes('noopener') && rel.includes('noreferrer'), `${p.name}: rel="${rel.join(' ')}"`);
      assert.equal(await link.textContent(), 'https://example.org/agenda');
    }
    assert.equal(await mine.getAttribute('data-status'), 'sent', 'Gina’s message is no longer held');
  });

  test('(c) under "allow" a UNC path stays plain text for everyone and alerts the host', async () => {
    const menu = await openSecurity(host.page);
    await menu.getByTestId('link-policy-allow').click();
    // The allow-list (example.org) was set in (b) and is kept across policy changes.
    await menu.locator('[data-testid="allow-domain"][data-domain="example.org"]').waitFor({ timeout: 15_000 });
    await menu.getByTestId('link-policy').scrollIntoViewIfNeeded();
    await menu.screenshot({ path: '/tmp/parley-security-links.png' });
    await closeSecurity(host.page);

    const unc = '\\\\fileserver\\share\\budget.xlsx';
    await gina.page.getByTestId('chat-input').fill(unc);
    assert.equal(await gina.page.getByTestId('chat-link-hint').getAttribute('data-hint'), 'text-only');
    await gina.page.getByTestId('chat-send').click();
    await send(gina.page, 'handbook https://docs.example.org/h and https://elsewhere.test/x');

    for (const p of [host, gina]) {
      const plain = message(p.page, unc);
      await plain.waitFor({ timeout: 15_000 });
      assert.equal(await plain.locator('.chat-text').textContent(), unc, `${p.name}: the text as written`);
      assert.equal(await plain.locator('a').count(), 0, `${p.name}: no link in the UNC message`);
      const mixed = message(p.page, 'handbook');
      await mixed.waitFor({ timeout: 15_000 });
      const hrefs = await mixed.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(hrefs, ['https://docs.example.org/h'], `${p.name}: only the listed domain is clickable`);
    }
    const alert = host.page.locator(`[data-testid="alert"][data-attempted="link"][data-participant-id="${ginaId}"]`);
    await alert.waitFor({ timeout: 15_000 });
    assert.equal(await alert.getByTestId('alert-who').textContent(), 'Gina Guest');
    assert.match((await alert.getByTestId('alert-message').textContent()) ?? '', /file share or script/);
    await alert.getByTestId('alert-dismiss').click();
    await alert.waitFor({ state: 'detached' });
  });

  test('a file goes from the host to a guest; a mute and a request to unmute reach the guest', async () => {
    await host.page.getByTestId('chat-file-input').setInputFiles({ name: 'minutes.txt', mimeType: 'text/plain', buffer: Buffer.from('Minutes of the meeting\n') });
    const card = gina.page.locator('[data-testid="file-card"][data-name="minutes.txt"]');
    await card.waitFor({ timeout: 15_000 });
    const [download] = await Promise.all([gina.page.waitForEvent('download'), card.getByTestId('file-download').click()]);
    assert.equal(download.suggestedFilename(), 'minutes.txt');
    assert.equal(await readFile(await download.path(), 'utf8'), 'Minutes of the meeting\n');

    await host.page.getByTestId('toggle-people').click();
    const row = host.page.locator(`[data-testid="participant-item"][data-participant-id="${ginaId}"]`);
    await row.getByTestId('person-menu').click();
    await row.getByTestId('person-mute').click();
    await eventually('Gina’s microphone to show muted', async () => (await gina.page.getByTestId('toggle-mic').getAttribute('aria-pressed')) === 'true', 5_000);
    await gina.page.locator('[data-testid="toast"]', { hasText: 'Hana Host muted you' }).waitFor();

    await row.getByTestId('person-menu').click();
    await row.getByTestId('person-ask-unmute').click();
    await gina.page.getByTestId('unmute-prompt').waitFor({ timeout: 15_000 });
    await gina.page.getByTestId('unmute-accept').click();
    await eventually('Gina unmuted', async () => (await gina.page.getByTestId('toggle-mic').getAttribute('aria-pressed')) === 'false', 5_000);
    await eventually('the host to see Gina unmuted', async () => (await row.locator('.icon-muted').count()) === 1, 5_000);

    await host.page.getByTestId('toggle-chat').click();
    await host.page.getByTestId('chat-panel').screenshot({ path: '/tmp/parley-chat.png' });
    for (const p of [host, gina]) {
      assert.deepEqual(await cspViolations(p.page), [], `${p.name}: no CSP violations`);
      assert.deepEqual(p.errors, [], `${p.name}: no console errors or uncaught exceptions`);
    }
  });
});
