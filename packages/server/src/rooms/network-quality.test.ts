import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { NETWORK_QUALITY_THRESHOLDS, participantQuality, qualityLevel, type NetworkQualityEvent } from '@parley/protocol';
import { NetworkQualityRelay } from './network-quality.js';

test('the thresholds: 8–10 good, 5–7 fair, 0–4 poor; the worse of uplink and downlink counts', () => {
  assert.deepEqual(NETWORK_QUALITY_THRESHOLDS, { good: 8, fair: 5 });
  assert.deepEqual([10, 8, 7, 5, 4, 0].map(qualityLevel), ['good', 'good', 'fair', 'fair', 'poor', 'poor']);
  assert.equal(participantQuality(10, 3), 'poor');
  assert.equal(participantQuality(null, 6), 'fair');
  assert.equal(participantQuality(9, null), 'good');
  assert.equal(participantQuality(null, null), null);
});

function relay(): { relay: NetworkQualityRelay; sent: NetworkQualityEvent[]; advance: (ms: number) => void } {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const sent: NetworkQualityEvent[] = [];
  const r = new NetworkQualityRelay({ broadcast: (e) => sent.push(e), minIntervalMs: 2000 });
  return { relay: r, sent, advance: (ms) => mock.timers.tick(ms) };
}

test('a level is told at once, then only when it changes, at most once per 2 s per person', (t) => {
  t.after(() => mock.timers.reset());
  const { relay: r, sent, advance } = relay();
  r.update('alice', { uplink: 10, downlink: 10 });
  assert.deepEqual(sent, [{ type: 'networkQuality', participantId: 'alice', level: 'good', uplink: 10, downlink: 10 }]);
  r.update('alice', { uplink: 9, downlink: 10 }); // same level: nothing
  r.update('alice', { uplink: 3, downlink: 10 }); // poor, but within 2 s: held back
  r.update('alice', { uplink: 6, downlink: 10 }); // fair: the latest wins
  r.update('bob', { uplink: 2, downlink: null }); // someone else is not held back by alice
  assert.equal(sent.length, 2);
  assert.equal(sent[1]?.participantId, 'bob');
  advance(1999);
  assert.equal(sent.length, 2);
  advance(1);
  assert.equal(sent.length, 3);
  assert.deepEqual(sent[2], { type: 'networkQuality', participantId: 'alice', level: 'fair', uplink: 6, downlink: 10 });
  // A flap that comes back to the told level within the interval sends nothing.
  r.update('alice', { uplink: 2, downlink: 10 });
  r.update('alice', { uplink: 6, downlink: 10 });
  advance(5000);
  assert.equal(sent.length, 3);
  r.close();
});

test('nothing to measure sends nothing; a newcomer is briefed; a person who left is forgotten', (t) => {
  t.after(() => mock.timers.reset());
  const { relay: r, sent, advance } = relay();
  r.update('alice', { uplink: null, downlink: null });
  assert.equal(sent.length, 0);
  r.update('alice', { uplink: 4, downlink: 9 });
  r.update('bob', { uplink: 10, downlink: 10 });
  r.update('carol', { uplink: null, downlink: null });
  assert.deepEqual(r.briefing().map((e) => [e.participantId, e.level]), [['alice', 'poor'], ['bob', 'good']]);
  r.update('bob', { uplink: 1, downlink: 10 });
  r.forget('bob');
  advance(5000);
  assert.deepEqual(sent.map((e) => e.participantId), ['alice', 'bob']);
  assert.deepEqual(r.briefing().map((e) => e.participantId), ['alice']);
  r.close();
  r.update('alice', { uplink: 10, downlink: 10 });
  assert.equal(sent.length, 2);
});
