/// <reference lib="dom" />
/**
 * The pre-join screen and its refusals: the passcode leaves the address bar, a link without one asks
 * for it, a wrong one shows the coded error screen, a refused camera/microphone still lets you in,
 * and an outdated client is told to reload. These are about the pre-join screen, not access, so the
 * meetings are created over HTTP (by the administrator) with the waiting room off and no waiting
 * for the host.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  createMeetingViaApi,
  eventually,
  launchBrowser,
  newParticipant,
  selfId,
  setupAdminViaApi,
  startServer,
  type ApiSession,
  type Participant,
  type TestServer,
} from './helpers.js';

describe('pre-join and error screens', { timeout: 120_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let admin: ApiSession;
  const contexts: Participant[] = [];

  before(async () => {
    // A short resume window, so a connection that stays down ends within the test.
    server = await startServer({ resumeSeconds: 5 });
    admin = await setupAdminViaApi(server, { email: 'admin@parley.test', displayName: 'Ada Admin' });
    browser = await launchBrowser();
  });
  after(async () => {
    for (const p of contexts) await p.context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  async function person(name: string): Promise<Participant> {
    const p = await newParticipant(browser, name);
    contexts.push(p);
    return p;
  }

  async function createMeeting(): Promise<{ id: string; passcode: string; joinUrl: string }> {
    const created = await createMeetingViaApi(server, admin, { title: 'Pre-join test', settings: { lobby: false, joinBeforeHost: true } });
    assert.ok(created.passcode);
    return { ...created, passcode: created.passcode };
  }

  test('a browser without WebRTC is told so on the pre-join screen and cannot join', async () => {
    const { joinUrl } = await createMeeting();
    const p = await person('Old Browser');
    await p.context.addInitScript('delete window.RTCPeerConnection; delete window.webkitRTCPeerConnection;');
    await p.page.goto(joinUrl);
    await p.page.getByTestId('unsupported-browser').waitFor({ timeout: 20_000 });
    assert.equal(await p.page.getByTestId('join-button').isDisabled(), true);
    assert.equal(await p.page.getByTestId('lobby-screen').count(), 0);
  });

  test('a wrong passcode shows "Meeting not found or wrong passcode", and the fragment is scrubbed', async () => {
    const { id } = await createMeeting();
    const p = await person('Mallory');
    await p.page.goto(`${server.url}/m/${id}#pwd=wrongpass`);
    assert.equal(new URL(p.page.url()).hash, '');
    await p.page.getByTestId('display-name').fill('Mallory');
    await p.page.getByTestId('join-button').click();
    const screen = p.page.locator('[data-testid="error-screen"][data-code="meeting_access_denied"]');
    await screen.waitFor({ timeout: 20_000 });
    assert.match((await screen.textContent()) ?? '', /Meeting not found or wrong passcode/);
  });

  test('a link without a passcode asks for one; the name is remembered for next time', async () => {
    const meeting = await createMeeting();
    const p = await person('Dora');
    await p.page.goto(`${server.url}/m/${meeting.id}`);
    await p.page.getByTestId('display-name').fill('Dora the Tester');
    const join = p.page.getByTestId('join-button');
    assert.equal(await join.isDisabled(), true, 'cannot join without a passcode');
    await p.page.getByTestId('passcode').fill(meeting.passcode);
    for (const testId of ['camera-select', 'mic-select', 'speaker-select']) {
      await p.page.getByTestId(testId).waitFor();
    }
    await eventually('a camera in the picker', async () => (await p.page.getByTestId('camera-select').locator('option').count()) > 0);
    await join.click();
    await p.page.getByTestId('video-grid').waitFor({ timeout: 20_000 });
    assert.equal(await p.page.getByTestId('tile').count(), 1);

    await p.page.getByTestId('leave').click();
    await p.page.locator('[data-testid="error-screen"][data-code="left"]').waitFor();
    await p.page.goto(`${server.url}/m/${meeting.id}`);
    assert.equal(await p.page.getByTestId('display-name').inputValue(), 'Dora the Tester');
  });

  test('with camera and microphone refused, one still joins (avatar, muted)', async () => {
    const meeting = await createMeeting();
    const p = await person('Nodevice');
    await p.context.addInitScript(`navigator.mediaDevices.getUserMedia = () =>
      Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));`);
    await p.page.goto(meeting.joinUrl);
    await p.page.getByTestId('display-name').fill('No Devices');
    await p.page.getByText(/was blocked/).first().waitFor();
    await p.page.getByTestId('join-button').click();
    const tile = p.page.getByTestId('tile');
    await tile.waitFor({ timeout: 20_000 });
    assert.equal(await tile.locator('video').count(), 0, 'no video, an avatar instead');
    assert.equal(await p.page.getByTestId('toggle-mic').getAttribute('aria-pressed'), 'true', 'microphone shows as off');
  });

  test('an outdated client reloads itself (update_required), once: a refusal right after stays on the screen', async () => {
    const meeting = await createMeeting();
    const p = await person('Oldie');
    // Stand in for a server that refuses this build.
    await p.page.routeWebSocket(/\/ws$/, (ws) => {
      ws.onMessage((raw) => {
        const msg = JSON.parse(String(raw)) as { id: number; type: string };
        ws.send(JSON.stringify({ type: 'error', id: msg.id, code: 'update_required', message: 'Reload to update.' }));
      });
    });
    await p.page.goto(meeting.joinUrl);
    await p.page.getByTestId('display-name').fill('Oldie');
    const reloaded = p.page.waitForEvent('load', { timeout: 20_000 });
    await p.page.getByTestId('join-button').click();
    await reloaded;
    // Still refused after the reload: no second reload within 30 s (no loop); the screen says what happens.
    // (The passcode is never stored, so after a reload outside a meeting it is asked for again.)
    await p.page.getByTestId('display-name').fill('Oldie');
    await p.page.getByTestId('passcode').fill(meeting.passcode);
    await p.page.getByTestId('join-button').click();
    const screen = p.page.locator('[data-testid="error-screen"][data-code="update_required"]');
    await screen.waitFor({ timeout: 20_000 });
    assert.match((await screen.textContent()) ?? '', /A new version of Parley is available — reloading/);
  });

  test('a dropped socket reconnects by itself: "Reconnecting…", then the same participant again', async () => {
    const meeting = await createMeeting();
    const p = await person('Flaky');
    let drop: (() => Promise<void>) | undefined;
    let sockets = 0;
    // Pass signaling through unchanged, but keep a handle to cut the first connection.
    await p.page.routeWebSocket(/\/ws$/, (ws) => {
      sockets++;
      const upstream = ws.connectToServer();
      if (sockets === 1) drop = () => ws.close({ code: 1006, reason: 'network' }).then(() => upstream.close());
    });
    await p.page.goto(meeting.joinUrl);
    await p.page.getByTestId('display-name').fill('Flaky');
    await p.page.getByTestId('join-button').click();
    await p.page.getByTestId('video-grid').waitFor({ timeout: 20_000 });
    const before = await selfId(p.page);
    assert.ok(drop, 'the signaling socket went through the route');
    await drop();
    await eventually('a second socket (the resume)', async () => sockets >= 2, 20_000);
    await p.page.getByTestId('reconnecting-banner').waitFor({ state: 'detached', timeout: 30_000 });
    assert.equal(await selfId(p.page), before, 'the same participant');
    assert.equal(await p.page.getByTestId('error-screen').count(), 0);
    assert.equal(await p.page.getByTestId('tile').count(), 1);
  });

  test('a connection down past the resume window ends on a clear screen with Rejoin, which works', async () => {
    const meeting = await createMeeting();
    const p = await person('Gone');
    let blocked = false;
    let cut: (() => Promise<void>) | undefined;
    await p.page.routeWebSocket(/\/ws$/, (ws) => {
      if (blocked) {
        void ws.close({ code: 1006, reason: 'network' });
        return;
      }
      const upstream = ws.connectToServer();
      cut = () => ws.close({ code: 1006, reason: 'network' }).then(() => upstream.close());
    });
    await p.page.goto(meeting.joinUrl);
    await p.page.getByTestId('display-name').fill('Gone');
    await p.page.getByTestId('join-button').click();
    await p.page.getByTestId('video-grid').waitFor({ timeout: 20_000 });
    blocked = true;
    await cut?.();
    await p.page.getByTestId('reconnecting-banner').waitFor({ timeout: 20_000 });
    const screen = p.page.locator('[data-testid="error-screen"][data-code="resume_expired"]');
    await screen.waitFor({ timeout: 60_000 });
    blocked = false;
    await p.page.getByTestId('rejoin').click();
    assert.equal(await p.page.getByTestId('passcode').count(), 0, 'the passcode is remembered in memory');
    await p.page.getByTestId('join-button').click();
    await p.page.getByTestId('video-grid').waitFor({ timeout: 20_000 });
  });

  test('mic and camera off before joining: the others see it; the camera is published when first turned on', async () => {
    const meeting = await createMeeting();
    const [ann, ben] = [await person('Ann'), await person('Ben')];
    await ann.page.goto(meeting.joinUrl);
    await ann.page.getByTestId('display-name').fill('Ann');
    await ann.page.getByTestId('join-button').click();
    await ann.page.getByTestId('video-grid').waitFor({ timeout: 20_000 });

    await ben.page.goto(meeting.joinUrl);
    await ben.page.getByTestId('display-name').fill('Ben');
    await ben.page.getByTestId('prejoin-toggle-mic').click();
    await ben.page.getByTestId('prejoin-toggle-camera').click();
    await ben.page.getByTestId('join-button').click();
    await ben.page.getByTestId('video-grid').waitFor({ timeout: 20_000 });
    const benId = (await ben.page.getByTestId('self-id').textContent()) ?? '';
    const benTile = ann.page.locator(`[data-testid="tile"][data-participant-id="${benId}"][data-source="camera"]`);
    await benTile.getByLabel('Microphone off').waitFor({ timeout: 15_000 });
    assert.equal(await benTile.locator('video').count(), 0, 'an avatar, not video');

    await ben.page.getByTestId('toggle-camera').click();
    await ben.page.getByTestId('toggle-mic').click();
    await eventually("Ann to see Ben's camera", () =>
      benTile.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth > 0 && v.readyState >= 2),
    10_000);
    await benTile.getByLabel('Microphone off').waitFor({ state: 'detached', timeout: 15_000 });
  });
});
