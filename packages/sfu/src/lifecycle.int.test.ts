/**
 * The SFU's edges with real werift peers: bad input rejects cleanly without leaving state behind,
 * closePeer and close free everything, and connection failures are reported.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createSfu, SfuError } from './index.js';
import { TestPublisher, TestSubscriber, until } from './testing/clients.js';
import type { SfuControl } from './types.js';

const unhandled: unknown[] = [];
process.on('unhandledRejection', (reason) => unhandled.push(reason));

function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  return assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof SfuError, `expected an SfuError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

/** UDP sockets and timers alive in this process, by kind. */
function resources(): { udp: number; timers: number } {
  const info = process.getActiveResourcesInfo();
  return { udp: info.filter((r) => r === 'UDPWrap').length, timers: info.filter((r) => r === 'Timeout').length };
}

async function publishCamera(sfu: SfuControl, peerId: string, trackId: string): Promise<{ client: TestPublisher; stop: () => void }> {
  const client = new TestPublisher();
  const video = client.addTrack('video');
  const { sdp } = await sfu.publish(peerId, await client.offer(), [{ mid: video.mid ?? '', trackId, kind: 'video' }]);
  await client.accept(sdp);
  await until(client, 'state', () => client.pc.connectionState === 'connected', `${peerId} connected`);
  return { client, stop: client.startSending(video, 7) };
}

describe('lifecycle', () => {
  after(() => {
    assert.deepEqual(unhandled, [], 'no unhandled promise rejections');
  });

  // First in this file (each test file runs in its own process), so that no other test's sockets are around.
  it('closePeer frees the peer, its tracks, every subscription to them, sockets and timers', async () => {
    const baseline = resources();
    const sfu = createSfu();
    await sfu.createPeer('alice');
    await sfu.createPeer('bob');
    const alice = await publishCamera(sfu, 'alice', 'cam');
    await sfu.subscribe('bob', 'cam');
    const bob = new TestSubscriber();
    await sfu.applySubscriberAnswer('bob', await bob.answer(await sfu.createSubscriberOffer('bob')));
    await until(bob, 'rtp', () => bob.count('cam') >= 5, 'cam at bob');
    assert.ok(resources().udp >= baseline.udp + 4, 'the measurement sees the sockets of 2 SFU and 2 client connections');
    assert.deepEqual(
      { peers: 2, tracks: 1, subscriptions: 1 },
      (({ peers, tracks, subscriptions }) => ({ peers, tracks, subscriptions }))(await sfu.stats()),
    );

    await sfu.closePeer('alice');
    await sfu.closePeer('alice');
    let stats = await sfu.stats();
    assert.equal(stats.peers, 1);
    assert.equal(stats.tracks, 0);
    assert.equal(stats.subscriptions, 0, "bob's subscription ended with alice's track");
    await rejectsWith(sfu.subscribe('alice', 'cam'), 'unknown-peer');
    const next = await sfu.createSubscriberOffer('bob');
    assert.deepEqual(next.tracks, []);
    assert.match(next.sdp, /a=inactive/);

    await sfu.closePeer('bob');
    stats = await sfu.stats();
    assert.deepEqual([stats.peers, stats.tracks, stats.subscriptions], [0, 0, 0]);
    alice.stop();
    await alice.client.close();
    await bob.close();
    await sfu.close();
    // werift finishes closing transports asynchronously; give it a moment, then nothing may be left.
    const deadline = Date.now() + 3000;
    while (Date.now() < deadline && (resources().udp > baseline.udp || resources().timers > baseline.timers)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const now = resources();
    assert.ok(now.udp <= baseline.udp, `UDP sockets: ${baseline.udp} before, ${now.udp} after`);
    assert.ok(now.timers <= baseline.timers, `timers: ${baseline.timers} before, ${now.timers} after`);
  });

  it('rejects garbage SDP with invalid-sdp and keeps working', async () => {
    const sfu = createSfu();
    await sfu.createPeer('alice');
    const client = new TestPublisher();
    const video = client.addTrack('video');
    const offer = await client.offer();
    const spec = [{ mid: video.mid ?? '', trackId: 'cam', kind: 'video' as const }];
    for (const garbage of ['', 'garbage', 'v=0\r\n', offer.slice(0, offer.length / 3), offer.replace(/a=fingerprint:.*\r\n/g, '')]) {
      await rejectsWith(sfu.publish('alice', garbage, spec), 'invalid-sdp');
    }
    await rejectsWith(sfu.publish('alice', offer, [{ mid: 'nope', trackId: 'cam', kind: 'video' }]), 'invalid-sdp');
    await rejectsWith(sfu.publish('alice', offer, [{ mid: video.mid ?? '', trackId: 'cam', kind: 'audio' }]), 'invalid-sdp');
    await rejectsWith(sfu.publish('alice', offer, [{ mid: video.mid ?? '', trackId: '', kind: 'video' }]), 'invalid-argument');
    await rejectsWith(sfu.publish('alice', 42 as unknown as string, spec), 'invalid-sdp');
    assert.equal((await sfu.stats()).tracks, 0);

    // The same peer still publishes with a good offer.
    const { sdp } = await sfu.publish('alice', offer, spec);
    await client.accept(sdp);
    await until(client, 'state', () => client.pc.connectionState === 'connected', 'alice connected');
    await rejectsWith(sfu.publish('alice', offer, spec), 'track-exists');

    // Subscriber side: no offer outstanding, then a garbage answer, then a good one.
    await sfu.createPeer('bob');
    await rejectsWith(sfu.applySubscriberAnswer('bob', 'v=0'), 'invalid-state');
    await rejectsWith(sfu.createSubscriberOffer('bob'), 'invalid-state');
    await sfu.subscribe('bob', 'cam');
    const bob = new TestSubscriber();
    const subscriberOffer = await sfu.createSubscriberOffer('bob');
    const answer = await bob.answer(subscriberOffer);
    await rejectsWith(sfu.applySubscriberAnswer('bob', 'garbage'), 'invalid-sdp');
    await rejectsWith(sfu.applySubscriberAnswer('bob', answer.replace(/a=ice-ufrag:.*\r\n/g, '')), 'invalid-sdp');
    await sfu.applySubscriberAnswer('bob', answer);
    await until(bob, 'state', () => bob.pc.connectionState === 'connected', 'bob connected');
    await sfu.close();
    await client.close();
    await bob.close();
  });

  it('rejects calls for unknown peers and tracks', async () => {
    const sfu = createSfu();
    await sfu.createPeer('alice');
    await rejectsWith(sfu.createPeer('alice'), 'peer-exists');
    await rejectsWith(sfu.subscribe('ghost', 'cam'), 'unknown-peer');
    await rejectsWith(sfu.subscribe('alice', 'ghost-cam'), 'unknown-track');
    await rejectsWith(sfu.unsubscribe('alice', 'ghost-cam'), 'unknown-track');
    await rejectsWith(sfu.unpublish('alice', 'v=0', ['ghost-cam']), 'unknown-track');
    await rejectsWith(sfu.publish('ghost', 'v=0', []), 'unknown-peer');
    await rejectsWith(sfu.createSubscriberOffer('ghost'), 'unknown-peer');
    await rejectsWith(sfu.applySubscriberAnswer('ghost', 'v=0'), 'unknown-peer');
    await sfu.closePeer('ghost'); // idempotent: nothing to close
    await sfu.close();
  });

  it('a closed SFU rejects every call; close is idempotent', async () => {
    const sfu = createSfu();
    await sfu.createPeer('alice');
    await sfu.close();
    await sfu.close();
    await rejectsWith(sfu.createPeer('bob'), 'sfu-closed');
    await rejectsWith(sfu.publish('alice', 'v=0', []), 'sfu-closed');
    await rejectsWith(sfu.subscribe('alice', 'cam'), 'sfu-closed');
    await rejectsWith(sfu.createSubscriberOffer('alice'), 'sfu-closed');
    await rejectsWith(sfu.closePeer('alice'), 'sfu-closed');
    await rejectsWith(sfu.stats(), 'sfu-closed');
  });

  it('reports failed when a negotiated connection does not come up in time', async () => {
    const sfu = createSfu({ connectTimeoutMs: 300 });
    const states: string[] = [];
    sfu.on('connectionState', (peerId, role, state) => states.push(`${peerId}/${role}/${state}`));
    await sfu.createPeer('alice');
    const silent = new TestPublisher();
    const video = silent.addTrack('video');
    const failed = new Promise<void>((resolve) => sfu.on('connectionState', (p, r, s) => p === 'alice' && r === 'publisher' && s === 'failed' && resolve()));
    await sfu.publish('alice', await silent.offer(), [{ mid: video.mid ?? '', trackId: 'cam', kind: 'video' }]);
    // The client never applies the answer, so it never connects.
    await failed;
    assert.deepEqual(states, ['alice/publisher/connecting', 'alice/publisher/failed']);
    await silent.close();
    await sfu.close();
  });
});
