/// <reference lib="dom" />
/**
 * Three people in one meeting through the real UI, server and SFU: everyone decodes everyone's
 * video and receives their audio; a screen share reaches the others; a leaver disappears.
 * The host signs in and creates the meeting with the waiting room off (this file is about media;
 * access.test.ts is about the waiting room). Each step builds on the previous one, so they run in
 * order in one describe.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import {
  createMeetingViaUi,
  cspViolations,
  endScreenCaptureLikeBrowser,
  eventually,
  flowingStreams,
  inboundStats,
  joinFromPreJoin,
  liveCaptureTracks,
  launchBrowser,
  newParticipant,
  selfId,
  setupAdminViaApi,
  signInViaUi,
  startServer,
  type Participant,
  type TestServer,
} from './helpers.js';

describe('a three-person meeting in Chromium', { timeout: 180_000 }, () => {
  let server: TestServer;
  let browser: Browser;
  const people: Participant[] = [];
  const ids: string[] = [];

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  after(async () => {
    for (const p of people) await p.context.close().catch(() => undefined);
    await browser?.close();
    await server?.close();
  });

  test('three participants join via the UI and each decodes the other two', async () => {
    const [host, bob, carol] = await Promise.all(['Alice Host', 'Bob', 'Carol'].map((n) => newParticipant(browser, n)));
    people.push(host!, bob!, carol!);

    await setupAdminViaApi(server, { email: 'alice@parley.test', displayName: 'Alice Host' });
    await signInViaUi(host!.page, server.url, 'alice@parley.test');
    const joinUrl = await createMeetingViaUi(host!.page, server.url, 'Browser test', { lobby: false });
    assert.match(joinUrl, /\/m\/[0-9a-z]{4}(-[0-9a-z]{4}){3}#pwd=/);

    // The host goes through "Join now"; the others open the shared link.
    await host!.page.getByTestId('join-now').click();
    await bob!.page.goto(joinUrl);
    await carol!.page.goto(joinUrl);

    for (const p of people) {
      // The passcode is taken out of the address bar at once, and no passcode field is asked for.
      assert.equal(new URL(p.page.url()).hash, '', `${p.name}: the #pwd fragment must be scrubbed`);
      assert.equal(await p.page.getByTestId('passcode').count(), 0);
      await eventually(`${p.name}'s camera preview`, () =>
        p.page.getByTestId('preview-video').evaluate((v: HTMLVideoElement) => v.videoWidth > 0),
      );
      await eventually(`${p.name}'s microphone meter to move`, async () =>
        Number(await p.page.getByTestId('mic-meter').getAttribute('aria-valuenow')) > 0,
      );
    }

    for (const p of people) {
      // The host joins under the account's name; the others are guests and type theirs.
      const { clickedAt } = await joinFromPreJoin(p.page, p === host ? null : p.name);
      ids.push(await selfId(p.page));
      if (p !== host) {
        // Time from clicking Join to the first remote video frame decoded (reported, not asserted).
        await eventually(`${p.name}'s first remote frame`, async () =>
          [...(await inboundStats(p.page)).values()].some((s) => s.kind === 'video' && s.framesDecoded > 0),
        undefined, 25);
        console.log(`# ${p.name}: join click → first remote video frame decoded: ${Date.now() - clickedAt} ms`);
      }
    }
    assert.equal(new Set(ids).size, 3, 'three distinct participant IDs');

    for (const p of people) {
      await eventually(`${p.name} to see 3 tiles and 3 list entries`, async () => {
        const tiles = await p.page.getByTestId('tile').count();
        const items = await p.page.getByTestId('participant-item').count();
        return tiles === 3 && items === 3;
      });
      const names = await p.page.getByTestId('participant-name').allTextContents();
      assert.deepEqual(names.sort(), people.map((o) => o.name).sort(), `${p.name} lists everyone by name`);
      const badges = await p.page.locator('[data-testid="participant-item"] [data-testid="badge"]').evaluateAll((els) =>
        els.map((e) => e.getAttribute('data-identity')).sort(),
      );
      assert.deepEqual(badges, ['guest', 'guest', 'member'], `${p.name} sees one member (the host) and two guests`);
      for (const id of ids) {
        const tile = p.page.locator(`[data-testid="tile"][data-participant-id="${id}"][data-source="camera"]`);
        assert.equal(await tile.count(), 1);
        // The tile really renders the camera: its <video> has decoded frames to show.
        await eventually(`${p.name}: the camera tile of ${id} to show video`, () =>
          tile.locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth > 0 && v.readyState >= 2),
        );
      }
    }

    for (const p of people) {
      const video = await eventually(`${p.name} decoding 2 remote videos`, async () => {
        const flowing = await flowingStreams(p.page, 'video');
        return flowing.length >= 2 && flowing;
      }, 20_000);
      const audio = await eventually(`${p.name} receiving 2 remote audio tracks`, async () => {
        const flowing = await flowingStreams(p.page, 'audio');
        return flowing.length >= 2 && flowing;
      }, 20_000);
      assert.equal(video.length, 2, `${p.name} decodes exactly the two other cameras`);
      assert.equal(audio.length, 2, `${p.name} receives exactly the two other microphones`);
    }

    // Each client told the server when it decoded its first remote frame: /metrics times join to first frame.
    await eventually('three join-to-first-frame times in /metrics', async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      const count = /^parley_join_first_frame_seconds_count\{after="join"\} (\d+)$/m.exec(text);
      return Number(count?.[1] ?? 0) >= 3;
    });

    // A camera shows whole (letterboxed) by default; one tile can be set to fill, and back.
    const fitOf = (video: HTMLVideoElement): string => getComputedStyle(video).objectFit;
    const hostId = await selfId(host!.page);
    const remote = host!.page.locator(`[data-testid="tile"][data-source="camera"][data-participant-id="${ids.find((id) => id !== hostId) ?? ''}"]`);
    assert.equal(await remote.locator('video').evaluate(fitOf), 'contain');
    await remote.hover();
    await remote.getByTestId('tile-fit').click();
    assert.equal(await remote.getByTestId('tile-fit').getAttribute('aria-pressed'), 'true');
    assert.equal(await remote.locator('video').evaluate(fitOf), 'cover');
    await remote.getByTestId('tile-fit').click();
    assert.equal(await remote.locator('video').evaluate(fitOf), 'contain');

    await host!.page.screenshot({ path: '/tmp/parley-meeting.png' });
    for (const p of people) {
      assert.deepEqual(await cspViolations(p.page), [], `${p.name}: no CSP violations`);
      assert.deepEqual(p.errors, [], `${p.name}: no console errors or uncaught exceptions`);
    }
  });

  test('a screen share reaches the other two as its own tile', async () => {
    const [sharer, ...viewers] = people;
    assert.ok(sharer && viewers.length === 2, 'the previous test set up three people');
    // Every video stream a viewer already has, flowing this second or not: a camera that stalls for a
    // moment on a busy machine must not count as new once it flows again.
    const before = await Promise.all(viewers.map(async (v) =>
      [...(await inboundStats(v.page)).entries()].filter(([, s]) => s.kind === 'video').map(([key]) => key)));

    await sharer.page.getByTestId('toggle-screen').click();
    const screenTile = `[data-testid="tile"][data-source="screen"][data-participant-id="${ids[0]}"]`;
    await sharer.page.locator(screenTile).waitFor({ timeout: 20_000 });

    for (const [i, v] of viewers.entries()) {
      await v.page.locator(screenTile).waitFor({ timeout: 15_000 });
      const flowing = await eventually(`${v.name} decoding the screen share`, async () => {
        const now = await flowingStreams(v.page, 'video');
        return now.length >= 3 && now;
      }, 20_000);
      const fresh = flowing.filter((k) => !before[i]!.includes(k));
      assert.equal(fresh.length, 1, `${v.name} decodes one new video stream (the screen)`);
    }

    for (const v of viewers) {
      assert.ok(await v.page.locator(`${screenTile} video`).evaluate((el: HTMLVideoElement) => el.videoWidth > 0));
    }
    await sharer.page.screenshot({ path: '/tmp/parley-screenshare.png' });
    // Stopping the share removes the tile everywhere.
    await sharer.page.getByTestId('toggle-screen').click();
    for (const v of viewers) await v.page.locator(screenTile).waitFor({ state: 'detached', timeout: 15_000 });

    // Sharing again renegotiates over the stopped transceiver's slot, and the browser's own
    // "Stop sharing" bar ends it just like the button does.
    await sharer.page.getByTestId('toggle-screen').click();
    for (const v of viewers) {
      await v.page.locator(screenTile).waitFor({ timeout: 15_000 });
      await eventually(`${v.name} decoding the second screen share`, () =>
        v.page.locator(`${screenTile} video`).evaluate((el: HTMLVideoElement) => el.videoWidth > 0 && el.readyState >= 2),
      15_000);
      await eventually(`${v.name} decoding 3 videos again`, async () => (await flowingStreams(v.page, 'video')).length >= 3);
    }
    await endScreenCaptureLikeBrowser(sharer.page);
    await sharer.page.locator(screenTile).waitFor({ state: 'detached', timeout: 15_000 });
    for (const v of viewers) await v.page.locator(screenTile).waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await sharer.page.getByTestId('toggle-screen').getAttribute('aria-pressed'), 'false');
  });

  test('muting the microphone and stopping the camera show on the others; the camera comes back', async () => {
    const [alice, bob, carol] = people;
    assert.ok(alice && bob && carol);
    const bobTile = (p: Participant) => p.page.locator(`[data-testid="tile"][data-participant-id="${ids[1]}"][data-source="camera"]`);
    const watchers = [alice, carol];

    await bob.page.getByTestId('toggle-mic').click();
    for (const p of watchers) await bobTile(p).getByLabel('Microphone off').waitFor({ timeout: 15_000 });

    await bob.page.getByTestId('toggle-camera').click();
    for (const p of watchers) await bobTile(p).locator('video').waitFor({ state: 'detached', timeout: 15_000 });
    // The camera light goes off: Bob's page holds no live camera track.
    assert.equal(await liveCaptureTracks(bob.page, 'video'), 0, 'the camera is released');
    assert.equal(await liveCaptureTracks(bob.page, 'audio'), 1, 'the muted microphone stays open');

    await bob.page.getByTestId('toggle-camera').click();
    await bob.page.getByTestId('toggle-mic').click();
    for (const p of watchers) {
      await eventually(`${p.name} to see Bob's camera again`, () =>
        bobTile(p).locator('video').evaluate((v: HTMLVideoElement) => v.videoWidth > 0 && v.readyState >= 2),
      10_000);
      await bobTile(p).getByLabel('Microphone off').waitFor({ state: 'detached', timeout: 15_000 });
      await eventually(`${p.name} decoding two cameras again`, async () => (await flowingStreams(p.page, 'video')).length >= 2);
    }
  });

  test('the speaker view shows one large tile and a filmstrip; a pinned tile stays large; someone is marked speaking', async () => {
    const [alice, bob] = people;
    assert.ok(alice && bob);
    // Chromium's fake microphone beeps: the SFU's active-speaker observer picks someone.
    await eventually('a tile marked as speaking', async () => (await alice.page.locator('[data-testid="tile"][data-speaking="true"]').count()) > 0, 30_000);
    await alice.page.getByTestId('toggle-view').click();
    await alice.page.locator('[data-testid="stage"][data-layout="speaker"]').waitFor({ timeout: 15_000 });
    assert.equal(await alice.page.getByTestId('toggle-view').getAttribute('aria-pressed'), 'true');
    const bobTile = alice.page.locator(`[data-testid="tile"][data-participant-id="${ids[1]}"][data-source="camera"]`);
    await bobTile.getByTestId('tile-pin').click();
    await alice.page.locator(`[data-testid="speaker-main"] [data-testid="tile"][data-participant-id="${ids[1]}"]`).waitFor({ timeout: 15_000 });
    await eventually('the pinned tile to show video', () =>
      alice.page.locator(`[data-testid="speaker-main"] [data-testid="tile"][data-participant-id="${ids[1]}"] video`).evaluate((v: HTMLVideoElement) => v.videoWidth > 0),
    20_000);
    await alice.page.screenshot({ path: '/tmp/parley-speaker-view.png' });
    await alice.page.getByTestId('toggle-view').click();
    await alice.page.locator('[data-testid="stage"][data-layout="grid"]').waitFor({ timeout: 15_000 });
  });

  test('a participant who leaves disappears from the others', async () => {
    const leaver = people[2]!;
    const leaverId = ids[2]!;
    const stayers = people.slice(0, 2);
    const leftAt = Date.now();
    await leaver.page.getByTestId('leave').click();
    const gone = stayers.map(async (p) => {
      const tile = p.page.locator(`[data-testid="tile"][data-participant-id="${leaverId}"]`);
      const item = p.page.locator(`[data-testid="participant-item"][data-participant-id="${leaverId}"]`);
      await eventually(`${p.name} to drop ${leaver.name}`, async () => (await tile.count()) === 0 && (await item.count()) === 0, 30_000, 50);
      return Date.now() - leftAt;
    });
    await leaver.page.locator('[data-testid="error-screen"][data-code="left"]').waitFor({ timeout: 15_000 });
    // Reported, not asserted: speed is the benchmark's business (npm run bench).
    for (const [i, ms] of (await Promise.all(gone)).entries()) console.log(`# ${stayers[i]!.name}: leaver gone ${ms} ms after the click`);
    for (const p of stayers) {
      assert.equal(await p.page.getByTestId('tile').count(), 2);
      assert.equal(await p.page.getByTestId('participant-item').count(), 2);
    }
  });
});
