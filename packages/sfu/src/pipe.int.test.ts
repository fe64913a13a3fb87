/**
 * A room spread over two workers: once the first router carries more than maxConsumersPerRouter
 * consumers, new peers land on a router on the other worker and tracks are piped across.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSfu, joinPeer, packetsArrive, internals, type TestPeer } from './testing/harness.js';
import { eventually } from './testing/eventually.js';
import type { SfuControl } from './types.js';

const peers: TestPeer[] = [];
let sfu: SfuControl | undefined;
after(async () => {
  for (const p of peers) p.close();
  await sfu?.close();
});

test('peers on two workers receive each other through pipeToRouter', async () => {
  sfu = await startSfu({ workers: 2, maxConsumersPerRouter: 1 });
  // Every dominant-speaker change is recorded from the start: one may come before the test looks.
  const speakers: string[] = [];
  sfu.on('activeSpeaker', (roomId, peerId) => roomId === 'big' && speakers.push(peerId));
  const alice = await joinPeer(sfu, 'big', 'alice');
  const bob = await joinPeer(sfu, 'big', 'bob');
  peers.push(alice, bob);
  const aliceCam = await alice.publish('camera');
  const aliceMic = await alice.publish('microphone', { loud: true });
  await bob.receive(aliceCam.trackId);
  await bob.receive(aliceMic.trackId);
  assert.equal(internals(sfu).routerCount('big'), 1, 'two consumers on one router is within the limit so far');
  const home = internals(sfu).peerWorker('alice');
  assert.equal(internals(sfu).peerWorker('bob'), home);

  // The home router now has more than one consumer: carol gets a router on the other worker.
  const carol = await joinPeer(sfu, 'big', 'carol');
  peers.push(carol);
  assert.equal(internals(sfu).routerCount('big'), 2);
  assert.notEqual(internals(sfu).peerWorker('carol'), home, 'carol is on the other worker');

  await carol.receive(aliceCam.trackId);
  await carol.receive(aliceMic.trackId);
  await packetsArrive(carol, aliceCam.trackId, 0, true);
  await packetsArrive(carol, aliceMic.trackId);

  // And the other way: carol publishes on the second worker, alice on the first receives her.
  const carolCam = await carol.publish('camera');
  await carol.publish('microphone', { loud: true });
  await alice.receive(carolCam.trackId);
  await packetsArrive(alice, carolCam.trackId, 0, true);

  // carol's microphone is piped home, where the observers are: she can be the active speaker.
  aliceMic.loud = false;
  await eventually(() => speakers.at(-1) === 'carol', { timeoutMs: 30_000 }).catch(() =>
    assert.fail(`carol never became the active speaker (changes: ${speakers.join(', ') || 'none'})`),
  );

  // A server-enforced pause crosses the pipe, and so does the resume.
  const frames = (await carol.client.inbound(aliceCam.trackId)).framesDecoded;
  await sfu.setTrackPaused(aliceCam.trackId, true);
  await sfu.setTrackPaused(aliceCam.trackId, false);
  await packetsArrive(carol, aliceCam.trackId, (await carol.client.inbound(aliceCam.trackId)).packetsReceived, true);
  assert.ok((await carol.client.inbound(aliceCam.trackId)).framesDecoded >= frames);

  await sfu.closeRoom('big');
  const stats = await sfu.stats();
  assert.deepEqual([stats.rooms, stats.peers, stats.tracks, stats.subscriptions], [0, 0, 0, 0]);
});
