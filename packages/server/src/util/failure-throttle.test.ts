/** Guess throttling, on a simulated clock: how many guesses an hour of trying yields. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADDRESS_POLICY, FailureThrottle, MEETING_POLICY } from './failure-throttle.js';

function clock() {
  let now = 1_000_000;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

/** Guesses a patient attacker gets in `minutes` by trying the moment the throttle allows. */
function guessesIn(throttle: FailureThrottle, key: string, c: ReturnType<typeof clock>, minutes: number): number {
  const end = c.now() + minutes * 60_000;
  let guesses = 0;
  while (c.now() < end) {
    const wait = throttle.retryAfter(key);
    if (wait > 0) {
      c.advance(wait);
      continue;
    }
    throttle.begin(key);
    guesses += 1;
  }
  return guesses;
}

test('an address gets 5 free guesses, then exponentially fewer', () => {
  const c = clock();
  const throttle = new FailureThrottle(ADDRESS_POLICY, c.now);
  for (let i = 0; i < 5; i++) {
    assert.equal(throttle.retryAfter('a'), 0);
    throttle.begin('a');
  }
  assert.equal(throttle.retryAfter('a'), 1000);
  assert.equal(throttle.retryAfter('b'), 0, 'other keys are unaffected');
  c.advance(1000);
  throttle.begin('a');
  assert.equal(throttle.retryAfter('a'), 2000);
  const firstMinute = 6 + guessesIn(throttle, 'a', c, 1);
  const nextHour = guessesIn(throttle, 'a', c, 60);
  assert.ok(firstMinute <= 12, `first minute: ${firstMinute}`);
  assert.ok(nextHour <= 10, `next hour: ${nextHour}`);
});

test('a meeting takes 20 failures in 10 minutes, then no guesses for 10 minutes', () => {
  const c = clock();
  const throttle = new FailureThrottle(MEETING_POLICY, c.now);
  for (let i = 0; i < 20; i++) throttle.begin('m');
  assert.equal(throttle.retryAfter('m'), 10 * 60_000);
  const hour = guessesIn(throttle, 'm', c, 60);
  assert.ok(hour <= 20 * 6, `an hour: ${hour}`);
});

test('a success takes back its attempt; expired failures are forgotten', () => {
  const c = clock();
  const throttle = new FailureThrottle(ADDRESS_POLICY, c.now);
  for (let i = 0; i < 4; i++) throttle.begin('a');
  const token = throttle.begin('a');
  throttle.succeeded('a', token);
  assert.equal(throttle.failures('a'), 4);
  assert.equal(throttle.retryAfter('a'), 0);
  c.advance(ADDRESS_POLICY.windowMs + 1);
  assert.equal(throttle.failures('a'), 0);
});
