/** Guess rationing, on a simulated clock: only verified failures count; right secrets wait, never refused for being on time. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADDRESS_POLICY, FailureThrottle, MEETING_POLICY, type ThrottleClock } from './failure-throttle.js';

/** A clock whose sleeps pass simulated time (sequential use) or stand still (a burst at one instant). */
function clock(sleepsAdvance = true): ThrottleClock & { advance(ms: number): void; slept: number[] } {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      if (sleepsAdvance) now += ms;
    },
    advance: (ms) => (now += ms),
    slept,
  };
}

/** One attempt: wait for a turn, "check" (a tick later), settle. */
async function attempt(throttle: FailureThrottle, key: string, right: boolean): Promise<'checked' | 'refused'> {
  const turn = await throttle.acquire(key);
  if (!turn.ok) return 'refused';
  await new Promise((r) => setImmediate(r));
  throttle.settle(turn.ticket, !right);
  return 'checked';
}

test('a burst of right secrets is never refused and never waits (H1)', async () => {
  const c = clock(false);
  const throttle = new FailureThrottle(ADDRESS_POLICY, c);
  const outcomes = await Promise.all(Array.from({ length: 30 }, () => attempt(throttle, 'nat', true)));
  assert.deepEqual(new Set(outcomes), new Set(['checked']));
  assert.deepEqual(c.slept, [], 'nobody was put in the slow lane');
  assert.equal(throttle.failures('nat'), 0);
});

test('a burst of wrong guesses gets the free checks and a few turns, no more', async () => {
  const c = clock(false);
  const throttle = new FailureThrottle(ADDRESS_POLICY, c);
  const outcomes = await Promise.all(Array.from({ length: 30 }, () => attempt(throttle, 'a', false)));
  const checked = outcomes.filter((o) => o === 'checked').length;
  // 5 free, then turns at +1, +3, +7 s (the next, +15 s, is beyond the 10 s wait): 8 checks.
  assert.equal(checked, 8);
  assert.equal(throttle.failures('a'), 8);
  assert.ok(throttle.retryAfter('a') > 0);
});

test('someone else’s wrong guesses slow a right passcode from the same address, they do not refuse it (L2)', async () => {
  const c = clock();
  const throttle = new FailureThrottle(ADDRESS_POLICY, c);
  for (let i = 0; i < 5; i++) assert.equal(await attempt(throttle, 'nat', false), 'checked');
  assert.equal(await attempt(throttle, 'nat', true), 'checked');
  assert.deepEqual(c.slept, [1000], 'the colleague waited one turn');
  assert.equal(throttle.failures('nat'), 5);
});

test('a patient guesser from one address gets at most 6 checks a minute', async () => {
  const c = clock();
  const throttle = new FailureThrottle(ADDRESS_POLICY, c);
  const start = c.now();
  let checks = 0;
  while (c.now() < start + 60 * 60_000) {
    if ((await attempt(throttle, 'a', false)) === 'checked') checks += 1;
    else c.advance(throttle.retryAfter('a'));
  }
  assert.ok(checks <= 5 + 3 + 60 * 6, `an hour: ${checks}`);
});

test('a meeting takes 20 failures in 10 minutes, then refuses (with the true wait) for 10 minutes', async () => {
  const c = clock();
  const throttle = new FailureThrottle(MEETING_POLICY, c);
  for (let i = 0; i < 20; i++) await attempt(throttle, 'm', false);
  const turn = await throttle.acquire('m');
  assert.equal(turn.ok, false);
  assert.ok(!turn.ok && turn.retryAfterMs > 9 * 60_000 && turn.retryAfterMs <= 10 * 60_000);
  c.advance(10 * 60_000 + 1);
  assert.equal(throttle.failures('m'), 0, 'expired failures are forgotten');
  assert.equal(await attempt(throttle, 'm', true), 'checked');
});

test('an attempt settled without a verified failure (right, or not checked after all) is not counted; settling is idempotent', async () => {
  const c = clock();
  const throttle = new FailureThrottle(ADDRESS_POLICY, c);
  for (let i = 0; i < 10; i++) {
    const turn = await throttle.acquire('a');
    assert.ok(turn.ok);
    throttle.settle(turn.ticket, false);
  }
  assert.equal(throttle.failures('a'), 0);
  const turn = await throttle.acquire('a');
  assert.ok(turn.ok);
  throttle.settle(turn.ticket, true);
  throttle.settle(turn.ticket, true);
  assert.equal(throttle.failures('a'), 1);
  assert.deepEqual(c.slept, []);
});
