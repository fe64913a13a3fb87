import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NETWORK_QUALITY_THRESHOLDS, participantQuality, qualityLevel, type NetworkQualityEvent, type ParticipantInfo } from '@parley/protocol';
import { QUALITY_BARS, qualityDetails, qualityLabel, withQuality } from './networkQuality.js';

const person = (id: string): ParticipantInfo => ({ id, displayName: id, role: 'guest', identity: 'guest', handRaised: false, joinedAt: 1, connection: 'connected' }) as ParticipantInfo;
const event = (participantId: string, uplink: number | null, downlink: number | null): NetworkQualityEvent => {
  const level = participantQuality(uplink, downlink);
  if (!level) throw new Error('no level');
  return { type: 'networkQuality', participantId, level, uplink, downlink };
};

test('the thresholds: 8–10 good (3 bars), 5–7 fair (2), 0–4 poor (1); the worse direction decides', () => {
  assert.deepEqual(NETWORK_QUALITY_THRESHOLDS, { good: 8, fair: 5 });
  const levels = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(qualityLevel);
  assert.deepEqual(levels, ['poor', 'poor', 'poor', 'poor', 'poor', 'fair', 'fair', 'fair', 'good', 'good', 'good']);
  assert.deepEqual(levels.map((l) => QUALITY_BARS[l]), [1, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3]);
  assert.equal(participantQuality(10, 4), 'poor');
  assert.equal(participantQuality(5, 10), 'fair');
  assert.equal(participantQuality(null, 9), 'good');
  assert.equal(participantQuality(null, null), null);
});

test('an event sets a known person’s quality, is ignored for strangers, and drops people who left', () => {
  const people = [person('alice1'), person('bobby1')];
  let q = withQuality({}, people, event('alice1', 3, 10));
  assert.deepEqual(q, { alice1: { level: 'poor', uplink: 3, downlink: 10 } });
  const before = q;
  q = withQuality(q, people, event('mallory', 10, 10));
  assert.equal(q, before);
  q = withQuality(q, [person('bobby1')], event('bobby1', 9, null));
  assert.deepEqual(q, { bobby1: { level: 'good', uplink: 9, downlink: null } });
});

test('the bars say the level; the tooltip gives the numbers', () => {
  const q = { level: 'fair' as const, uplink: 6, downlink: null };
  assert.equal(qualityLabel(q), 'Connection fair');
  assert.equal(qualityDetails(q, false), 'Connection fair: Sending 6/10, receiving not measured (10 = nothing lost)');
  assert.match(qualityDetails(q, true), /You send 6\/10, you receive not measured/);
});
