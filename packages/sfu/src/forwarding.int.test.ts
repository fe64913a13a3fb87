/**
 * Media through the SFU with real werift peers: packets arrive unchanged, at every subscriber,
 * with keyframe requests, NACK retransmissions and REMB where they belong.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { GenericNack, RtcpTransportLayerFeedback } from 'werift';
import { createSfu } from './index.js';
import { testPayload, TestPublisher, TestSubscriber, until } from './testing/clients.js';
import type { SfuControl } from './types.js';

const TAG = 0xc0ffee;

describe('forwarding', () => {
  let sfu: SfuControl;
  let publisher: TestPublisher;
  const subscribers: TestSubscriber[] = [];
  let stopSending: () => void = () => undefined;

  before(async () => {
    sfu = createSfu({ maxIncomingBitrate: 1_500_000 });
    await sfu.createPeer('alice');
    publisher = new TestPublisher();
    const video = publisher.addTrack('video');
    const offer = await publisher.offer({ candidates: false });
    const { sdp } = await sfu.publish('alice', offer, [{ mid: video.mid ?? '0', trackId: 'alice-cam', kind: 'video' }]);
    assert.match(sdp, /a=candidate:/, 'the answer carries the SFU candidates (non-trickle)');
    assert.match(sdp, /a=ice-lite/);
    await publisher.accept(sdp);
    await until(publisher, 'state', () => publisher.pc.connectionState === 'connected', 'publisher connected');
    stopSending = publisher.startSending(video, TAG);
  });

  after(async () => {
    stopSending();
    await sfu.close();
    await publisher.close();
    await Promise.all(subscribers.map((s) => s.close()));
  });

  async function addSubscriber(peerId: string): Promise<TestSubscriber> {
    await sfu.createPeer(peerId);
    await sfu.subscribe(peerId, 'alice-cam');
    const subscriber = new TestSubscriber();
    subscribers.push(subscriber);
    const offer = await sfu.createSubscriberOffer(peerId);
    assert.deepEqual(offer.tracks.map((t) => t.trackId), ['alice-cam']);
    assert.match(offer.sdp, /a=candidate:/);
    await sfu.applySubscriberAnswer(peerId, await subscriber.answer(offer, { candidates: false }));
    return subscriber;
  }

  it('delivers the publisher RTP payloads byte for byte to a subscriber', async () => {
    const flowing = new Promise<string>((resolve) => sfu.on('trackFlowing', resolve));
    const bob = await addSubscriber('bob');
    assert.equal(await flowing, 'alice-cam');
    await until(bob, 'rtp', () => bob.count('alice-cam') >= 20, '20 packets at bob');
    const packets = bob.received.get(bob.midOf('alice-cam')) ?? [];
    for (const packet of packets) {
      const index = packet.payload.readUInt32BE(5);
      assert.equal(packet.payload.readUInt32BE(1), TAG);
      assert.deepEqual(packet.payload, testPayload(TAG, index), `payload ${index} unchanged`);
    }
    // Consecutive sequence numbers and timestamps survive the SFU (only SSRC and PT are rewritten).
    const last = packets.at(-1);
    const previous = packets.at(-2);
    assert.ok(last && previous);
    assert.equal((last.header.sequenceNumber - previous.header.sequenceNumber) & 0xffff, last.payload.readUInt32BE(5) - previous.payload.readUInt32BE(5));
    const stats = await sfu.stats();
    assert.equal(stats.peers, 2);
    assert.equal(stats.tracks, 1);
    assert.equal(stats.subscriptions, 1);
    assert.ok(stats.packetsReceived >= 20 && stats.packetsForwarded >= 20, JSON.stringify(stats));
  });

  it('delivers to a second subscriber too, and asks for a keyframe once it can receive', async () => {
    let connectedAt = Number.POSITIVE_INFINITY;
    sfu.on('connectionState', (peerId, role, state) => {
      if (peerId === 'carol' && role === 'subscriber' && state === 'connected') connectedAt = performance.now();
    });
    const carol = await addSubscriber('carol');
    await until(carol, 'rtp', () => carol.count('alice-cam') >= 10, '10 packets at carol');
    // A PLI at subscribe time may come too early for carol; one must come after she is connected.
    await until(publisher, 'pli', () => publisher.pliTimes.some((t) => t >= connectedAt), 'a PLI after carol connected');
    const bob = subscribers[0];
    assert.ok(bob);
    const bobBefore = bob.count('alice-cam');
    await until(bob, 'rtp', () => bob.count('alice-cam') >= bobBefore + 10, 'bob keeps receiving');
    assert.ok((await sfu.stats()).keyframeRequests >= 1);
  });

  it("forwards a subscriber's PLI to the publisher, throttled", async () => {
    const bob = subscribers[0];
    assert.ok(bob);
    const transceiver = bob.pc.getTransceivers()[0];
    const ssrc = bob.received.get(bob.midOf('alice-cam'))?.[0]?.header.ssrc;
    assert.ok(transceiver && ssrc !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 600)); // let the throttle window from earlier requests pass
    const before = publisher.plis;
    for (let i = 0; i < 5; i++) await transceiver.receiver.sendRtcpPLI(ssrc);
    await until(publisher, 'pli', () => publisher.plis >= before + 1, 'the forwarded PLI');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.ok(publisher.plis <= before + 1, `5 PLIs within 500 ms become at most one now (got ${publisher.plis - before})`);
  });

  it('answers NACKs from the sender history and counts the retransmissions', async () => {
    const bob = subscribers[0];
    assert.ok(bob);
    const mid = bob.midOf('alice-cam');
    const packets = bob.received.get(mid) ?? [];
    const target = packets.at(-3);
    assert.ok(target);
    const before = packets.filter((p) => p.header.sequenceNumber === target.header.sequenceNumber).length;
    const transport = bob.pc.getTransceivers()[0]?.receiver.dtlsTransport;
    assert.ok(transport);
    await transport.sendRtcp([
      new RtcpTransportLayerFeedback({
        feedback: new GenericNack({ senderSsrc: 1, mediaSourceSsrc: target.header.ssrc, lost: [target.header.sequenceNumber] }),
      }),
    ]);
    await until(bob, 'rtp', () => (bob.received.get(mid) ?? []).filter((p) => p.header.sequenceNumber === target.header.sequenceNumber).length > before, 'the retransmitted packet');
    const again = (bob.received.get(mid) ?? []).filter((p) => p.header.sequenceNumber === target.header.sequenceNumber).at(-1);
    assert.deepEqual(again?.payload, target.payload);
    assert.ok((await sfu.stats()).retransmissions >= 1);
  });

  it('sends REMB with maxIncomingBitrate to the publisher', async () => {
    const transceiver = publisher.pc.getTransceivers()[0];
    assert.ok(transceiver);
    const bitrate = await publisher.nextRemb(transceiver, 3000);
    assert.ok(bitrate <= 1_500_000 && bitrate > 1_490_000, `REMB ${bitrate}`);
  });
});
