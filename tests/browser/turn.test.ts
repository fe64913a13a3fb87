/// <reference lib="dom" />
/**
 * TURN through a real coturn: with PARLEY_ICE_TRANSPORT_POLICY=relay two Chromium participants meet
 * and see each other's video, every selected candidate pair's local candidate is a `relay` one, and
 * coturn allocated a relay for each of them under their own short-lived username (`<expiry>:<id>`).
 * Once with TURN over UDP, once with TURN over TCP only, once with TURN over TLS (`turns:`, what gets
 * through networks that allow only HTTPS-like traffic, on 443 in production).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { firefoxFlowing, launchFirefox, type FirefoxSession } from './firefox.js';
import { SKIP_WITHOUT_COTURN, startCoturn, type Coturn } from '../../packages/server/src/test-support/coturn.js';
import {
  chromiumFlowing,
  createMeetingViaApi,
  eventually,
  joinFromPreJoin,
  launchBrowser,
  newParticipant,
  selfId,
  setupAdminViaApi,
  startServer,
  type Participant,
} from './helpers.js';

interface SelectedPair {
  localType: string;
  relayProtocol: string | undefined;
  localAddress: string | undefined;
  remoteType: string;
}

/**
 * The selected candidate pair of every connected RTCPeerConnection of the page (one per transport):
 * Chromium names it in its `transport` stats; Firefox has none and marks the pair `selected` instead.
 */
const SELECTED_PAIRS = async (): Promise<SelectedPair[]> => {
  const out: SelectedPair[] = [];
  for (const pc of window.__testPeerConnections ?? []) {
    if (pc.connectionState !== 'connected') continue;
    const stats = new Map<string, Record<string, unknown>>();
    (await pc.getStats()).forEach((s: Record<string, unknown>) => stats.set(String(s.id), s));
    const ids = [...stats.values()].filter((s) => s.type === 'transport' && typeof s.selectedCandidatePairId === 'string').map((s) => String(s.selectedCandidatePairId));
    if (ids.length === 0) ids.push(...[...stats.values()].filter((s) => s.type === 'candidate-pair' && s.selected === true).map((s) => String(s.id)));
    for (const id of ids) {
      const pair = stats.get(id);
      const local = stats.get(String(pair?.localCandidateId));
      const remote = stats.get(String(pair?.remoteCandidateId));
      out.push({
        localType: String(local?.candidateType),
        relayProtocol: typeof local?.relayProtocol === 'string' ? local.relayProtocol : undefined,
        localAddress: typeof local?.address === 'string' ? local.address : undefined,
        remoteType: String(remote?.candidateType),
      });
    }
  }
  return out;
};

const selectedPairs = (page: Page): Promise<SelectedPair[]> => page.evaluate(SELECTED_PAIRS);

for (const transport of ['udp', 'tcp', 'tls'] as const) {
  describe(`media relayed through coturn (TURN over ${transport.toUpperCase()})`, { timeout: 180_000, skip: SKIP_WITHOUT_COTURN }, () => {
    let coturn: Coturn;
    let server: Awaited<ReturnType<typeof startServer>>;
    let browser: Browser;
    const people: Participant[] = [];

    before(async () => {
      coturn = await startCoturn({ tls: transport === 'tls' });
      server = await startServer({
        turnUrls: [transport === 'tls' ? `turns:localhost:${coturn.tlsPort ?? 0}?transport=tcp` : `turn:127.0.0.1:${coturn.port}?transport=${transport}`],
        turnSecret: coturn.secret,
        iceTransportPolicy: 'relay',
      });
      // Chromium checks a TURN server's certificate (without this the TLS run never connects, measured):
      // trust exactly coturn's throwaway key, nothing else.
      browser = await launchBrowser(transport === 'tls' ? [`--ignore-certificate-errors-spki-list=${coturn.spkiSha256 ?? ''}`] : []);
    });

    after(async () => {
      for (const p of people) await p.context.close().catch(() => undefined);
      await browser?.close();
      await server?.close();
      await coturn?.close();
    });

    test('two participants forced to relay see each other through coturn', async () => {
      const admin = await setupAdminViaApi(server, { email: 'ada@parley.test', displayName: 'Ada Admin' });
      const meeting = await createMeetingViaApi(server, admin, { title: 'Relayed', settings: { lobby: false, joinBeforeHost: true } });
      const joinUrl = meeting.joinUrl.replace(/^https?:\/\/[^/]+/, server.url);
      const alice = await newParticipant(browser, 'Alice');
      const bob = await newParticipant(browser, 'Bob');
      people.push(alice, bob);
      const ids: string[] = [];
      for (const p of people) {
        await p.page.goto(joinUrl);
        await joinFromPreJoin(p.page, p.name);
        ids.push(await selfId(p.page));
      }
      for (const p of people) await eventually(`${p.name} to decode the other's video and hear them`, () => chromiumFlowing(p, 1), 60_000);

      for (const p of people) {
        const pairs = await eventually(`${p.name}'s two transports to be connected`, async () => {
          const found = await selectedPairs(p.page);
          return found.length >= 2 && found;
        });
        console.info(`${p.name}: selected pairs ${JSON.stringify(pairs)}`);
        for (const pair of pairs) {
          assert.equal(pair.localType, 'relay', `${p.name}: only relayed candidates (${JSON.stringify(pair)})`);
          assert.equal(pair.relayProtocol, transport, `${p.name}: reached coturn over ${transport}`);
          assert.equal(pair.localAddress, '127.0.0.1', 'the relay address coturn allocated');
        }
      }

      const allocations = coturn.allocations();
      console.info(`coturn: ${allocations.length} allocations: ${allocations.join(', ')}`);
      for (const id of ids) {
        assert.ok(
          allocations.some((user) => new RegExp(`^\\d+:${id}$`).test(user)),
          `coturn allocated a relay for ${id} under its own credentials (${allocations.join(', ')})`,
        );
      }
    });
  });
}

/**
 * Firefox forced to relay: Firefox never pairs loopback candidates, so coturn and the media server
 * listen on the test network namespace's own address (scripts/isolated-net.sh), and a Chromium and a
 * Firefox participant meet with nothing but relay candidates.
 */
const MEDIA_IP = process.env.PARLEY_TEST_MEDIA_IP;
describe('Firefox relayed through coturn (TURN over UDP)', { timeout: 240_000, skip: SKIP_WITHOUT_COTURN || (!MEDIA_IP && 'no private network namespace (run as root via npm test)') }, () => {
  let coturn: Coturn;
  let server: Awaited<ReturnType<typeof startServer>>;
  let chromium: Browser;
  let firefox: FirefoxSession;
  let chris: Participant;

  before(async () => {
    coturn = await startCoturn({ ip: MEDIA_IP });
    server = await startServer({
      turnUrls: [`turn:${MEDIA_IP ?? ''}:${coturn.port}?transport=udp`],
      turnSecret: coturn.secret,
      iceTransportPolicy: 'relay',
      rtcListenAddress: MEDIA_IP,
    });
    chromium = await launchBrowser();
    firefox = await launchFirefox();
  });

  after(async () => {
    await chris?.context.close().catch(() => undefined);
    await chromium?.close();
    await firefox?.close();
    await server?.close();
    await coturn?.close();
  });

  test('a Firefox and a Chromium participant forced to relay see each other through coturn', async () => {
    const admin = await setupAdminViaApi(server, { email: 'ada@parley.test', displayName: 'Ada Admin' });
    const meeting = await createMeetingViaApi(server, admin, { title: 'Relayed Firefox', settings: { lobby: false, joinBeforeHost: true } });
    const joinUrl = meeting.joinUrl.replace(/^https?:\/\/[^/]+/, server.url);
    chris = await newParticipant(chromium, 'Chris');
    await chris.page.goto(joinUrl);
    await joinFromPreJoin(chris.page, chris.name);
    const page = firefox.page;
    await page.goto(joinUrl);
    await page.waitForSelector('[data-testid="preview-video"]', { timeout: 30_000 });
    await page.locator('[data-testid="display-name"]').fill('Fiona Firefox');
    await page.locator('[data-testid="join-button"]').click();
    await page.waitForSelector('[data-testid="video-grid"]', { timeout: 30_000 });
    const fionaId = await page.$eval('[data-testid="self-id"]', (e) => e.textContent ?? '');

    await eventually('Firefox decoding Chromium through the relay', () => firefoxFlowing(page, 1), 90_000);
    await eventually('Chromium decoding Firefox through the relay', () => chromiumFlowing(chris, 1), 90_000);
    const pairs = await eventually("Firefox's two transports to be connected", async () => {
      const found = await page.evaluate(SELECTED_PAIRS);
      return found.length >= 2 && found;
    });
    console.info(`Firefox: selected pairs ${JSON.stringify(pairs)}`);
    for (const pair of pairs) {
      assert.equal(pair.localType, 'relay', `Firefox: only relayed candidates (${JSON.stringify(pair)})`);
      assert.equal(pair.localAddress, MEDIA_IP, 'the relay address coturn allocated');
    }
    assert.ok(
      coturn.allocations().some((user) => new RegExp(`^\\d+:${fionaId}$`).test(user)),
      `coturn allocated a relay for Firefox's participant ${fionaId} (${coturn.allocations().join(', ')})`,
    );
    assert.deepEqual(firefox.errors, [], 'no console errors in Firefox');
  });
});
