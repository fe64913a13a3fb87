/**
 * Mid-meeting changes through renegotiation with real werift peers: unpublish and publish again
 * on the publisher connection, subscribe and unsubscribe on the subscriber connection (m-lines
 * keep their order and go inactive), and payload types per codec on a shared subscriber connection.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { SessionDescription } from 'werift';
import { createSfu } from './index.js';
import { TestPublisher, TestSubscriber, until } from './testing/clients.js';
import type { SfuControl } from './types.js';

/** m-lines of an SDP as [mid, direction, payload type, codec name]. */
function mlines(sdp: string): { mid: string; direction: string; pt: number; codec: string }[] {
  return SessionDescription.parse(sdp).media.map((m) => ({
    mid: m.rtp.muxId ?? '',
    direction: m.direction ?? '',
    pt: m.rtp.codecs[0]?.payloadType ?? -1,
    codec: m.rtp.codecs[0]?.name.toLowerCase() ?? '',
  }));
}

describe('renegotiation', () => {
  let sfu: SfuControl | undefined;
  const clients: { close(): Promise<void> }[] = [];

  afterEach(async () => {
    await sfu?.close();
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  async function negotiateSubscriber(peerId: string, subscriber: TestSubscriber): Promise<ReturnType<typeof mlines>> {
    assert.ok(sfu);
    const offer = await sfu.createSubscriberOffer(peerId);
    await sfu.applySubscriberAnswer(peerId, await subscriber.answer(offer));
    return mlines(offer.sdp);
  }

  it('unpublishes and publishes again mid-meeting; unsubscribed m-lines go inactive in place', async () => {
    sfu = createSfu();
    await sfu.createPeer('alice');
    await sfu.createPeer('bob');
    const alice = new TestPublisher();
    const bob = new TestSubscriber();
    clients.push(alice, bob);

    const mic = alice.addTrack('audio');
    const cam = alice.addTrack('video');
    const first = await sfu.publish('alice', await alice.offer(), [
      { mid: mic.mid ?? '', trackId: 'mic', kind: 'audio' },
      { mid: cam.mid ?? '', trackId: 'cam', kind: 'video' },
    ]);
    await alice.accept(first.sdp);
    await until(alice, 'state', () => alice.pc.connectionState === 'connected', 'alice connected');
    alice.startSending(mic, 1, 20);
    const stopCam = alice.startSending(cam, 2);

    await sfu.subscribe('bob', 'mic');
    await sfu.subscribe('bob', 'cam');
    const lines1 = await negotiateSubscriber('bob', bob);
    assert.deepEqual(lines1.map((l) => l.direction), ['sendonly', 'sendonly']);
    await until(bob, 'rtp', () => bob.count('mic') >= 10 && bob.count('cam') >= 10, 'mic and cam at bob');
    const camMid = bob.midOf('cam');

    // Unpublish the camera: the client stops its transceiver's sending and offers again.
    stopCam();
    cam.setDirection('inactive');
    const second = await sfu.unpublish('alice', await alice.offer(), ['cam']);
    assert.equal(mlines(second.sdp).find((l) => l.mid === cam.mid)?.direction, 'inactive');
    await alice.accept(second.sdp);
    let stats = await sfu.stats();
    assert.equal(stats.tracks, 1);
    assert.equal(stats.subscriptions, 1, 'the cam subscription ended with the track');
    await assert.rejects(sfu.subscribe('bob', 'cam'), /unknown track/);

    // Packets already in flight may still land: let some mic packets pass first, then count.
    let micCount = bob.count('mic');
    await until(bob, 'rtp', () => bob.count('mic') >= micCount + 5, 'mic keeps flowing');
    const camCount = bob.received.get(camMid)?.length ?? 0;
    micCount = bob.count('mic');
    await until(bob, 'rtp', () => bob.count('mic') >= micCount + 15, 'mic keeps flowing');
    assert.equal(bob.received.get(camMid)?.length ?? 0, camCount, 'no cam packet after unpublish');

    const lines2 = await negotiateSubscriber('bob', bob);
    assert.deepEqual(lines2.map((l) => l.mid), lines1.map((l) => l.mid), 'm-lines keep their order');
    assert.equal(lines2.find((l) => l.mid === camMid)?.direction, 'inactive');
    assert.deepEqual(bob.lastOffer?.tracks.map((t) => t.trackId), ['mic']);

    // Publish a new camera on a new m-line of the same publisher connection.
    const cam2 = alice.addTrack('video');
    const third = await sfu.publish('alice', await alice.offer(), [{ mid: cam2.mid ?? '', trackId: 'cam2', kind: 'video' }]);
    await alice.accept(third.sdp);
    alice.startSending(cam2, 3);
    await sfu.subscribe('bob', 'cam2');
    const lines3 = await negotiateSubscriber('bob', bob);
    assert.deepEqual(lines3.slice(0, 2).map((l) => l.mid), lines1.map((l) => l.mid), 'old m-lines first, in order');
    assert.equal(lines3.length, 3);
    assert.equal(lines3[2]?.direction, 'sendonly');
    await until(bob, 'rtp', () => bob.count('cam2') >= 10, 'cam2 at bob');
    assert.ok((bob.received.get(bob.midOf('cam2')) ?? []).every((p) => p.payload.readUInt32BE(1) === 3));

    // Unsubscribe from the microphone: forwarding stops at once, the m-line goes inactive next offer.
    await sfu.unsubscribe('bob', 'mic');
    const micMid = bob.midOf('mic');
    let cam2Count = bob.count('cam2');
    await until(bob, 'rtp', () => bob.count('cam2') >= cam2Count + 3, 'cam2 keeps flowing'); // in-flight mic packets land
    const micAfter = bob.received.get(micMid)?.length ?? 0;
    cam2Count = bob.count('cam2');
    await until(bob, 'rtp', () => bob.count('cam2') >= cam2Count + 10, 'cam2 keeps flowing');
    assert.equal(bob.received.get(micMid)?.length ?? 0, micAfter, 'no mic packet after unsubscribe');
    const lines4 = await negotiateSubscriber('bob', bob);
    assert.deepEqual(lines4.map((l) => l.direction), ['inactive', 'inactive', 'sendonly']);
    stats = await sfu.stats();
    assert.equal(stats.subscriptions, 1);
    await assert.rejects(sfu.unsubscribe('bob', 'mic'), /not subscribed/);
  });

  it("answers a client's stopped m-line (port 0) as rejected and leaves it out of BUNDLE", async () => {
    sfu = createSfu();
    await sfu.createPeer('alice');
    const alice = new TestPublisher();
    clients.push(alice);
    const mic = alice.addTrack('audio');
    const cam = alice.addTrack('video');
    const first = await sfu.publish('alice', await alice.offer(), [
      { mid: mic.mid ?? '', trackId: 'mic', kind: 'audio' },
      { mid: cam.mid ?? '', trackId: 'cam', kind: 'video' },
    ]);
    await alice.accept(first.sdp);
    cam.setDirection('inactive');
    // What a browser sends after transceiver.stop(): port 0, and the mid leaves the BUNDLE group.
    const offer = (await alice.offer()).replace(/^m=video 9 /m, 'm=video 0 ').replace(/^a=group:BUNDLE .*$/m, `a=group:BUNDLE ${mic.mid}`);
    const { sdp } = await sfu.unpublish('alice', offer, ['cam']);
    assert.match(sdp, /^m=video 0 /m);
    assert.match(sdp, new RegExp(`^a=group:BUNDLE ${mic.mid}\r?$`, 'm'));
    assert.match(sdp, /^m=audio 9 /m, 'the live m-line keeps its port');
    assert.equal((await sfu.stats()).tracks, 1);
  });

  it('gives each codec its own payload type on a shared subscriber connection (VP8 and H.264)', async () => {
    sfu = createSfu();
    const bob = new TestSubscriber();
    clients.push(bob);
    const expected = new Map<string, string>();
    for (const [peerId, codec] of [['alice', 'h264'], ['dave', 'vp8']] as const) {
      await sfu.createPeer(peerId);
      const publisher = new TestPublisher(codec);
      clients.push(publisher);
      const video = publisher.addTrack('video');
      const { sdp } = await sfu.publish(peerId, await publisher.offer(), [{ mid: video.mid ?? '', trackId: `${peerId}-cam`, kind: 'video' }]);
      assert.equal(mlines(sdp)[0]?.codec, codec, 'the SFU answers the publisher with its preferred codec only');
      assert.equal(SessionDescription.parse(sdp).media[0]?.rtp.codecs.length, 1);
      await publisher.accept(sdp);
      await until(publisher, 'state', () => publisher.pc.connectionState === 'connected', `${peerId} connected`);
      publisher.startSending(video, peerId === 'alice' ? 10 : 20);
      expected.set(`${peerId}-cam`, codec);
    }
    await sfu.createPeer('bob');
    await sfu.subscribe('bob', 'alice-cam');
    await sfu.subscribe('bob', 'dave-cam');
    const lines = await negotiateSubscriber('bob', bob);
    assert.equal(new Set(lines.map((l) => l.pt)).size, 2, `distinct payload types: ${JSON.stringify(lines)}`);
    await until(bob, 'rtp', () => bob.count('alice-cam') >= 10 && bob.count('dave-cam') >= 10, 'both cams at bob');
    for (const [trackId, codec] of expected) {
      const line = lines.find((l) => l.mid === bob.midOf(trackId));
      assert.equal(line?.codec, codec);
      const packets = bob.received.get(bob.midOf(trackId)) ?? [];
      assert.ok(packets.every((p) => p.header.payloadType === line?.pt), `${trackId} packets carry PT ${line?.pt}`);
    }
  });
});
