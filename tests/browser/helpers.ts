/// <reference lib="dom" />
/**
 * Shared helpers for the browser tests: the real Parley server in-process, Debian's Chromium with
 * fake devices through playwright-core, RTCPeerConnection capture (an init script, so production
 * code carries no test hooks), getStats() readers, accounts (setup, sign-in), and the UI steps of
 * creating and joining a meeting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startParley } from '../../packages/server/src/index.js';
import type { ParleyOptions } from '../../packages/server/src/config.js';

export const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  // Pages in background contexts must keep decoding and running timers at full speed.
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
];

export interface TestServer {
  url: string;
  /** The one-time link that creates the first administrator (a fresh install has one). */
  setupUrl: string;
  close(): Promise<void>;
}

export async function startServer(options: Pick<ParleyOptions, 'resumeSeconds' | 'turnUrls' | 'turnSecret' | 'iceTransportPolicy' | 'rtcListenAddress'> = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-browser-'));
  const app = await startParley({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', ...options });
  if (!app.setupUrl) throw new Error('a fresh server should offer a setup link');
  return {
    url: app.url,
    setupUrl: app.setupUrl,
    async close() {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export const PASSWORD = 'correct horse battery staple';

export interface Person {
  email: string;
  displayName: string;
}

/** An API caller's session (for setting up fixtures over HTTP, not for what a test is about). */
export interface ApiSession {
  cookie: string;
  csrfToken: string;
}

/** A JSON POST to the server's API, with a session if given. */
export async function post(server: Pick<TestServer, 'url'>, path: string, body: unknown, as?: ApiSession): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(as ? { cookie: as.cookie, 'x-csrf-token': as.csrfToken } : {}) },
    body: JSON.stringify(body),
  });
}

/** The session a successful setup or sign-in response set. */
export async function sessionOf(res: Response, what: string): Promise<ApiSession> {
  if (!res.ok) throw new Error(`${what}: HTTP ${res.status} ${await res.text()}`);
  const cookie = /parley_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  const { csrfToken } = (await res.json()) as { csrfToken: string | null };
  if (!cookie || !csrfToken) throw new Error(`${what}: no session`);
  return { cookie, csrfToken };
}

/** Creates the first administrator through the setup token, over HTTP. */
export async function setupAdminViaApi(server: TestServer, admin: Person): Promise<ApiSession> {
  const token = new URL(server.setupUrl).hash.replace(/^#token=/, '');
  return sessionOf(await post(server, '/api/setup', { token, ...admin, password: PASSWORD }), 'setup');
}

export async function createMeetingViaApi(
  server: TestServer,
  host: ApiSession,
  body: { title?: string; settings?: Record<string, unknown> },
): Promise<{ id: string; passcode: string | null; joinUrl: string }> {
  const res = await post(server, '/api/meetings', body, host);
  if (res.status !== 201) throw new Error(`create meeting: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as { id: string; passcode: string | null; joinUrl: string };
}

/** The sign-in page, filled and submitted; resolves once the header shows the account. */
export async function signInViaUi(page: Page, baseUrl: string, email: string, password = PASSWORD): Promise<void> {
  if (!page.url().includes('/signin')) await page.goto(`${baseUrl}/signin`);
  await page.getByTestId('signin-email').fill(email);
  await page.getByTestId('signin-password').fill(password);
  await page.getByTestId('signin-submit').click();
  await page.getByTestId('account-name').waitFor({ timeout: 10_000 });
}

/** One Chromium for the whole file; each participant gets its own (fresh, isolated) context. */
export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

declare global {
  interface Window {
    __testPeerConnections?: RTCPeerConnection[];
    __testCspViolations?: string[];
    __testCaptureTracks?: MediaStreamTrack[];
    /** Oscillators started by the page (the knock chime is two). */
    __testTones?: number;
  }
}

/**
 * Runs in every page before its scripts: records each RTCPeerConnection and every CSP violation.
 * A string, not a function: tsx's transpiled functions may reference helpers (`__name`) that do not
 * exist in the page.
 */
export const INSTRUMENT = `(() => {
  const pcs = [];
  const violations = [];
  window.__testPeerConnections = pcs;
  window.__testCspViolations = violations;
  const Native = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Native {
    constructor(config) {
      super(config);
      pcs.push(this);
    }
  };
  const captured = [];
  window.__testCaptureTracks = captured;
  const md = navigator.mediaDevices;
  if (md) {
    const gum = md.getUserMedia.bind(md);
    md.getUserMedia = async (c) => {
      const stream = await gum(c);
      captured.push(...stream.getTracks());
      return stream;
    };
    const gdm = md.getDisplayMedia.bind(md);
    md.getDisplayMedia = async (c) => {
      const stream = await gdm(c);
      captured.push(...stream.getTracks());
      return stream;
    };
  }
  window.__testTones = 0;
  if (window.OscillatorNode) {
    const start = AudioScheduledSourceNode.prototype.start;
    OscillatorNode.prototype.start = function (...args) {
      window.__testTones++;
      return start.apply(this, args);
    };
  }
  document.addEventListener('securitypolicyviolation', (e) => {
    violations.push(e.effectiveDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber);
  });
})();`;

export interface Participant {
  name: string;
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far. */
  errors: string[];
}

export async function newParticipant(browser: Browser, name: string): Promise<Participant> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.addInitScript(INSTRUMENT);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return { name, context, page, errors };
}

export interface InboundStats {
  kind: 'audio' | 'video';
  mid: string;
  framesDecoded: number;
  packetsReceived: number;
}

/** inbound-rtp stats of every RTCPeerConnection the page created, keyed by `pcIndex/mid`. */
export async function inboundStats(page: Page): Promise<Map<string, InboundStats>> {
  const list = await page.evaluate(async () => {
    const out: { key: string; kind: 'audio' | 'video'; mid: string; framesDecoded: number; packetsReceived: number }[] = [];
    const pcs = window.__testPeerConnections ?? [];
    for (const [i, pc] of pcs.entries()) {
      if (pc.connectionState === 'closed') continue;
      const report = await pc.getStats();
      report.forEach((s: RTCInboundRtpStreamStats & { mid?: string }) => {
        if (s.type !== 'inbound-rtp') return;
        const mid = s.mid ?? s.trackIdentifier ?? s.id;
        out.push({
          key: `${i}/${mid}`,
          kind: s.kind === 'video' ? 'video' : 'audio',
          mid,
          framesDecoded: s.framesDecoded ?? 0,
          packetsReceived: s.packetsReceived ?? 0,
        });
      });
    }
    return out;
  });
  return new Map(list.map(({ key, ...rest }) => [key, rest]));
}

/**
 * Streams of `kind` whose counter (framesDecoded for video, packetsReceived for audio) is positive
 * and rose between two samples `intervalMs` apart: media that is flowing now, not once.
 */
export async function flowingStreams(page: Page, kind: 'audio' | 'video', intervalMs = 1000): Promise<string[]> {
  const counter = (s: InboundStats): number => (kind === 'video' ? s.framesDecoded : s.packetsReceived);
  const before = await inboundStats(page);
  await sleep(intervalMs);
  const after = await inboundStats(page);
  const flowing: string[] = [];
  for (const [key, s] of after) {
    if (s.kind !== kind) continue;
    const prev = before.get(key);
    if (counter(s) > 0 && prev && counter(s) > counter(prev)) flowing.push(key);
  }
  return flowing;
}

/** Chromium decodes a rising number of video frames from `streams` streams, and receives audio from as many. */
export async function chromiumFlowing(p: Participant, streams: number): Promise<boolean> {
  const video = await flowingStreams(p.page, 'video');
  const audio = await flowingStreams(p.page, 'audio');
  return video.length >= streams && audio.length >= streams;
}

/** Polls `probe` until it returns a truthy value or `timeoutMs` passes; then throws with `what`. */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, timeoutMs = 15_000, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
    await sleep(everyMs);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Home (signed in as a member) → create a meeting → read the join link. Security options not given
 * keep their safe defaults. Leaves the page on the home screen.
 */
export async function createMeetingViaUi(
  page: Page,
  baseUrl: string,
  title: string,
  options: { lobby?: boolean; hostFirst?: boolean; access?: 'anyone' | 'signed-in' | 'organization'; public?: boolean } = {},
): Promise<string> {
  await page.goto(baseUrl);
  await page.getByTestId('create-title').fill(title);
  if (options.public !== undefined) await page.getByTestId('opt-public').setChecked(options.public);
  if (options.access) await page.getByTestId(`opt-access-${options.access}`).check();
  if (options.lobby !== undefined) await page.getByTestId('opt-lobby').setChecked(options.lobby);
  if (options.hostFirst !== undefined) await page.getByTestId('opt-host-first').setChecked(options.hostFirst);
  await page.getByTestId('create-meeting').click();
  const link = page.getByTestId('join-link');
  await link.waitFor();
  return link.inputValue();
}

/**
 * Fills the pre-join form (already open) and clicks Join; resolves when the meeting screen shows.
 * `name` is for guests; signed-in people join under their account's name.
 */
export async function joinFromPreJoin(page: Page, name: string | null): Promise<{ clickedAt: number }> {
  await startJoining(page, name);
  const clickedAt = Date.now();
  await page.getByTestId('join-button').click();
  await page.getByTestId('video-grid').waitFor({ timeout: 15_000 });
  return { clickedAt };
}

/** Like joinFromPreJoin, but for someone who will wait: resolves when the waiting screen shows. */
export async function joinToLobby(page: Page, name: string | null): Promise<void> {
  await startJoining(page, name);
  await page.getByTestId('join-button').click();
  await page.getByTestId('lobby-screen').waitFor({ timeout: 15_000 });
}

async function startJoining(page: Page, name: string | null): Promise<void> {
  await page.getByTestId('preview-video').waitFor({ state: 'attached' });
  if (name !== null) await page.getByTestId('display-name').fill(name);
  else await page.getByTestId('account-display-name').waitFor();
}

export async function selfId(page: Page): Promise<string> {
  const id = await page.getByTestId('self-id').textContent();
  if (!id) throw new Error('self-id is empty');
  return id;
}

/**
 * Acts out the browser's own "Stop sharing" button: the capture ends and the track fires `ended`
 * (MediaStreamTrack.stop() alone fires nothing).
 */
export async function endScreenCaptureLikeBrowser(page: Page): Promise<void> {
  await page.evaluate(() => {
    for (const t of window.__testCaptureTracks ?? []) {
      if (t.kind === 'video' && t.readyState === 'live' && t.label.startsWith('screen')) {
        t.stop();
        t.dispatchEvent(new Event('ended'));
      }
    }
  });
}

/** How many camera/microphone tracks of `kind` the page holds open (a lit camera light). */
export async function liveCaptureTracks(page: Page, kind: 'audio' | 'video'): Promise<number> {
  return page.evaluate((k) => (window.__testCaptureTracks ?? []).filter((t) => t.kind === k && t.readyState === 'live').length, kind);
}

export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => window.__testCspViolations ?? []);
}

export async function tonesPlayed(page: Page): Promise<number> {
  return page.evaluate(() => window.__testTones ?? 0);
}

/** Every signaling message the page receives from now on, as raw text. */
export function recordSignaling(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));
  return frames;
}
