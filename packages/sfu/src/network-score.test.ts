import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { types as ms } from 'mediasoup';
import { PeerScore } from './network-score.js';
import type { PeerNetworkScore } from './types.js';

/** Just what PeerScore reads of a mediasoup producer or consumer: its events, score and flags. */
class Fake extends EventEmitter {
  readonly observer = new EventEmitter();
  closed = false;
  paused = false;
  producerPaused = false;
  score: unknown;
  constructor(score: unknown) {
    super();
    this.score = score;
  }
  rescore(score: unknown): void {
    this.score = score;
    this.emit('score', score);
  }
  close(): void {
    this.closed = true;
    this.observer.emit('close');
  }
}

const producer = (scores: number[]): Fake => new Fake(scores.map((score, i) => ({ encodingIdx: i, ssrc: i, score })));
const consumer = (score: number, producerScore: number): Fake => new Fake({ score, producerScore, producerScores: [producerScore] });

function watch(): { peer: PeerScore; seen: PeerNetworkScore[] } {
  const seen: PeerNetworkScore[] = [];
  return { peer: new PeerScore((s) => seen.push(s)), seen };
}

test('uplink: the worst live track, each at its best simulcast layer; paused and closed tracks do not count', () => {
  const { peer, seen } = watch();
  const camera = producer([0, 0, 0]);
  const mic = producer([10]);
  peer.watchProducer(camera as unknown as ms.Producer);
  peer.watchProducer(mic as unknown as ms.Producer);
  camera.rescore([9, 4, 0].map((score, i) => ({ encodingIdx: i, ssrc: i, score }))); // the top layer is not sent: 9 counts
  assert.deepEqual(seen.at(-1), { uplink: 9, downlink: null });
  mic.rescore([{ encodingIdx: 0, ssrc: 9, score: 3 }]);
  assert.deepEqual(seen.at(-1), { uplink: 3, downlink: null });
  mic.paused = true;
  mic.observer.emit('pause');
  assert.deepEqual(seen.at(-1), { uplink: 9, downlink: null }, 'a muted microphone sends nothing to judge');
  camera.close();
  assert.deepEqual(seen.at(-1), { uplink: null, downlink: null });
});

test('downlink: the worst live subscription, not counting what the publisher’s stream already lacked', () => {
  const { peer, seen } = watch();
  const fromLossy = consumer(10, 10);
  const fromClean = consumer(10, 10);
  peer.watchConsumer(fromLossy as unknown as ms.Consumer);
  peer.watchConsumer(fromClean as unknown as ms.Consumer);
  fromLossy.rescore({ score: 3, producerScore: 3, producerScores: [3] }); // the publisher's loss, forwarded
  assert.deepEqual(seen.at(-1), { uplink: null, downlink: 10 });
  fromClean.rescore({ score: 4, producerScore: 10, producerScores: [10] }); // lost on the way to this peer
  assert.deepEqual(seen.at(-1), { uplink: null, downlink: 4 });
  fromClean.paused = true;
  fromClean.observer.emit('pause');
  assert.deepEqual(seen.at(-1), { uplink: null, downlink: 10 }, 'a hidden tile is not forwarded, so not judged');
  const count = seen.length;
  fromLossy.rescore({ score: 3, producerScore: 3, producerScores: [3] });
  assert.equal(seen.length, count, 'only changes are reported');
  peer.close();
  fromClean.paused = false;
  fromClean.observer.emit('resume');
  assert.equal(seen.length, count, 'nothing after the peer closed');
});
