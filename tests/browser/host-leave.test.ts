/// <reference lib="dom" />
/**
 * The host's departure and raised hands through the real UI and server (issue 12, items 1 and 5).
 * Desktop: a host, a signed-in member and a guest meet; the guest raises a hand and the host is told
 * (a toast, a count on People) and sees the hand listed first; the host lowers it from the guest's
 * row. The host clicks Leave: a dialog (Escape cancels and gives the focus back), then "Leave
 * meeting" asks who hosts next; the host picks the member and leaves; the member is told they host
 * now and the guest who does. Phone (390×844): "End meeting for all" from the Leave dialog ends the
 * meeting for everyone, each on a clear end screen.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
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

describe('the host’s departure and raised hands in Chromium', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  const people: Participant[] = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await setupAdminViaApi(server, { email: 'hana@parley.test', displayName: 'Hana Host' });
    const res = await post(server, '/api/users', { email: 'ada@parley.test', displayName: 'Ada Member', password: PASSWORD, orgRole: 'member' }, admin);
    assert.equal(res.status, 201, await res.text());
  });

  after(async () => {
    for (const p of people) await p.context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  async function person(name: string, phone = false): Promise<Participant> {
    const p = await newParticipant(browser, name);
    if (phone) await p.page.setViewportSize({ width: 390, height: 844 });
    people.push(p);
    return p;
  }

  /** Opens the link and joins with the camera off (this file is about people, not video). */
  async function joins(p: Participant, joinUrl: string, guestName: string | null): Promise<void> {
    await p.page.goto(joinUrl);
    await p.page.getByTestId('preview-video').waitFor({ state: 'attached' });
    await p.page.getByTestId('prejoin-toggle-camera').click();
    await joinFromPreJoin(p.page, guestName);
  }

  function toast(page: Page, text: string) {
    return page.getByTestId('toast').filter({ hasText: text });
  }

  async function openPeople(page: Page): Promise<void> {
    if (!(await page.getByTestId('participant-list').isVisible())) await page.getByTestId('toggle-people').click();
    await page.getByTestId('participant-list').waitFor();
  }

  test('desktop: a raised hand reaches the host, listed first; the host lowers it, then leaves and hands over to the member', async () => {
    const { joinUrl } = await createMeetingViaApi(server, admin, { title: 'Handover', settings: { lobby: false } });
    const host = await person('Hana');
    await signInViaUi(host.page, server.url, 'hana@parley.test');
    await joins(host, joinUrl, null);
    const member = await person('Ada');
    await signInViaUi(member.page, server.url, 'ada@parley.test');
    await joins(member, joinUrl, null);
    const guest = await person('Gus');
    await joins(guest, joinUrl, 'Gus Guest');
    const [guestId, memberId] = await Promise.all([selfId(guest.page), selfId(member.page)]);

    // A raised hand: the host is told, counts it on People, and sees it first (the guest joined last).
    await openPeople(host.page);
    await guest.page.getByTestId('raise-hand').click();
    await toast(host.page, 'Gus Guest raised a hand.').waitFor({ timeout: 15_000 });
    assert.equal(await host.page.getByTestId('hands-count').textContent(), '1');
    const rows = host.page.getByTestId('participant-item');
    await eventually('the raised hand to be listed first', async () => (await rows.first().getAttribute('data-participant-id')) === guestId, 10_000);
    assert.equal(await rows.first().getAttribute('data-hand'), 'raised');
    assert.equal(await toast(member.page, 'raised a hand').count(), 0, 'only moderators are told');
    await host.page.getByTestId('people-lower-all-hands').waitFor();

    // The host lowers it from the guest's row.
    const row = host.page.locator(`[data-testid="participant-item"][data-participant-id="${guestId}"]`);
    await row.getByTestId('person-menu').click();
    await row.getByTestId('person-lower-hand').click();
    await toast(guest.page, 'Hana Host lowered your hand.').waitFor({ timeout: 15_000 });
    await eventually('the guest’s hand to be down', async () => (await guest.page.getByTestId('raise-hand').getAttribute('aria-pressed')) === 'false', 10_000);
    await host.page.getByTestId('hands-count').waitFor({ state: 'detached' });
    await host.page.getByTestId('people-lower-all-hands').waitFor({ state: 'detached' });

    // Leave asks first; Escape cancels and the focus goes back to Leave.
    const leave = host.page.getByTestId('leave');
    await leave.focus();
    await host.page.keyboard.press('Enter');
    const dialog = host.page.getByTestId('leave-dialog');
    await dialog.waitFor();
    assert.equal(await dialog.getByTestId('leave-end-all').isVisible(), true, 'the host may end it for all');
    await host.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal(await leave.evaluate((el) => el === document.activeElement), true, 'focus returns to Leave');
    assert.equal(await host.page.getByTestId('video-grid').isVisible(), true, 'still in the meeting');

    // Leave → who hosts next: the member (the only one who may) is offered and chosen by default.
    await leave.click();
    await dialog.getByTestId('leave-confirm').click();
    await host.page.locator('[data-testid="leave-dialog"][data-step="pick"]').waitFor();
    const options = dialog.getByTestId('handover-option');
    assert.deepEqual(await options.evaluateAll((els) => els.map((e) => e.getAttribute('data-participant-id'))), [memberId], 'a guest is not offered under the default policy');
    assert.equal(await options.first().isChecked(), true);
    await host.page.screenshot({ path: '/tmp/parley-leave-pick.png' });
    await dialog.getByTestId('leave-handover').click();
    await host.page.locator('[data-testid="error-screen"][data-code="left"]').waitFor({ timeout: 15_000 });

    await toast(member.page, 'You are now the host').waitFor({ timeout: 15_000 });
    await toast(guest.page, 'Ada Member is now the host.').waitFor({ timeout: 15_000 });
    await member.page.getByTestId('toggle-security').waitFor();
    const adaRow = guest.page.locator(`[data-testid="participant-item"][data-participant-id="${memberId}"]`);
    await eventually('the guest to see Ada as host', async () => (await adaRow.getAttribute('data-role')) === 'host', 10_000);

    // Someone who does not moderate leaves at once, without a dialog.
    await guest.page.getByTestId('leave').click();
    await guest.page.locator('[data-testid="error-screen"][data-code="left"]').waitFor({ timeout: 15_000 });
    assert.equal(await guest.page.getByTestId('leave-dialog').count(), 0);
    for (const p of [host, member, guest]) assert.deepEqual(p.errors.filter((e) => !/favicon/.test(e)), [], `${p.name}: no console errors`);
  });

  test('phone: the host ends the meeting for all from the Leave dialog; everyone gets a clear end screen', async () => {
    const { joinUrl } = await createMeetingViaApi(server, admin, { title: 'Ending', settings: { lobby: false } });
    const host = await person('Hana (phone)', true);
    await signInViaUi(host.page, server.url, 'hana@parley.test');
    await joins(host, joinUrl, null);
    const guest = await person('Gia (phone)', true);
    await joins(guest, joinUrl, 'Gia Guest');

    await host.page.getByTestId('leave').click();
    const dialog = host.page.getByTestId('leave-dialog');
    await dialog.waitFor();
    const end = dialog.getByTestId('leave-end-all');
    const box = await end.boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844, 'End meeting for all fits the phone screen');
    await host.page.screenshot({ path: '/tmp/parley-leave-phone.png' });
    await end.click();
    for (const p of [host, guest]) {
      const screen = p.page.locator('[data-testid="error-screen"][data-code="meeting_ended"]');
      await screen.waitFor({ timeout: 15_000 });
      assert.match((await screen.textContent()) ?? '', /The meeting has ended/);
    }
  });
});
