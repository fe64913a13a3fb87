/**
 * The contract's edges: untrusted input rejects with a coded SfuError and changes nothing,
 * close is idempotent and leaves nothing behind, transports are replaced, states are reported,
 * a dead worker is reported with its rooms.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { SfuError, type SfuErrorCode } from './index.js';
import { startSfu, joinPeer, packetsArrive, internals, type TestPeer } from './testing/harness.js';
import { WrtcClient } from './testing/wrtc-client.js';
import { eventually, nextEvent } from './testing/eventually.js';
import type { ConnectionState, MediaJson, SfuControl, TransportDirection } from './types.js';

const peers: TestPeer[] = [];
const sfus: SfuControl[] = [];
after(async () => {
  for (const p of peers) p.close();
  for (const s of sfus) await s.close();
});

async function rejects(call: Promise<unknown>, code: SfuErrorCode): Promise<void> {
  await assert.rejects(call, (error: unknown) => {
    assert.ok(error instanceof SfuError, `an SfuError, not ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return true;
  });
}

async function counts(sfu: SfuControl): Promise<number[]> {
  const s = await sfu.stats();
  return [s.rooms, s.peers, s.tracks, s.subscriptions];
}

const opus: MediaJson = {
  codecs: [{ mimeType: 'audio/opus', payloadType: 111, clockRate: 48000, channels: 2 }],
  encodings: [{ ssrc: 11111111 }],
};

test('bad input rejects with a coded SfuError and changes nothing', async () => {
  const sfu = await startSfu();
  sfus.push(sfu);
  const alice = await joinPeer(sfu, 'bad', 'alice');
  peers.push(alice);
  const cam = await alice.publish('camera');
  const before = await counts(sfu);

  await rejects(sfu.openRoom(''), 'invalid-argument');
  await rejects(sfu.createPeer('nowhere', 'x', alice.client.rtpCapabilities), 'unknown-room');
  await rejects(sfu.createPeer('bad', 'alice', alice.client.rtpCapabilities), 'peer-exists');
  await rejects(sfu.createPeer('bad', 'x', { codecs: 'no' }), 'invalid-argument');
  await rejects(sfu.createPeer('bad', 'x', [] as unknown as MediaJson), 'invalid-argument');
  await rejects(sfu.createTransport('nobody', 'send'), 'unknown-peer');
  await rejects(sfu.createTransport('alice', 'sideways' as TransportDirection), 'invalid-argument');
  await rejects(sfu.connectTransport('alice', 'no-such-transport', {}), 'unknown-transport');
  const spare = await sfu.createPeer('bad', 'spare', alice.client.rtpCapabilities).then(() => sfu.createTransport('spare', 'recv'));
  await rejects(sfu.connectTransport('spare', spare.id, { fingerprints: 'garbage' }), 'invalid-argument');
  await rejects(sfu.connectTransport('spare', spare.id, { role: 'client', fingerprints: [{ algorithm: 'md5', value: 'x' }] }), 'invalid-argument');
  await rejects(sfu.restartIce('alice', 'nope'), 'unknown-transport');

  const produce = (over: Record<string, unknown>): Promise<void> =>
    sfu.produce('alice', { trackId: 'mic-1', kind: 'audio', source: 'microphone', rtpParameters: opus, paused: false, ...over } as never);
  await rejects(produce({ rtpParameters: { codecs: [{ mimeType: 'audio/opus' }] } }), 'invalid-argument');
  await rejects(produce({ rtpParameters: 'garbage' }), 'invalid-argument');
  await rejects(produce({ rtpParameters: { codecs: [{ mimeType: 'audio/opus', payloadType: 'x', clockRate: 48000 }] } }), 'invalid-argument');
  await rejects(produce({ rtpParameters: { codecs: [{ mimeType: 'audio/G729', payloadType: 18, clockRate: 8000 }], encodings: [{ ssrc: 5 }] } }), 'invalid-argument');
  await rejects(produce({ kind: 'video' }), 'invalid-argument');
  await rejects(produce({ source: 'camera' }), 'invalid-argument');
  await rejects(produce({ source: 'tv' }), 'invalid-argument');
  await rejects(produce({ kind: 'video', source: 'screen' }), 'invalid-argument');
  await rejects(produce({ paused: 'yes' }), 'invalid-argument');
  await rejects(produce({ trackId: cam.trackId }), 'track-exists');
  await rejects(produce({ source: 'camera', kind: 'video', trackId: 'cam-2', rtpParameters: { codecs: [{ mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }], encodings: [{ ssrc: 7 }] } }), 'invalid-state');
  await rejects(sfu.produce('nobody', { trackId: 'z', kind: 'audio', source: 'microphone', rtpParameters: opus, paused: false }), 'unknown-peer');
  await rejects(sfu.produce('spare', { trackId: 'z', kind: 'audio', source: 'microphone', rtpParameters: opus, paused: false }), 'invalid-state');

  await rejects(sfu.subscribe('alice', 'no-track'), 'unknown-track');
  await rejects(sfu.subscribe('nobody', cam.trackId), 'unknown-peer');
  await rejects(sfu.resumeSubscription('alice', cam.trackId), 'unknown-track');
  await rejects(sfu.setSubscriptionPreference('spare', cam.trackId, { layer: 'huge' as never }), 'unknown-track');
  await rejects(sfu.setTrackPaused('no-track', true), 'unknown-track');
  await rejects(sfu.setTrackPaused(cam.trackId, 'yes' as never), 'invalid-argument');

  // A peer that can receive no video codec the router offers cannot subscribe to the camera.
  const audioOnly = { codecs: [{ kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 }], headerExtensions: [] };
  await sfu.createPeer('bad', 'deaf', audioOnly);
  await sfu.createTransport('deaf', 'recv');
  await rejects(sfu.subscribe('deaf', cam.trackId), 'invalid-argument');
  await sfu.closePeer('deaf');
  await sfu.closePeer('spare');

  // In another room, the track is unknown.
  const other = await joinPeer(sfu, 'other', 'outsider');
  peers.push(other);
  await rejects(sfu.subscribe('outsider', cam.trackId), 'unknown-track');
  await sfu.closeRoom('other');

  assert.deepEqual(await counts(sfu), before, 'nothing changed');
  // And the good path still works after all that.
  const bob = await joinPeer(sfu, 'bad', 'bob');
  peers.push(bob);
  await bob.receive(cam.trackId);
  await packetsArrive(bob, cam.trackId, 0, true);
});

test('at most four tracks per peer, one per source', async () => {
  const sfu = await startSfu();
  sfus.push(sfu);
  const alice = await joinPeer(sfu, 'four', 'alice');
  peers.push(alice);
  await alice.publish('camera');
  await alice.publish('microphone');
  await alice.publish('screen');
  await alice.publish('screen-audio');
  await rejects(sfu.produce('alice', { trackId: 'fifth', kind: 'audio', source: 'microphone', rtpParameters: opus, paused: false }), 'invalid-state');
  assert.equal((await sfu.stats()).tracks, 4);
});

test('close is idempotent and leaves nothing behind; calls after close reject', async () => {
  const sfu = await startSfu();
  sfus.push(sfu);
  const alice = await joinPeer(sfu, 'close', 'alice');
  const bob = await joinPeer(sfu, 'close', 'bob');
  peers.push(alice, bob);
  const cam = await alice.publish('camera');
  const mic = await alice.publish('microphone');
  await bob.receive(cam.trackId);
  await bob.receive(mic.trackId);
  const bobCam = await bob.publish('camera');
  await alice.receive(bobCam.trackId);
  assert.deepEqual(await counts(sfu), [1, 2, 3, 3]);

  await sfu.unsubscribe('bob', mic.trackId);
  await sfu.unsubscribe('bob', mic.trackId);
  assert.deepEqual(await counts(sfu), [1, 2, 3, 2]);
  await sfu.closeTrack(mic.trackId);
  await sfu.closeTrack(mic.trackId);
  assert.deepEqual(await counts(sfu), [1, 2, 2, 2]);

  // Closing alice ends her camera, bob's subscription to it and her subscription to bob.
  const aliceProducer = internals(sfu).producer(cam.trackId);
  await sfu.closePeer('alice');
  await sfu.closePeer('alice');
  assert.deepEqual(await counts(sfu), [1, 1, 1, 0]);
  assert.equal(aliceProducer?.closed, true);
  await rejects(sfu.createTransport('alice', 'send'), 'unknown-peer');

  await sfu.closeRoom('close');
  await sfu.closeRoom('close');
  assert.deepEqual(await counts(sfu), [0, 0, 0, 0]);
  await rejects(sfu.createPeer('close', 'carol', bob.client.rtpCapabilities), 'unknown-room');

  const workers = internals(sfu).workers();
  await sfu.close();
  await sfu.close();
  assert.ok(workers.every((w) => w.closed));
  await rejects(sfu.openRoom('close'), 'sfu-closed');
  await rejects(sfu.stats(), 'sfu-closed');
  await rejects(sfu.closePeer('bob'), 'sfu-closed');
});

test('createTransport again replaces the old transport and what it carried', async () => {
  const sfu = await startSfu();
  sfus.push(sfu);
  const alice = await joinPeer(sfu, 'replace', 'alice');
  const bob = await joinPeer(sfu, 'replace', 'bob');
  peers.push(alice, bob);
  const cam = await alice.publish('camera');
  await bob.receive(cam.trackId);
  const oldConsumer = internals(sfu).consumer('bob', cam.trackId);
  // A reload: bob's new recv transport drops his subscriptions; he subscribes again on it.
  const recv = await sfu.createTransport('bob', 'recv');
  assert.equal(oldConsumer?.closed, true);
  assert.deepEqual(await counts(sfu), [1, 2, 1, 0]);
  await rejects(sfu.connectTransport('bob', bob.transports.recv, {}), 'unknown-transport');
  bob.client.openRecv(recv, (dtls) => sfu.connectTransport('bob', recv.id, dtls));
  await bob.receive(cam.trackId);
  await packetsArrive(bob, cam.trackId, 0, true);
  // Alice's new send transport ends her tracks.
  await sfu.createTransport('alice', 'send');
  assert.deepEqual(await counts(sfu), [1, 2, 0, 0]);
});

test('connection states are reported, and a transport that never connects fails', async () => {
  const sfu = await startSfu({ connectTimeoutMs: 1500 });
  sfus.push(sfu);
  const seen: [string, TransportDirection, ConnectionState][] = [];
  sfu.on('connectionState', (...args) => seen.push(args));
  const connected = nextEvent<[string, TransportDirection, ConnectionState]>(
    (l) => (sfu.on('connectionState', l), () => sfu.off('connectionState', l)),
    (peerId, direction, state) => peerId === 'alice' && direction === 'send' && state === 'connected',
  );
  const alice = await joinPeer(sfu, 'states', 'alice');
  peers.push(alice);
  await alice.publish('microphone');
  await connected;
  // alice's recv transport was never used by her client, so it never connects.
  await eventually(() => seen.some(([p, d, s]) => p === 'alice' && d === 'recv' && s === 'failed'), { what: 'recv failed' });
  assert.ok(!seen.some(([p, d, s]) => p === 'alice' && d === 'send' && s === 'failed'), 'the connected one did not fail');
  const { rtpCapabilities } = await sfu.openRoom('states');
  const client = await WrtcClient.create(rtpCapabilities);
  await sfu.createPeer('states', 'ghost', client.rtpCapabilities);
  const t = await sfu.createTransport('ghost', 'send');
  const iceParameters = await sfu.restartIce('ghost', t.id);
  assert.notEqual(iceParameters.usernameFragment, t.iceParameters.usernameFragment);
  const before = seen.length;
  await sfu.closePeer('ghost');
  assert.ok(!seen.slice(before).some(([p]) => p === 'ghost'), 'closePeer emits no connectionState');
  client.close();
});

test('a dying worker is reported with its rooms, which are dropped', async () => {
  const errors: unknown[] = [];
  const sfu = await startSfu({ workers: 1, onError: (e) => errors.push(e) });
  sfus.push(sfu);
  await sfu.openRoom('doomed');
  const died = nextEvent<[string[]]>((l) => (sfu.on('workerDied', l), () => sfu.off('workerDied', l)));
  const worker = internals(sfu).workers()[0];
  assert.ok(worker);
  process.kill(worker.pid, 'SIGKILL');
  const [roomIds] = await died;
  assert.deepEqual(roomIds, ['doomed']);
  assert.ok(errors.length > 0, 'the death was logged');
  assert.equal((await sfu.stats()).rooms, 0);
  // A replacement worker takes new rooms.
  await eventually(async () => (await sfu.stats()).workers === 1 && !internals(sfu).workers()[0]?.closed, { what: 'replacement worker' });
  await sfu.openRoom('reborn');
});
