/// <reference lib="dom" />
/**
 * Meeting access through the real UI, server and SFU (controls C3, C4, C5): the first administrator
 * from the one-time setup link, accounts made on the People page, a member signing in to host; the
 * waiting room on by default (a guest waits learning nothing about the meeting, the host hears the
 * knock and admits, then they see and hear each other); a denial with the host's message; a lock
 * that keeps newcomers out of even the waiting room; and a meeting for signed-in users that sends a
 * guest through sign-in and back to the link without losing its passcode.
 * Each step builds on the previous one, so they run in order in one describe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  PASSWORD,
  createMeetingViaUi,
  cspViolations,
  eventually,
  flowingStreams,
  joinFromPreJoin,
  joinToLobby,
  launchBrowser,
  liveCaptureTracks,
  newParticipant,
  recordSignaling,
  signInViaUi,
  startServer,
  tonesPlayed,
  type Participant,
  type TestServer,
} from './helpers.js';

const TITLE = 'Quarterly numbers';

describe('meeting access in Chromium', { timeout: 150_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const people: Participant[] = [];
  let admin: Participant;
  let host: Participant;
  let gina: Participant;
  let joinUrl = '';

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

  async function createAccount(page: Page, email: string, name: string, role: 'member' | 'external'): Promise<void> {
    await page.getByTestId('admin-email').fill(email);
    await page.getByTestId('admin-name').fill(name);
    await page.getByTestId('admin-password').fill(PASSWORD);
    await page.getByTestId(`admin-role-${role}`).check();
    await page.getByTestId('admin-create').click();
    await page.locator(`[data-testid="admin-created-user"][data-email="${email}"]`).waitFor();
  }

  test('the setup link creates the first administrator, who creates accounts; a member signs in to host', async () => {
    admin = await person('Ada');
    await admin.page.goto(server.url);
    await admin.page.getByTestId('setup-required').waitFor();

    await admin.page.goto(server.setupUrl);
    assert.equal(new URL(admin.page.url()).hash, '', 'the setup token leaves the address bar');
    await admin.page.getByTestId('setup-email').fill('ada@parley.test');
    await admin.page.getByTestId('setup-name').fill('Ada Admin');
    await admin.page.getByTestId('setup-password').fill(PASSWORD);
    await admin.page.getByTestId('setup-password2').fill(PASSWORD);
    await admin.page.screenshot({ path: '/tmp/parley-setup.png' });
    await admin.page.getByTestId('setup-submit').click();
    await admin.page.getByTestId('create-meeting').waitFor();
    assert.equal(await admin.page.getByTestId('account-name').textContent(), 'Ada Admin');
    assert.equal(await admin.page.getByTestId('account-role').getAttribute('data-org-role'), 'admin');

    await admin.page.getByTestId('admin-link').click();
    await createAccount(admin.page, 'hana@parley.test', 'Hana Host', 'member');
    await createAccount(admin.page, 'eve@parley.test', 'Eve External', 'external');
    await admin.page.screenshot({ path: '/tmp/parley-people.png' });

    host = await person('Hana');
    await host.page.goto(server.url);
    await host.page.getByTestId('sign-in-to-host').waitFor();
    assert.equal(await host.page.getByTestId('create-meeting').count(), 0, 'no create form before signing in');
    await host.page.getByTestId('home-sign-in').click();
    await host.page.getByTestId('signin-password').fill('not the password');
    await host.page.getByTestId('signin-email').fill('hana@parley.test');
    await host.page.getByTestId('signin-submit').click();
    const error = host.page.locator('[data-testid="signin-error"][data-code="invalid_credentials"]');
    await error.waitFor();
    assert.match((await error.textContent()) ?? '', /Wrong email or password/);
    host.errors.length = 0; // Chromium logs the deliberate 401 as "Failed to load resource".
    await signInViaUi(host.page, server.url, 'hana@parley.test');
    assert.equal(await host.page.getByTestId('account-role').getAttribute('data-org-role'), 'member');
  });

  test('a guest waits learning nothing; the host hears the knock and admits; they see and hear each other', async () => {
    await host.page.goto(server.url);
    for (const [testId, checked] of [['opt-lobby', true], ['opt-host-first', true], ['opt-members-skip', false], ['opt-public', false], ['opt-access-anyone', true]] as const) {
      assert.equal(await host.page.getByTestId(testId).isChecked(), checked, `${testId} defaults to ${checked}`);
    }
    joinUrl = await createMeetingViaUi(host.page, server.url, TITLE);
    await host.page.screenshot({ path: '/tmp/parley-home.png', fullPage: true });
    await host.page.getByTestId('join-now').click();
    await joinFromPreJoin(host.page, null);
    const hostId = (await host.page.getByTestId('self-id').textContent()) ?? '';
    const hostTile = host.page.locator(`[data-testid="tile"][data-participant-id="${hostId}"]`);
    assert.equal(await hostTile.getByTestId('badge').getAttribute('data-identity'), 'member');
    assert.equal(await hostTile.getByTestId('role-tag').textContent(), 'Host');

    gina = await person('Gina');
    const received = recordSignaling(gina.page);
    await gina.page.goto(joinUrl);
    assert.equal(await gina.page.getByTestId('badge').getAttribute('data-identity'), 'guest', 'the pre-join screen says Guest');
    await joinToLobby(gina.page, 'Gina Guest');
    const lobby = gina.page.getByTestId('lobby-screen');
    assert.equal(await lobby.getAttribute('data-status'), 'waiting');
    assert.match((await lobby.textContent()) ?? '', /Please wait, the host will let you in soon/);

    // The host: a toast, a count on the Waiting room button, the chime, and the entry with its badge.
    const knock = host.page.locator('[data-testid="toast"][data-kind="knock"]');
    await knock.waitFor({ timeout: 15_000 });
    assert.match((await knock.textContent()) ?? '', /Gina Guest is waiting/);
    assert.equal(await host.page.getByTestId('lobby-count').textContent(), '1');
    await eventually('the knock chime', async () => (await tonesPlayed(host.page)) >= 2, 3_000);
    await host.page.screenshot({ path: '/tmp/parley-knock.png' });
    await knock.getByTestId('toast-open-lobby').click();
    const entry = host.page.locator('[data-testid="lobby-entry"][data-name="Gina Guest"]');
    await entry.waitFor();
    assert.equal(await entry.getByTestId('badge').getAttribute('data-identity'), 'guest');
    assert.equal(await entry.getByTestId('lobby-entry-email').count(), 0, 'a guest has no account email');
    await host.page.getByTestId('lobby-panel').screenshot({ path: '/tmp/parley-lobby.png' });
    await gina.page.screenshot({ path: '/tmp/parley-lobby-guest.png' });

    // The waiting guest learned nothing about the meeting: not on screen, not on the wire.
    const seen = await gina.page.locator('body').innerText();
    for (const secret of [TITLE, 'Hana', hostId]) {
      assert.ok(!seen.includes(secret), `the waiting screen shows "${secret}"`);
      assert.ok(!received.some((f) => f.includes(secret)), `a message to the waiting guest carries "${secret}"`);
    }
    assert.equal(await gina.page.getByTestId('tile').count(), 0);
    assert.equal(await gina.page.title(), 'Waiting · Parley');

    await entry.getByTestId('admit-button').click();
    await gina.page.getByTestId('video-grid').waitFor({ timeout: 20_000 });
    await entry.waitFor({ state: 'detached' });
    for (const p of [host, gina]) {
      await eventually(`${p.name} decoding the other's video`, async () => (await flowingStreams(p.page, 'video')).length >= 1, 20_000);
      await eventually(`${p.name} receiving the other's audio`, async () => (await flowingStreams(p.page, 'audio')).length >= 1, 20_000);
    }
    const ginaTile = host.page.locator('[data-testid="tile"][data-name="Gina Guest"]');
    assert.equal(await ginaTile.getByTestId('badge').getAttribute('data-identity'), 'guest');
    const hanaTile = gina.page.locator('[data-testid="tile"][data-name="Hana Host"]');
    assert.equal(await hanaTile.getByTestId('badge').getAttribute('data-identity'), 'member');
    assert.equal(await hanaTile.getByTestId('role-tag').textContent(), 'Host');
    assert.equal(await gina.page.getByTestId('toggle-lobby').count(), 0, 'a guest has no waiting room controls');
    assert.equal(await gina.page.getByTestId('toggle-security').count(), 0, 'a guest has no security menu');
  });

  test('a second guest is denied, and sees the host’s message', async () => {
    const mallory = await person('Mallory');
    await mallory.page.goto(joinUrl);
    await joinToLobby(mallory.page, 'Mallory');
    const entry = host.page.locator('[data-testid="lobby-entry"][data-name="Mallory"]');
    await entry.waitFor({ timeout: 15_000 });
    await entry.getByTestId('deny-button').click();
    await entry.getByTestId('deny-message').fill('Sorry, this meeting is for the finance team only.');
    await entry.getByTestId('deny-confirm').click();

    const denied = mallory.page.getByTestId('denied-screen');
    await denied.waitFor({ timeout: 15_000 });
    await mallory.page.screenshot({ path: '/tmp/parley-denied.png' });
    assert.equal(await mallory.page.getByTestId('denied-message').innerText(), 'Message from the host\nSorry, this meeting is for the finance team only.');
    await entry.waitFor({ state: 'detached' });
    assert.equal(await host.page.getByTestId('lobby-count').count(), 0, 'nobody is waiting');
    await mallory.context.close();
  });

  test('once the host locks the meeting, a third guest cannot even reach the waiting room', async () => {
    await host.page.getByTestId('toggle-security').click();
    await host.page.getByTestId('lock-toggle').click();
    for (const p of [host, gina]) await p.page.getByTestId('locked-indicator').waitFor({ timeout: 15_000 });
    assert.equal(await host.page.getByTestId('lock-toggle').getAttribute('aria-checked'), 'true');
    await host.page.screenshot({ path: '/tmp/parley-security.png' });
    await host.page.keyboard.press('Escape');

    const trudy = await person('Trudy');
    await trudy.page.goto(joinUrl);
    await trudy.page.getByTestId('display-name').fill('Trudy');
    await trudy.page.getByTestId('join-button').click();
    const refused = trudy.page.locator('[data-testid="error-screen"][data-code="meeting_locked"]');
    await refused.waitFor({ timeout: 20_000 });
    assert.match((await refused.textContent()) ?? '', /The meeting is locked/);
    await trudy.page.screenshot({ path: '/tmp/parley-locked.png' });
    assert.equal(await host.page.getByTestId('lobby-count').count(), 0, 'the lock kept Trudy out of the waiting room');
    await trudy.context.close();

    for (const p of [host, gina]) {
      assert.deepEqual(await cspViolations(p.page), [], `${p.name}: no CSP violations`);
      assert.deepEqual(p.errors, [], `${p.name}: no console errors or uncaught exceptions`);
    }
  });

  test('a meeting for signed-in users sends a guest to sign in and back to the link, passcode kept', async () => {
    const url = await createMeetingViaUi(admin.page, server.url, 'Signed-in only', { access: 'signed-in' });
    const meetingId = new URL(url).pathname.split('/')[2] ?? '';
    const eve = await person('Eve');
    await eve.page.goto(url);
    await eve.page.getByTestId('display-name').fill('Eve');
    await eve.page.getByTestId('join-button').click();
    await eve.page.locator('[data-testid="error-screen"][data-code="sign_in_required"]').waitFor({ timeout: 20_000 });
    await eve.page.getByTestId('error-sign-in').click();
    await eve.page.getByTestId('signin-email').waitFor();
    const detour = new URL(eve.page.url());
    assert.equal(detour.pathname + detour.search, `/signin?next=${encodeURIComponent(`/m/${meetingId}`)}`);
    assert.equal(detour.hash, '', 'the passcode is not in the sign-in address');

    await signInViaUi(eve.page, server.url, 'eve@parley.test');
    await eve.page.getByTestId('account-display-name').waitFor();
    assert.equal(new URL(eve.page.url()).pathname, `/m/${meetingId}`);
    assert.equal(await eve.page.getByTestId('account-display-name').textContent(), 'Eve External');
    assert.equal(await eve.page.locator('.prejoin-form [data-testid="badge"]').getAttribute('data-identity'), 'external');
    assert.equal(await eve.page.getByTestId('passcode').count(), 0, 'the passcode survived the detour');
    await eve.page.screenshot({ path: '/tmp/parley-prejoin-signed-in.png' });
    await eve.page.getByTestId('join-button').click();
    const lobby = eve.page.getByTestId('lobby-screen');
    await lobby.waitFor({ timeout: 20_000 });
    assert.equal(await lobby.getAttribute('data-status'), 'waiting-for-host');
    assert.match((await lobby.textContent()) ?? '', /Waiting for the host to start this meeting/);

    // The host arrives: Eve moves to the queue, and the host sees who she is.
    await admin.page.getByTestId('join-now').click();
    await joinFromPreJoin(admin.page, null);
    await eventually('Eve to be in the queue', async () => (await lobby.getAttribute('data-status')) === 'waiting', 10_000);
    await admin.page.getByTestId('toggle-lobby').click();
    const entry = admin.page.locator('[data-testid="lobby-entry"][data-name="Eve External"]');
    await entry.waitFor({ timeout: 15_000 });
    assert.equal(await entry.getByTestId('badge').getAttribute('data-identity'), 'external');
    assert.equal(await entry.getByTestId('lobby-entry-email').textContent(), 'eve@parley.test');
    await admin.page.getByTestId('admit-all').click();
    await eve.page.getByTestId('video-grid').waitFor({ timeout: 20_000 });
  });

  test('in a public meeting a newcomer is view-only until the host lets them speak', async () => {
    const url = await createMeetingViaUi(host.page, server.url, 'Town hall', { public: true, lobby: false });
    assert.match(url, /\/m\/[0-9a-z-]+#public$/, 'a public link carries no passcode');
    await host.page.getByTestId('public-warning').waitFor();
    await host.page.getByTestId('join-now').click();
    await joinFromPreJoin(host.page, null);

    const vic = await person('Vic');
    await vic.page.goto(url);
    assert.equal(await vic.page.getByTestId('passcode').count(), 0, 'no passcode is asked for');
    await joinFromPreJoin(vic.page, 'Vic Viewer');
    await vic.page.getByTestId('view-only-note').waitFor();
    for (const control of ['toggle-mic', 'toggle-camera', 'toggle-screen']) {
      assert.equal(await vic.page.getByTestId(control).isDisabled(), true, `${control} is disabled for a view-only attendee`);
    }
    await vic.page.screenshot({ path: '/tmp/parley-view-only.png' });
    await eventually('Vic’s devices to be released', async () => (await liveCaptureTracks(vic.page, 'audio')) + (await liveCaptureTracks(vic.page, 'video')) === 0, 5_000);

    const row = host.page.locator('[data-testid="participant-item"]', { hasText: 'Vic Viewer' });
    await row.getByTestId('role-tag').filter({ hasText: 'View only' }).waitFor({ timeout: 15_000 });
    await row.getByTestId('person-menu').click();
    await row.getByTestId('allow-speak').click();

    await vic.page.getByTestId('view-only-note').waitFor({ state: 'detached', timeout: 15_000 });
    await vic.page.locator('[data-testid="toast"][data-kind="info"]', { hasText: 'allowed you to speak' }).waitFor();
    await vic.page.getByTestId('toggle-mic').click();
    await eventually('the host hearing Vic', async () => (await flowingStreams(host.page, 'audio')).length >= 1, 15_000);
    assert.equal(await row.getByTestId('role-tag').count(), 0, 'no longer view-only');
  });

  test('the host ends the meeting for everyone, after confirming', async () => {
    const vic = people.find((p) => p.name === 'Vic');
    assert.ok(vic, 'Vic is in the town hall from the previous test');
    await host.page.getByTestId('toggle-security').click();
    await host.page.getByTestId('end-meeting').click();
    await host.page.getByTestId('end-meeting-dialog-confirm').click();
    for (const p of [host, vic]) {
      const ended = p.page.locator('[data-testid="error-screen"][data-code="meeting_ended"]');
      await ended.waitFor({ timeout: 15_000 });
      assert.match((await ended.textContent()) ?? '', /The meeting has ended/);
      assert.equal(await p.page.getByTestId('rejoin').count(), 0, 'an ended meeting offers no rejoining');
    }
    assert.match((await vic.page.getByTestId('error-detail').textContent()) ?? '', /The host ended the meeting/);
  });
});
