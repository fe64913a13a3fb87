import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateGuard, TokenBucket } from './rate-limiter.js';

test('a token bucket allows its burst, then its rate', () => {
  const bucket = new TokenBucket(10, 5, 0);
  for (let i = 0; i < 5; i++) assert.ok(bucket.take(0));
  assert.ok(!bucket.take(0));
  assert.ok(bucket.take(100), 'one token after 100 ms at 10/s');
  assert.ok(!bucket.take(100));
  for (let i = 0; i < 5; i++) assert.ok(bucket.take(10_000));
  assert.ok(!bucket.take(10_000), 'never more than the burst saved up');
});

test('rate strikes expire: a bursty client averaging 16 msg/s with bursts of 66 is never closed (L6)', () => {
  const guard = new RateGuard(0);
  const outcomes = new Set<string>();
  // Ten minutes: each 4.125 s, a burst of 66 at once, then nothing (66 / 4.125 = 16 msg/s on average).
  for (let t = 0; t < 600_000; t += 4125) for (let i = 0; i < 66; i++) outcomes.add(guard.frame(t));
  assert.ok(outcomes.has('refused'), 'the bursts go over the rate');
  assert.ok(!outcomes.has('abusive'));
});

test('a flood is abusive', () => {
  const guard = new RateGuard(0);
  const outcomes = Array.from({ length: 200 }, () => guard.frame(0));
  assert.equal(outcomes.filter((o) => o === 'ok').length, 60);
  assert.equal(outcomes.filter((o) => o === 'refused').length, 100);
  assert.equal(outcomes.at(-1), 'abusive');
});
