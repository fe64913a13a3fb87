/// <reference lib="dom" />
/**
 * Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi (Playwright's Firefox needs its
 * own build, which cannot be fetched here). Fake camera and microphone, no permission prompts,
 * autoplay allowed, nothing fetched from outside, and the same page instrumentation as Chromium's.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { INSTRUMENT, sleep } from './helpers.js';

export const FIREFOX = process.env.PARLEY_FIREFOX ?? '/usr/bin/firefox-esr';

const PREFS: Record<string, unknown> = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // Nothing leaves the machine: no updates, telemetry, safe browsing or captive-portal checks.
  'app.update.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'toolkit.telemetry.enabled': false,
  'extensions.update.enabled': false,
};

export interface FirefoxSession {
  browser: Browser;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

export async function launchFirefox(): Promise<FirefoxSession> {
  const profile = await mkdtemp(join(tmpdir(), 'parley-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    extraPrefsFirefox: PREFS,
    protocolTimeout: 120_000,
  });
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 720 });
  await page.evaluateOnNewDocument(INSTRUMENT);
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return {
    browser,
    page,
    errors,
    async close() {
      await browser.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Inbound video frames decoded and audio packets received, summed over the page's connections. */
export async function firefoxInbound(page: Page): Promise<{ video: number; audio: number; videoStreams: number }> {
  return page.evaluate(async () => {
    let video = 0;
    let audio = 0;
    let videoStreams = 0;
    for (const pc of window.__testPeerConnections ?? []) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s: RTCInboundRtpStreamStats) => {
        if (s.type !== 'inbound-rtp') return;
        if (s.kind === 'video') {
          video += s.framesDecoded ?? 0;
          if ((s.framesDecoded ?? 0) > 0) videoStreams += 1;
        } else audio += s.packetsReceived ?? 0;
      });
    }
    return { video, audio, videoStreams };
  });
}

/** Firefox decodes a rising number of video frames from `streams` streams, and receives audio. */
export async function firefoxFlowing(page: Page, streams: number): Promise<boolean> {
  const a = await firefoxInbound(page);
  await sleep(1000);
  const b = await firefoxInbound(page);
  return b.videoStreams >= streams && b.video > a.video && b.audio > a.audio;
}
