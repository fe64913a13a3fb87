/// <reference lib="dom" />
/**
 * TURN through a real coturn: with PARLEY_ICE_TRANSPORT_POLICY=relay two Chromium participants meet
 * and see each other's video, every selected candidate pair's local candidate is a `relay` one, and
 * coturn allocated a relay for each of them under their own short-lived username (`<expiry>:<id>`).
 * Once with TURN over UDP, once with TURN over TCP only (what gets through networks that block UDP).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
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

/** The selected candidate pair of every open RTCPeerConnection of the page (one per connected transport). */
async function selectedPairs(page: Page): Promise<SelectedPair[]> {
  return page.evaluate(async () => {
    const out: { localType: string; relayProtocol: string | undefined; localAddress: string | undefined; remoteType: string }[] = [];
    for (const pc of window.__testPeerConnections ?? []) {
      if (pc.connectionState !== 'connected') continue;
      const stats = new Map<string, Record<string, unknown>>();
      (await pc.getStats()).forEach((s: Record<string, unknown>) => stats.set(String(s.id), s));
      for (const s of stats.values()) {
        if (s.type !== 'transport' || typeof s.selectedCandidatePairId !== 'string') continue;
        const pair = stats.get(s.selectedCandidatePairId);
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
  });
}

for (const transport of ['udp', 'tcp'] as const) {
  describe(`media relayed through coturn (TURN over ${transport.toUpperCase()})`, { timeout: 180_000, skip: SKIP_WITHOUT_COTURN }, () => {
    let coturn: Coturn;
    let server: Awaited<ReturnType<typeof startServer>>;
    let browser: Browser;
    const people: Participant[] = [];

    before(async () => {
      coturn = await startCoturn();
      server = await startServer({
        turnUrls: [`turn:127.0.0.1:${coturn.port}?transport=${transport}`],
        turnSecret: coturn.secret,
        iceTransportPolicy: 'relay',
      });
      browser = await launchBrowser();
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
