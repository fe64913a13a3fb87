/** Loudest-audio forwarding and the active-speaker event, with real Opus from WebRTC clients. */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSfu, joinPeer, packetsArrive, packetsStop, internals, type TestPeer } from './testing/harness.js';
import { eventually } from './testing/eventually.js';
import type { SfuControl } from './types.js';

const peers: TestPeer[] = [];
const sfus: SfuControl[] = [];
after(async () => {
  for (const p of peers) p.close();
  for (const s of sfus) await s.close();
});

test('with loudestAudio 1 only the loudest of two microphones is forwarded', async () => {
  const sfu = await startSfu({ loudestAudio: 1 });
  sfus.push(sfu);
  const alice = await joinPeer(sfu, 'loud', 'alice');
  const bob = await joinPeer(sfu, 'loud', 'bob');
  const carol = await joinPeer(sfu, 'loud', 'carol');
  peers.push(alice, bob, carol);
  const aliceMic = await alice.publish('microphone', { loud: true });
  await carol.receive(aliceMic.trackId);
  await packetsArrive(carol, aliceMic.trackId);
  // The second microphone exceeds the limit: silent, so not forwarded while alice speaks.
  const bobMic = await bob.publish('microphone', { loud: false });
  await carol.receive(bobMic.trackId);
  await eventually(() => internals(sfu).consumer(carol.id, bobMic.trackId)?.paused === true, { what: "bob's consumer paused" });
  const aliceCount = (await carol.client.inbound(aliceMic.trackId)).packetsReceived;
  await packetsArrive(carol, aliceMic.trackId, aliceCount);
  assert.equal((await carol.client.inbound(bobMic.trackId)).packetsReceived, 0, 'the quiet microphone is not forwarded');

  // Bob speaks up and alice falls silent: forwarding follows.
  aliceMic.loud = false;
  bobMic.loud = true;
  await packetsArrive(carol, bobMic.trackId);
  await eventually(() => internals(sfu).consumer(carol.id, aliceMic.trackId)?.paused === true, { what: "alice's consumer paused" });
  await packetsStop(carol, aliceMic.trackId);

  // Back to two microphones within the limit once bob's closes: alice is forwarded again.
  await sfu.closeTrack(bobMic.trackId);
  await eventually(() => internals(sfu).consumer(carol.id, aliceMic.trackId)?.paused === false, { what: "alice's consumer resumed" });
});

test('every microphone is forwarded while there are no more than loudestAudio', async () => {
  const sfu = await startSfu({ loudestAudio: 2 });
  sfus.push(sfu);
  const alice = await joinPeer(sfu, 'few', 'alice');
  const bob = await joinPeer(sfu, 'few', 'bob');
  const carol = await joinPeer(sfu, 'few', 'carol');
  peers.push(alice, bob, carol);
  const a = await alice.publish('microphone', { loud: true });
  const b = await bob.publish('microphone', { loud: false });
  await carol.receive(a.trackId);
  await carol.receive(b.trackId);
  await packetsArrive(carol, a.trackId);
  await packetsArrive(carol, b.trackId);
});

test('the active speaker is reported', async () => {
  const sfu = await startSfu();
  sfus.push(sfu);
  const alice = await joinPeer(sfu, 'speaker', 'alice');
  const bob = await joinPeer(sfu, 'speaker', 'bob');
  peers.push(alice, bob);
  const speakers: string[] = [];
  sfu.on('activeSpeaker', (roomId, peerId) => roomId === 'speaker' && speakers.push(peerId));
  await alice.publish('microphone', { loud: false });
  await bob.publish('microphone', { loud: true });
  await eventually(() => speakers.at(-1) === 'bob', { timeoutMs: 30_000 }).catch(() =>
    assert.fail(`bob was never the active speaker (got ${speakers.join(', ') || 'nothing'})`),
  );
});
