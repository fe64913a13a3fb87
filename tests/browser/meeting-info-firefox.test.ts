/// <reference lib="dom" />
/**
 * The Firefox check for issue 12's in-meeting items: a guest in Firefox ESR opens the device settings
 * (cameras and microphones listed, the live preview, and the speaker choice offered exactly where
 * Firefox has `setSinkId`, never faked), and the Meeting info popover (ID and class; no join link for
 * a guest). The server listens for media on the test namespace's veth address: Firefox never pairs
 * loopback ICE candidates (scripts/isolated-net.sh).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startParley, type RunningParley } from '../../packages/server/src/index.js';
import { launchFirefox, type FirefoxSession } from './firefox.js';
import { createMeetingViaApi, eventually, setupAdminViaApi } from './helpers.js';

describe('device settings and Meeting info in Firefox', { timeout: 180_000 }, () => {
  let server: RunningParley;
  let dataDir = '';
  let firefox: FirefoxSession;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-mi-ff-'));
    server = await startParley({ port: 0, host: '127.0.0.1', rtcListenAddress: process.env.PARLEY_TEST_MEDIA_IP, dataDir, logLevel: 'silent' });
    firefox = await launchFirefox();
  });

  after(async () => {
    await firefox?.close();
    await server?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('a guest in Firefox opens device settings and Meeting info', async () => {
    if (!server.setupUrl) throw new Error('a fresh server should offer a setup link');
    const admin = await setupAdminViaApi({ url: server.url, setupUrl: server.setupUrl, close: async () => undefined }, { email: 'ada@parley.test', displayName: 'Ada Host' });
    const meeting = await createMeetingViaApi({ url: server.url, setupUrl: server.setupUrl, close: async () => undefined }, admin, {
      title: 'Firefox check',
      settings: { lobby: false, joinBeforeHost: true },
    });
    const { page } = firefox;
    await page.goto(meeting.joinUrl);
    await page.waitForSelector('[data-testid="display-name"]');
    await page.type('[data-testid="display-name"]', 'Fox Guest');
    await page.click('[data-testid="join-button"]');
    await page.waitForSelector('[data-testid="video-grid"]', { timeout: 30_000 });

    await page.click('[data-testid="device-settings-button"]');
    await page.waitForSelector('[data-testid="device-settings"]');
    await page.waitForSelector('[data-testid="device-preview"]');
    await eventually('cameras and microphones listed', async () =>
      page.evaluate(
        () =>
          document.querySelectorAll('[data-testid="settings-camera-select"] option').length > 0 &&
          document.querySelectorAll('[data-testid="settings-mic-select"] option').length > 0,
      ),
    );
    const speaker = await page.evaluate(() => ({ offered: document.querySelector('[data-testid="settings-speaker-select"]') !== null, supported: 'setSinkId' in HTMLMediaElement.prototype }));
    assert.equal(speaker.offered, speaker.supported, 'the speaker choice shows exactly where setSinkId exists');
    await page.keyboard.press('Escape');
    await eventually('the dialog closed', async () => page.evaluate(() => document.querySelector('[data-testid="device-settings"]') === null));

    await page.click('[data-testid="meeting-info-button"]');
    await page.waitForSelector('[data-testid="meeting-info"]');
    const facts = await page.evaluate(() => ({
      id: document.querySelector('[data-testid="meeting-info-id"]')?.textContent,
      klass: document.querySelector('[data-testid="meeting-info-class"]')?.textContent,
      link: document.querySelector('[data-testid="meeting-info-link"]') !== null,
    }));
    assert.deepEqual(facts, { id: meeting.id, klass: 'Standard', link: false });
    await page.keyboard.press('Escape');
    await eventually('focus back on the info button', async () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'meeting-info-button'));
    assert.deepEqual(firefox.errors.filter((e) => !/favicon/.test(e)), []);
  });
});
