/// <reference lib="dom" />
/**
 * A sensitive meeting, end to end encrypted, through the real UI, server and mediasoup: three
 * signed-in people (two in Chromium, one in Firefox) decode each other's video and audio and show the
 * same Security code; a fourth joining changes it on all four, equal again. A server-side tap of the
 * SFU (a consumer recording what it forwards) yields frames no decoder accepts: ffmpeg decodes 0 of
 * them, while the participants decode theirs. Encrypted chat arrives readable for members and the
 * server keeps none of it.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Page as FirefoxPage } from 'puppeteer-core';
import { startParley, type RunningParley } from '../../packages/server/src/index.js';
import { framesFfmpegDecodes } from '../../packages/sfu/src/testing/ffmpeg.js';
import { tapVideo } from '../../packages/sfu/src/testing/tap.js';
import { TestMls } from '../../packages/server/src/test-support/mls-client.js';
import { TestClient } from '../../packages/server/src/test-support/ws-client.js';
import type { RequestResult, ServerMessage } from '@parley/protocol';
import { firefoxFlowing, launchFirefox, type FirefoxSession } from './firefox.js';
import { chromiumFlowing, eventually, inboundStats, launchBrowser, newParticipant, PASSWORD, post, sessionOf, signInViaUi, sleep, type ApiSession, type Participant } from './helpers.js';

/** Firefox never pairs loopback ICE candidates: the runner gives browser tests a veth address (scripts/isolated-net.sh). */
const MEDIA_IP = process.env.PARLEY_TEST_MEDIA_IP;

const codeOf = async (page: Page): Promise<string> => ((await page.getByTestId('security-code-digits').textContent()) ?? '').trim();
const firefoxCode = (page: FirefoxPage): Promise<string> =>
  page.$eval('[data-testid="security-code-digits"]', (e) => (e.textContent ?? '').trim()).catch(() => '');
const statusOf = async (page: Page): Promise<string> => (await page.getByTestId('e2ee-status').textContent().catch(() => '')) ?? '';

async function firefoxSignIn(page: FirefoxPage, url: string, email: string): Promise<void> {
  await page.goto(`${url}/signin`);
  await page.locator('[data-testid="signin-email"]').fill(email);
  await page.locator('[data-testid="signin-password"]').fill(PASSWORD);
  await page.locator('[data-testid="signin-submit"]').click();
  await page.waitForSelector('[data-testid="account-name"]', { timeout: 15_000 });
}

/** Opens the link signed in and clicks Join; resolves on the meeting (host) or the waiting screen. */
async function openAndJoin(page: Page, link: string, screen: 'video-grid' | 'lobby-screen'): Promise<void> {
  await page.goto(link);
  await page.getByTestId('preview-video').waitFor({ state: 'attached', timeout: 30_000 });
  await page.getByTestId('account-display-name').waitFor();
  await page.getByTestId('join-button').click();
  await page.getByTestId(screen).waitFor({ timeout: 30_000 });
}

/** Opens the waiting room (if it is not open) and admits the person named `name`. */
async function admit(host: Page, name: string): Promise<void> {
  const entry = host.locator(`[data-testid="lobby-entry"][data-name="${name}"]`);
  if (!(await host.getByTestId('lobby-panel').isVisible())) await host.getByTestId('toggle-lobby').click();
  await entry.getByTestId('admit-button').click({ timeout: 30_000 });
}

/** Milliseconds from now (the meeting screen just showed) to the page's first decoded remote video frame. */
async function msToFirstFrame(page: Page): Promise<number> {
  const start = Date.now();
  await eventually('a first remote video frame decoded', async () => [...(await inboundStats(page)).values()].some((s) => s.kind === 'video' && s.framesDecoded > 0), 60_000, 50);
  return Date.now() - start;
}

if (!MEDIA_IP) console.error('\n!!!!!!!! SKIPPING the end-to-end encryption tests: no private network namespace (run as root via npm test) !!!!!!!!\n');

describe('a sensitive meeting, end-to-end encrypted, in Chromium and Firefox', { timeout: 600_000, skip: !MEDIA_IP }, () => {
  let dataDir = '';
  let running: RunningParley;
  let browser: Browser;
  let firefox: FirefoxSession;
  let host: Participant;
  let bea: Participant;
  let dan: Participant;
  let meeting: { id: string; joinUrl: string; passcode: string };
  let admin: ApiSession;

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'parley-e2ee-'));
    running = await startParley({ port: 0, host: '127.0.0.1', rtcListenAddress: MEDIA_IP, dataDir, logLevel: 'silent' });
    const url = running.url;
    const token = new URL(running.setupUrl ?? '').hash.replace(/^#token=/, '');
    admin = await sessionOf(await post(running, '/api/setup', { token, email: 'hana@parley.test', displayName: 'Hana Host', password: PASSWORD }), 'setup');
    for (const [email, displayName] of [
      ['bea@parley.test', 'Bea Member'],
      ['finn@parley.test', 'Finn Firefox'],
      ['dan@parley.test', 'Dan Member'],
      ['rita@parley.test', 'Rita Removed'],
    ]) {
      const res = await post(running, '/api/users', { email, displayName, password: PASSWORD, orgRole: 'member' }, admin);
      assert.ok(res.ok, `create ${email}: ${res.status}`);
    }
    const res = await post(running, '/api/meetings', { title: 'Board', sensitivity: 'sensitive', settings: { features: { chat: true } } }, admin);
    assert.equal(res.status, 201);
    meeting = (await res.json()) as { id: string; joinUrl: string; passcode: string };
    browser = await launchBrowser();
    firefox = await launchFirefox();
    host = await newParticipant(browser, 'Hana Host');
    bea = await newParticipant(browser, 'Bea Member');
    dan = await newParticipant(browser, 'Dan Member');
    await signInViaUi(host.page, url, 'hana@parley.test');
    await signInViaUi(bea.page, url, 'bea@parley.test');
    await signInViaUi(dan.page, url, 'dan@parley.test');
    await firefoxSignIn(firefox.page, url, 'finn@parley.test');
  });

  after(async () => {
    await browser?.close();
    await firefox?.close();
    await running?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  test('three signed-in people decode each other and show the same Security code', async () => {
    await openAndJoin(host.page, meeting.joinUrl, 'video-grid');
    assert.match(await host.page.getByTestId('sensitivity-badge').first().textContent() ?? '', /sensitive/i);
    await openAndJoin(bea.page, meeting.joinUrl, 'lobby-screen');
    await admit(host.page, 'Bea Member');
    await bea.page.getByTestId('video-grid').waitFor({ timeout: 30_000 });
    console.log(`# join: sensitive meeting, meeting screen → first remote video frame decoded: ${await msToFirstFrame(bea.page)} ms`);
    await firefox.page.goto(meeting.joinUrl);
    await firefox.page.waitForSelector('[data-testid="account-display-name"]', { timeout: 30_000 });
    await firefox.page.locator('[data-testid="join-button"]').click();
    await firefox.page.waitForSelector('[data-testid="lobby-screen"]', { timeout: 30_000 });
    await admit(host.page, 'Finn Firefox');
    await firefox.page.waitForSelector('[data-testid="video-grid"]', { timeout: 30_000 });

    for (const p of [host, bea]) await eventually(`${p.name}: end-to-end encrypted`, async () => /end-to-end encrypted/i.test(await statusOf(p.page)), 60_000);
    await eventually(
      'one Security code on all three screens',
      async () => {
        const codes = [await codeOf(host.page), await codeOf(bea.page), await firefoxCode(firefox.page)];
        return codes.every((c) => /^\d{5}( \d{5}){5}$/.test(c)) && new Set(codes).size === 1 && codes[0];
      },
      60_000,
    );
    await eventually('Chromium (host) decoding both others', () => chromiumFlowing(host, 2), 60_000);
    await eventually('Chromium (Bea) decoding both others', () => chromiumFlowing(bea, 2), 60_000);
    await eventually('Firefox decoding both others', () => firefoxFlowing(firefox.page, 2), 60_000);
    assert.deepEqual(host.errors, [], 'no console errors for the host');
    assert.deepEqual(firefox.errors, [], 'no console errors in Firefox');
  });

  test('a tap on the SFU records frames ffmpeg cannot decode while the participants decode them', async () => {
    const room = running.server.rooms.get(meeting.id);
    assert.ok(room);
    const camera = [...room.tracks.values()].find((t) => t.info.source === 'camera');
    assert.ok(camera, 'someone publishes a camera');
    const tap = await tapVideo(running.server.sfu, camera.info.id);
    try {
      await eventually(
        'sixty frames recorded by the tap',
        async () => {
          if (tap.frames.length >= 60) return true;
          await tap.requestKeyFrame();
          return false;
        },
        60_000,
        500,
      );
      const frames = tap.frames.slice(0, 60);
      const { decoded, log } = await framesFfmpegDecodes(frames);
      console.log(`# tap: ${frames.length} forwarded frames recorded, ffmpeg decoded ${decoded}`);
      assert.equal(decoded, 0, `ffmpeg decoded ${decoded} of the tapped frames (${log.slice(0, 300)})`);
      await eventually('the participants still decode', () => chromiumFlowing(bea, 2), 30_000);
    } finally {
      tap.close();
    }
  });

  test('encrypted chat is readable for members and the server keeps none of it', async () => {
    const text = 'Board only: the offer is 42';
    if (!(await bea.page.getByTestId('chat-panel').isVisible())) await bea.page.getByTestId('toggle-chat').click();
    await bea.page.getByTestId('chat-input').fill(text);
    await bea.page.getByTestId('chat-send').click();
    if (!(await host.page.getByTestId('chat-panel').isVisible())) await host.page.getByTestId('toggle-chat').click();
    await host.page.getByText(text).waitFor({ timeout: 30_000 });
    await firefox.page.locator('[data-testid="toggle-chat"]').click();
    await firefox.page.waitForFunction((t) => document.body.innerText.includes(t), { timeout: 30_000 }, text);
    const room = running.server.rooms.get(meeting.id);
    assert.ok(room);
    assert.equal(room.chat.visibleTo([...room.participants.keys()][0] ?? '').length, 0, 'the server holds no chat of this meeting');
  });

  test('a fourth person joining changes the code on every screen, equal again', async () => {
    const before = await codeOf(host.page);
    await openAndJoin(dan.page, meeting.joinUrl, 'lobby-screen');
    await admit(host.page, 'Dan Member');
    await dan.page.getByTestId('video-grid').waitFor({ timeout: 30_000 });
    await eventually(
      'one new Security code on all four screens',
      async () => {
        const codes = [await codeOf(host.page), await codeOf(bea.page), await codeOf(dan.page), await firefoxCode(firefox.page)];
        return new Set(codes).size === 1 && /^\d{5}( \d{5}){5}$/.test(codes[0] ?? '') && codes[0] !== before;
      },
      60_000,
    );
    await eventually('Dan decoding the three others', () => chromiumFlowing(dan, 3), 60_000);
  });

  test('a removed member decodes none of the frames sent after the rekey, though their media path stays open', async () => {
    // Rita's client is a real MLS member in Node (test-support/mls-client.ts) on a real socket; the SFU
    // tap stands for a media connection that is never closed. She keeps her keys after the removal.
    const rita = await sessionOf(await post(running, '/api/auth/sign-in', { email: 'rita@parley.test', password: PASSWORD }), 'sign-in');
    const socket = await TestClient.ready(running.url.replace(/^http/, 'ws') + '/ws', rita);
    const joined = (await socket.request('join', { meetingId: meeting.id, passcode: meeting.passcode })) as RequestResult<'join'>;
    assert.equal(joined.status, 'waiting');
    await admit(host.page, 'Rita Removed');
    const admittedMsg = await socket.waitFor((m: ServerMessage) => m.type === 'admitted', 30_000, 0);
    assert.ok(admittedMsg.type === 'admitted');
    const me = await fetch(`${running.url}/api/session`, { headers: { cookie: rita.cookie } });
    const userId = ((await me.json()) as { user: { id: string } }).user.id;
    const mls = await TestMls.start(socket, admittedMsg.state, userId);
    await eventually('Rita in the group with the browsers (one code)', async () => mls.epoch !== undefined && mls.member.securityCode() === (await codeOf(host.page)), 60_000);

    const room = running.server.rooms.get(meeting.id);
    const camera = room && [...room.tracks.values()].find((t) => t.info.source === 'camera' && t.info.participantId !== admittedMsg.state.self.id);
    assert.ok(camera, 'a browser publishes a camera');
    const info = (frame: Uint8Array) => ({ kind: 'video' as const, codec: 'video/VP8', isKeyFrame: ((frame[0] ?? 1) & 0x01) === 0 });
    const decryptable = async (frames: readonly Uint8Array[]): Promise<number> => {
      let n = 0;
      for (const f of frames) n += await mls.keys.decryptFrame(f, info(f)).then(() => 1, () => 0);
      return n;
    };
    const record = async (count: number): Promise<Uint8Array[]> => {
      const tap = await tapVideo(running.server.sfu, camera.info.id);
      try {
        await eventually(`${count} frames tapped`, async () => tap.frames.length >= count || (await tap.requestKeyFrame(), false), 60_000, 500);
        return tap.frames.slice(0, count);
      } finally {
        tap.close();
      }
    };
    const before = await decryptable(await record(30));
    assert.ok(before >= 25, `while a member, Rita decrypts the forwarded frames (${before} of 30)`);

    const codeBefore = await codeOf(host.page);
    mls.stop();
    if (!(await host.page.getByTestId('participant-list').isVisible())) await host.page.getByTestId('toggle-people').click();
    const row = host.page.locator(`[data-testid="participant-item"][data-participant-id="${admittedMsg.state.self.id}"]`);
    await row.getByTestId('person-menu').click();
    await row.getByTestId('person-remove').click();
    await host.page.getByTestId('remove-dialog-confirm').click();
    await eventually('a new Security code for those who stay', async () => {
      const codes = [await codeOf(host.page), await codeOf(bea.page), await codeOf(dan.page), await firefoxCode(firefox.page)];
      return new Set(codes).size === 1 && codes[0] !== codeBefore;
    }, 60_000);
    // Frames in flight under the old keys may still come for a moment: record after the switch.
    await sleep(2000);
    const after = await decryptable(await record(30));
    console.log(`# removed: Rita decrypted ${before} of 30 tapped frames as a member, ${after} of 30 after the rekey`);
    assert.equal(after, 0, 'after the removal Rita decrypts none of the frames the SFU forwards');
    await eventually('the others still decode', () => chromiumFlowing(bea, 2), 30_000);
    await socket.close();
  });

  test('a standard meeting raised to sensitive becomes end-to-end encrypted for everyone in it', async () => {
    for (const p of [host, bea]) await p.page.goto(`${running.url}/`);
    await firefox.page.goto('about:blank');
    const standard = await post(running, '/api/meetings', { title: 'Weekly', settings: { lobby: false } }, admin);
    assert.equal(standard.status, 201);
    const weekly = (await standard.json()) as { id: string; joinUrl: string };
    await openAndJoin(host.page, weekly.joinUrl, 'video-grid');
    await openAndJoin(bea.page, weekly.joinUrl, 'video-grid');
    console.log(`# join: standard meeting, meeting screen → first remote video frame decoded: ${await msToFirstFrame(bea.page)} ms`);
    await eventually('both decode each other in clear first', async () => (await chromiumFlowing(host, 1)) && (await chromiumFlowing(bea, 1)), 60_000);
    assert.equal(await host.page.getByTestId('e2ee-status').count(), 0, 'a standard meeting does not claim encryption');

    if (!(await host.page.getByTestId('security-menu').isVisible())) await host.page.getByTestId('toggle-security').click();
    await host.page.getByTestId('raise-sensitivity').click();
    await host.page.getByTestId('raise-sensitivity-dialog-confirm').click();
    for (const p of [host, bea]) await eventually(`${p.name}: end-to-end encrypted after the raise`, async () => /end-to-end encrypted/i.test(await statusOf(p.page)), 60_000);
    await eventually(
      'one Security code on both screens',
      async () => {
        const codes = [await codeOf(host.page), await codeOf(bea.page)];
        return /^\d{5}( \d{5}){5}$/.test(codes[0] ?? '') && codes[0] === codes[1];
      },
      60_000,
    );
    await eventually('both decode each other, now encrypted', async () => (await chromiumFlowing(host, 1)) && (await chromiumFlowing(bea, 1)), 60_000);
    const room = running.server.rooms.get(weekly.id);
    const camera = room && [...room.tracks.values()].find((t) => t.info.source === 'camera');
    assert.ok(camera, 'a camera is published again');
    const tap = await tapVideo(running.server.sfu, camera.info.id);
    try {
      await eventually('thirty frames recorded', async () => tap.frames.length >= 30 || (await tap.requestKeyFrame(), false), 60_000, 500);
      assert.equal((await framesFfmpegDecodes(tap.frames.slice(0, 30))).decoded, 0, 'what the SFU forwards after the raise decodes to nothing');
    } finally {
      tap.close();
    }
  });
});
