/**
 * Media through the SFU between real WebRTC clients (mediasoup-client over libwebrtc): delivery,
 * server-enforced pause, hidden tiles and simulcast layer choice.
 */
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { startSfu, joinPeer, packetsArrive, packetsStop, internals, type TestPeer } from './testing/harness.js';
import { eventually } from './testing/eventually.js';
import type { SfuControl } from './types.js';

const peers: TestPeer[] = [];
let sfu: SfuControl;
before(async () => {
  sfu = await startSfu();
});
after(async () => {
  for (const p of peers) p.close();
  await sfu.close();
});

async function pair(room: string): Promise<[TestPeer, TestPeer]> {
  const a = await joinPeer(sfu, room, `${room}-alice`);
  const b = await joinPeer(sfu, room, `${room}-bob`);
  peers.push(a, b);
  return [a, b];
}

test('publish and subscribe deliver audio and video', async () => {
  const [alice, bob] = await pair('deliver');
  const cam = await alice.publish('camera');
  const mic = await alice.publish('microphone', { loud: true });
  await bob.receive(cam.trackId);
  await bob.receive(mic.trackId);
  await packetsArrive(bob, cam.trackId, 0, true);
  await packetsArrive(bob, mic.trackId);
  const stats = await sfu.stats();
  assert.ok(stats.tracks >= 2 && stats.subscriptions >= 2 && stats.peers >= 2);
  assert.ok(stats.workerRss > 0, 'worker RSS is read');
  assert.ok(stats.workerCpuMs > 0, 'worker CPU is read');
});

test('a subscription forwards nothing until resumed', async () => {
  const [alice, bob] = await pair('unresumed');
  const cam = await alice.publish('camera');
  const subscription = await sfu.subscribe(bob.id, cam.trackId);
  assert.deepEqual(await sfu.subscribe(bob.id, cam.trackId), subscription, 'subscribing twice returns the same');
  await bob.client.receive(subscription);
  await eventually(() => internals(sfu).producer(cam.trackId)?.score.length === 1, { what: 'producer gets RTP' });
  assert.equal((await bob.client.inbound(cam.trackId)).packetsReceived, 0);
  await sfu.resumeSubscription(bob.id, cam.trackId);
  await packetsArrive(bob, cam.trackId, 0, true);
});

test('setTrackPaused stops delivery and resume restarts video', async () => {
  const [alice, bob] = await pair('pause');
  const cam = await alice.publish('camera');
  await bob.receive(cam.trackId);
  await packetsArrive(bob, cam.trackId, 0, true);
  await sfu.setTrackPaused(cam.trackId, true);
  await packetsStop(bob, cam.trackId);
  const frames = (await bob.client.inbound(cam.trackId)).framesDecoded;
  await sfu.setTrackPaused(cam.trackId, false);
  await eventually(async () => (await bob.client.inbound(cam.trackId)).framesDecoded > frames + 5, { what: 'video decodes again' });
});

test('a track published paused forwards nothing until resumed', async () => {
  const [alice, bob] = await pair('startpaused');
  const mic = await alice.publish('microphone', { paused: true, loud: true });
  await bob.receive(mic.trackId);
  assert.equal(internals(sfu).consumer(bob.id, mic.trackId)?.producerPaused, true);
  await sfu.setTrackPaused(mic.trackId, false);
  await packetsArrive(bob, mic.trackId);
});

test('hidden pauses the subscription for that peer only', async () => {
  const [alice, bob] = await pair('hidden');
  const carol = await joinPeer(sfu, 'hidden', 'hidden-carol');
  peers.push(carol);
  const cam = await alice.publish('camera');
  await bob.receive(cam.trackId);
  await carol.receive(cam.trackId);
  await packetsArrive(bob, cam.trackId, 0, true);
  await sfu.setSubscriptionPreference(bob.id, cam.trackId, { hidden: true });
  const stopped = await packetsStop(bob, cam.trackId);
  const carolNow = (await carol.client.inbound(cam.trackId)).packetsReceived;
  await packetsArrive(carol, cam.trackId, carolNow);
  await sfu.setSubscriptionPreference(bob.id, cam.trackId, { hidden: false });
  await packetsArrive(bob, cam.trackId, stopped, true);
});

test('simulcast: the layer preference picks the layer a subscriber receives', async () => {
  const [alice, bob] = await pair('simulcast');
  const cam = await alice.publish('camera', { simulcast: true });
  const producer = internals(sfu).producer(cam.trackId);
  assert.equal(producer?.type, 'simulcast');
  assert.equal(producer.rtpParameters.encodings?.length, 3, 'the three encodings are kept as sent');
  await bob.receive(cam.trackId);
  await packetsArrive(bob, cam.trackId, 0, true);
  // currentLayers follows the consumer's 'layerschange' events: the layer actually forwarded.
  const layer = (): number | undefined => internals(sfu).consumer(bob.id, cam.trackId)?.currentLayers?.spatialLayer;
  await sfu.setSubscriptionPreference(bob.id, cam.trackId, { layer: 'low' });
  await eventually(() => layer() === 0, { timeoutMs: 30_000, what: 'low layer' });
  await sfu.setSubscriptionPreference(bob.id, cam.trackId, { layer: 'high' });
  await eventually(() => (layer() ?? 0) >= 1, { timeoutMs: 30_000, what: 'a higher layer' });
  const consumer = internals(sfu).consumer(bob.id, cam.trackId);
  assert.equal(consumer?.preferredLayers?.spatialLayer, 2, 'high asks for the top layer');
  await sfu.setSubscriptionPreference(bob.id, cam.trackId, { layer: 'low' });
  await eventually(() => layer() === 0, { timeoutMs: 30_000, what: 'back to the low layer' });
});
