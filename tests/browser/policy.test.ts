/// <reference lib="dom" />
/**
 * The organization policy through the real console and meeting UI (controls C10, C1): an
 * administrator locks chat off and the waiting room on in Administration → Policy and saves; a
 * member creating a meeting sees the waiting room locked in the create form, and in the meeting's
 * Security menu sees chat locked ("Locked by your organization") and cannot switch it on. Then a
 * minimum browser version above this Chromium keeps a guest out at the pre-join screen, naming the
 * IT support contact.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  PASSWORD,
  createMeetingViaUi,
  joinFromPreJoin,
  launchBrowser,
  newParticipant,
  post,
  setupAdminViaApi,
  signInViaUi,
  startServer,
  type ApiSession,
  type Participant,
  type TestServer,
} from './helpers.js';

describe('the organization policy in Chromium', { timeout: 150_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  const people: Participant[] = [];
  let joinUrl = '';

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await setupAdminViaApi(server, { email: 'ada@parley.test', displayName: 'Ada Admin' });
    const res = await post(server, '/api/users', { email: 'hal@parley.test', displayName: 'Hal Host', password: PASSWORD, orgRole: 'member' }, admin);
    assert.equal(res.status, 201);
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

  test('an administrator locks chat off; a host sees it locked in the meeting and cannot change it', async () => {
    const ada = await person('Ada');
    await signInViaUi(ada.page, server.url, 'ada@parley.test');
    await ada.page.goto(`${server.url}/admin/policy`);
    await ada.page.getByTestId('policy-section').waitFor();
    const chatValue = ada.page.getByTestId('policy-value-features.chat');
    assert.equal(await chatValue.isChecked(), false, 'chat is off by default');
    await ada.page.getByTestId('policy-lock-features.chat').check();
    await ada.page.getByTestId('policy-value-lobby').setChecked(true);
    await ada.page.getByTestId('policy-lock-lobby').check();
    await ada.page.getByTestId('policy-save').click();
    await ada.page.getByTestId('policy-saved').waitFor();
    // The saved policy is what the server now holds.
    await ada.page.reload();
    await ada.page.getByTestId('policy-section').waitFor();
    assert.equal(await ada.page.getByTestId('policy-lock-features.chat').isChecked(), true);

    const hal = await person('Hal');
    await signInViaUi(hal.page, server.url, 'hal@parley.test');
    await hal.page.goto(server.url);
    const lobby = hal.page.getByTestId('opt-lobby');
    await lobby.waitFor();
    await hal.page.waitForFunction(() => document.querySelector('[data-testid="opt-lobby"]')?.hasAttribute('disabled'));
    assert.equal(await lobby.isChecked(), true);
    assert.match((await hal.page.getByTestId('security-options').textContent()) ?? '', /Locked by your organization/);
    joinUrl = await createMeetingViaUi(hal.page, server.url, 'Policy check');
    await hal.page.goto(joinUrl);
    await joinFromPreJoin(hal.page, null);

    await hal.page.getByTestId('toggle-security').click();
    const menu = hal.page.getByTestId('security-menu');
    await menu.waitFor();
    const chat = menu.getByTestId('feature-chat');
    assert.equal(await chat.getAttribute('aria-checked'), 'false');
    assert.equal(await chat.isDisabled(), true, 'the host cannot switch a locked switch');
    assert.equal(await menu.getByTestId('feature-chat-locked').textContent(), 'Locked by your organization');
    assert.equal(await menu.getByTestId('lobby-toggle-locked').textContent(), 'Locked by your organization');
    // Switches the policy leaves alone stay the host's.
    assert.equal(await menu.getByTestId('feature-reactions').isDisabled(), false);
    assert.equal(await menu.getByTestId('feature-chat-locked').count(), 1);
  });

  test('a browser below the organization’s minimum is stopped at the pre-join screen, naming IT support', async () => {
    const current = await (await fetch(`${server.url}/api/admin/policy`, { headers: { cookie: admin.cookie } })).json() as { policy: Record<string, unknown> };
    const res = await fetch(`${server.url}/api/admin/policy`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
      body: JSON.stringify({ ...current.policy, minimumBrowsers: { chromium: 9999 }, supportContact: 'the IT desk, extension 4321' }),
    });
    assert.equal(res.status, 200, await res.text());
    const guest = await person('Gus');
    await guest.page.goto(joinUrl);
    const screen = guest.page.getByTestId('browser-outdated');
    await screen.waitFor();
    assert.match(
      (await guest.page.getByTestId('browser-outdated-text').textContent()) ?? '',
      /^Your browser \(Chrome \d+\) is out of date\. Your organization requires Chrome 9999 or later\. Contact the IT desk, extension 4321\.$/,
    );
    assert.equal(await guest.page.getByTestId('join-button').count(), 0, 'there is no way to join from here');
  });
});
