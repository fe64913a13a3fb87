/// <reference lib="dom" />
/**
 * Issue 12, items 2 and 3 through the real UI, server and SFU in Chromium: in the meeting, the device
 * settings switch the camera to the second fake camera and the microphone to another one without
 * renegotiating (the sender's track is replaced; the guest keeps decoding video; a muted microphone
 * stays muted); the Meeting info popover shows the ID, who hosts, the class and how long it runs, with
 * the link and Copy invite for the host only; on the home page My meetings lists the meeting, and
 * "New passcode and link" gives a passcode that lets a new guest in while the old one is refused.
 * The list and the popover are checked again at phone size (390x844). Steps build on each other.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  createMeetingViaUi,
  cspViolations,
  eventually,
  flowingStreams,
  joinFromPreJoin,
  newParticipant,
  setupAdminViaApi,
  signInViaUi,
  startServer,
  type Participant,
  type TestServer,
} from './helpers.js';

// Three fake cameras. fake_device_1 renders but its frames are never encoded (Chromium's fake factory gives
// it another pixel format: it sends no video whether switched to or opened fresh), so the switch goes to
// fake_device_2. The microphones are "Fake Default Audio Input", "Fake Audio Input 1" and "2" anyway.
const ARGS = CHROMIUM_ARGS.map((a) => (a === '--use-fake-device-for-media-stream' ? '--use-fake-device-for-media-stream=device-count=3' : a));
const PHONE = { width: 390, height: 844 };

/** The label of the track each of the page's RTCRtpSenders of `kind` sends now. */
function sentLabels(page: Page, kind: 'audio' | 'video'): Promise<{ label: string; enabled: boolean }[]> {
  return page.evaluate(
    (k) =>
      (window.__testPeerConnections ?? [])
        .filter((pc) => pc.connectionState !== 'closed')
        .flatMap((pc) => pc.getSenders())
        .filter((s) => s.track?.kind === k)
        .map((s) => ({ label: s.track?.label ?? '', enabled: s.track?.enabled ?? false })),
    kind,
  );
}

/** How many times the page's peer connections negotiated (an offer set): replacing a track needs none. */
function offersMade(page: Page): Promise<number> {
  return page.evaluate(() => (window.__testPeerConnections ?? []).reduce((n, pc) => n + (pc.localDescription ? 1 : 0), 0));
}

async function optionValue(page: Page, testId: string, label: string): Promise<string> {
  const option = page.getByTestId(testId).locator('option', { hasText: label });
  const value = await option.getAttribute('value');
  if (!value) throw new Error(`no ${label} in ${testId}`);
  return value;
}

async function withinWidth(page: Page, testId: string, width: number): Promise<boolean> {
  const box = await page.getByTestId(testId).first().boundingBox();
  return box !== null && box.x >= 0 && box.x + box.width <= width + 1;
}

describe('device settings, Meeting info and My meetings in Chromium', { timeout: 240_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  let host: Participant;
  let guest: Participant;
  const others: Participant[] = [];
  let joinUrl = '';
  let meetingId = '';

  before(async () => {
    server = await startServer();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    host = await newParticipant(browser, 'Alice Host');
    guest = await newParticipant(browser, 'Gus Guest');
    await host.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  });

  after(async () => {
    for (const p of [host, guest, ...others]) await p?.context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  test('the host switches camera and microphone in the meeting: the guest keeps receiving video, the mute holds', async () => {
    await setupAdminViaApi(server, { email: 'alice@parley.test', displayName: 'Alice Host' });
    await signInViaUi(host.page, server.url, 'alice@parley.test');
    joinUrl = await createMeetingViaUi(host.page, server.url, 'Device check', { lobby: false });
    meetingId = /\/m\/([0-9a-z-]+)#/.exec(joinUrl)?.[1] ?? '';
    await host.page.getByTestId('join-now').click();
    await joinFromPreJoin(host.page, null);
    await guest.page.goto(joinUrl);
    await joinFromPreJoin(guest.page, 'Gus Guest');
    await eventually('the guest to decode the host’s video', async () => (await flowingStreams(guest.page, 'video')).length >= 1, 30_000);
    await eventually('the host to send fake_device_0', async () => (await sentLabels(host.page, 'video')).some((s) => s.label === 'fake_device_0'));
    const offers = await offersMade(host.page);

    // Muted before switching: the new microphone must stay muted.
    await host.page.getByTestId('toggle-mic').click();
    await eventually('the mic to show muted', async () => (await host.page.getByTestId('toggle-mic').getAttribute('aria-pressed')) === 'true');

    // Keyboard: the gear is a button in the control bar.
    await host.page.getByTestId('device-settings-button').focus();
    await host.page.keyboard.press('Enter');
    const dialog = host.page.getByTestId('device-settings');
    await dialog.waitFor();
    await host.page.getByTestId('device-preview').waitFor();
    await eventually('three cameras listed', async () => (await host.page.getByTestId('settings-camera-select').locator('option', { hasText: 'fake_device' }).count()) === 3);
    await host.page.getByTestId('settings-camera-select').selectOption(await optionValue(host.page, 'settings-camera-select', 'fake_device_2'));
    await eventually('the host to send fake_device_2', async () => {
      const sent = await sentLabels(host.page, 'video');
      return sent.length === 1 && sent[0]?.label === 'fake_device_2';
    });
    await eventually('the guest to decode the host’s other camera', async () => (await flowingStreams(guest.page, 'video')).length >= 1, 20_000);
    await host.page.getByTestId('settings-mic-select').selectOption(await optionValue(host.page, 'settings-mic-select', 'Fake Audio Input 2'));
    await eventually('the host to send Fake Audio Input 2, disabled', async () => {
      const sent = await sentLabels(host.page, 'audio');
      return sent.length === 1 && sent[0]?.label === 'Fake Audio Input 2' && !sent[0].enabled;
    });
    assert.equal(await host.page.getByTestId('toggle-mic').getAttribute('aria-pressed'), 'true', 'still muted');
    await host.page.getByTestId('settings-mic-muted').waitFor();
    // Speaker choice exists in Chromium (setSinkId).
    assert.ok((await host.page.getByTestId('settings-speaker-select').locator('option').count()) > 0);
    assert.equal(await offersMade(host.page), offers, 'no renegotiation');

    // The choice is remembered for the next meeting.
    const prefs = await host.page.evaluate(() => JSON.parse(localStorage.getItem('parley.prefs.v1') ?? '{}') as { cameraId?: string; micId?: string });
    assert.equal(prefs.cameraId, await optionValue(host.page, 'settings-camera-select', 'fake_device_2'));

    await host.page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await host.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'device-settings-button', 'focus returns to the gear');
    // The guest still decodes the host's video after the microphone switch too.
    await eventually('the guest to keep decoding the host’s video', async () => (await flowingStreams(guest.page, 'video')).length >= 1, 20_000);
  });

  test('unplugging the camera in use falls back to the default one and says so; a plugged-in camera appears in the list', async () => {
    // Fake devices cannot be unplugged: the page's device list is made to lack fake_device_2, as after
    // unplugging it, and the browser's `devicechange` event is fired; everything after that is the app's.
    await host.page.evaluate(() => {
      const md = navigator.mediaDevices as MediaDevices & { __realEnumerate?: () => Promise<MediaDeviceInfo[]> };
      const real = md.enumerateDevices.bind(md);
      md.__realEnumerate = real;
      md.enumerateDevices = async () => (await real()).filter((d) => d.label !== 'fake_device_2');
      md.dispatchEvent(new Event('devicechange'));
    });
    await host.page.locator('[data-testid="toast"]', { hasText: 'camera was disconnected' }).waitFor({ timeout: 15_000 });
    await eventually('the host to send the default camera', async () => {
      const sent = await sentLabels(host.page, 'video');
      return sent.length === 1 && sent[0]?.label === 'fake_device_0';
    });
    await eventually('the guest to decode the default camera', async () => (await flowingStreams(guest.page, 'video')).length >= 1, 20_000);
    // The remembered choice stays, for when the camera is back.
    const prefs = await host.page.evaluate(() => JSON.parse(localStorage.getItem('parley.prefs.v1') ?? '{}') as { cameraId?: string });
    assert.ok(prefs.cameraId);

    await host.page.getByTestId('device-settings-button').click();
    await host.page.getByTestId('device-settings').waitFor();
    await eventually('two cameras listed', async () => (await host.page.getByTestId('settings-camera-select').locator('option', { hasText: 'fake_device' }).count()) === 2);
    await host.page.evaluate(() => {
      const md = navigator.mediaDevices as MediaDevices & { __realEnumerate?: () => Promise<MediaDeviceInfo[]> };
      if (md.__realEnumerate) md.enumerateDevices = md.__realEnumerate;
      md.dispatchEvent(new Event('devicechange'));
    });
    await eventually('the plugged-in camera listed again', async () => (await host.page.getByTestId('settings-camera-select').locator('option', { hasText: 'fake_device_2' }).count()) === 1);
    await host.page.getByTestId('device-settings-done').click();
    await host.page.getByTestId('device-settings').waitFor({ state: 'hidden' });
  });

  test('Meeting info: ID, host and class for everyone; the link and Copy invite for the host only; Escape returns focus', async () => {
    await host.page.getByTestId('meeting-info-button').click();
    const info = host.page.getByTestId('meeting-info');
    await info.waitFor();
    assert.equal(await host.page.getByTestId('meeting-info-id').textContent(), meetingId);
    assert.match((await host.page.getByTestId('meeting-info-hosts').textContent()) ?? '', /Alice Host/);
    assert.equal(await host.page.getByTestId('meeting-info-class').textContent(), 'Standard');
    assert.match((await host.page.getByTestId('meeting-info-elapsed').textContent()) ?? '', /^\d+:\d\d$/);
    // The host created the meeting in this tab: the passcode is known, masked on screen, and copied in full.
    const shown = (await host.page.getByTestId('meeting-info-link').textContent()) ?? '';
    assert.equal(shown, `${server.url}/m/${meetingId}#pwd=••••••`);
    const passcode = new URL(joinUrl).hash.replace('#pwd=', '');
    assert.ok(!((await host.page.getByTestId('meeting-info').textContent()) ?? '').includes(passcode), 'the passcode is not on screen');
    await host.page.getByTestId('meeting-info-copy').click();
    await eventually('the invite on the clipboard', async () => (await host.page.getByTestId('meeting-info-copy').textContent())?.includes('copied'));
    const invite = await host.page.evaluate(() => navigator.clipboard.readText());
    assert.ok(invite.includes(joinUrl) && invite.includes(`Meeting ID: ${meetingId}`), invite);
    await host.page.keyboard.press('Escape');
    await info.waitFor({ state: 'hidden' });
    assert.equal(await host.page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'meeting-info-button');

    // The guest sees the facts, not the link.
    await guest.page.getByTestId('meeting-info-button').click();
    await guest.page.getByTestId('meeting-info').waitFor();
    assert.equal(await guest.page.getByTestId('meeting-info-id').textContent(), meetingId);
    assert.match((await guest.page.getByTestId('meeting-info-hosts').textContent()) ?? '', /Alice Host/);
    assert.equal(await guest.page.getByTestId('meeting-info-link').count(), 0);
    assert.equal(await guest.page.getByTestId('meeting-info-copy').count(), 0);
    assert.ok(!((await guest.page.getByTestId('meeting-info').textContent()) ?? '').includes('#pwd='));
    await guest.page.keyboard.press('Escape');
  });

  test('at phone size the Meeting info popover fits the screen', async () => {
    await guest.page.setViewportSize(PHONE);
    // A phone shows one thing at a time: the people panel (open from the desktop size) closes first.
    if ((await guest.page.getByTestId('toggle-people').getAttribute('aria-pressed')) === 'true') await guest.page.getByRole('button', { name: 'Close participants' }).click();
    await guest.page.getByTestId('meeting-info-button').click();
    await guest.page.getByTestId('meeting-info').waitFor();
    assert.ok(await withinWidth(guest.page, 'meeting-info', PHONE.width), 'the popover fits 390 px');
    assert.equal(await guest.page.getByTestId('meeting-info-id').textContent(), meetingId);
    assert.ok(await guest.page.getByTestId('meeting-info-elapsed').isVisible());
    await guest.page.keyboard.press('Escape');
    await guest.page.setViewportSize({ width: 1280, height: 720 });
  });

  test('My meetings lists the meeting; a new passcode and link lets a new guest in and the old passcode is refused', async () => {
    const home = await host.context.newPage();
    await home.goto(server.url);
    const row = home.locator(`[data-testid="my-meeting"][data-meeting-id="${meetingId}"]`);
    await row.waitFor();
    assert.equal(await row.getByTestId('my-meeting-title').textContent(), 'Device check');
    assert.match((await row.getByTestId('my-meeting-settings').textContent()) ?? '', /Standard · no waiting room · passcode/);
    await row.getByTestId('my-meeting-reissue').click();
    await home.getByTestId('reissue-confirm-confirm').click();
    await row.getByTestId('my-meeting-issued').waitFor();
    const newLink = await row.getByTestId('my-meeting-link').inputValue();
    const newPasscode = (await row.getByTestId('my-meeting-passcode').textContent()) ?? '';
    assert.equal(newLink, `${server.url}/m/${meetingId}#pwd=${newPasscode}`);
    assert.notEqual(newLink, joinUrl);

    // The old link is refused...
    const late = await newParticipant(browser, 'Late');
    others.push(late);
    await late.page.goto(joinUrl);
    await late.page.getByTestId('display-name').fill('Late With Old Link');
    await late.page.getByTestId('join-button').click();
    await late.page.locator('[data-testid="error-screen"][data-code="meeting_access_denied"]').waitFor({ timeout: 15_000 });
    // ...the new one gets in, and the people inside stayed.
    const fresh = await newParticipant(browser, 'Fresh');
    others.push(fresh);
    await fresh.page.goto(newLink);
    await joinFromPreJoin(fresh.page, 'Fresh Guest');
    await eventually('the guest still in the meeting', async () => (await guest.page.getByTestId('video-grid').isVisible()) && (await guest.page.getByTestId('toggle-people').textContent())?.includes('3'));
    await eventually('the fresh guest to decode video', async () => (await flowingStreams(fresh.page, 'video')).length >= 1, 30_000);

    // Copy invite from the list now carries the new passcode.
    await row.getByTestId('my-meeting-copy').click();
    await eventually('the invite on the clipboard', async () => (await home.evaluate(() => navigator.clipboard.readText())).includes(newLink));

    // Phone size: the list fits and its actions are reachable.
    await home.setViewportSize(PHONE);
    assert.ok(await withinWidth(home, 'my-meetings', PHONE.width), 'My meetings fits 390 px');
    await row.getByTestId('my-meeting-reissue').scrollIntoViewIfNeeded();
    assert.ok(await row.getByTestId('my-meeting-reissue').isVisible());
    assert.ok(await withinWidth(home, 'my-meeting-reissue', PHONE.width));
    assert.deepEqual(await cspViolations(home), []);
    assert.deepEqual(await cspViolations(host.page), []);
  });
});
