/** Resuming after a drop: backoff, retry or give up, and the window. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffMs, resumeLoop, RESUME_EXPIRED, retryUntil, sleepOrOnline } from './reconnect.js';
import { SignalingError } from './signaling.js';

test('backoff: 0.5 s, 1, then 2 s', () => {
  assert.deepEqual([0, 1, 2, 3, 4, 10].map(backoffMs), [500, 1000, 2000, 2000, 2000, 2000]);
});

/** A fake clock: waiting advances it. */
function clock(): { now: () => number; wait: (ms: number) => Promise<void>; waits: number[] } {
  let t = 0;
  const waits: number[] = [];
  return {
    now: () => t,
    wait: (ms) => {
      waits.push(ms);
      t += ms;
      return Promise.resolve();
    },
    waits,
  };
}

test('retries while the server is away, then resumes', async () => {
  const c = clock();
  let tries = 0;
  const ending = await resumeLoop({
    windowSeconds: 60,
    immediate: false,
    resume: () => (++tries < 4 ? Promise.reject(new SignalingError('closed', 'down')) : Promise.resolve()),
    failed: () => undefined,
    wait: c.wait,
    stopped: () => false,
    now: c.now,
  });
  assert.equal(ending, null);
  assert.deepEqual(c.waits, [500, 1000, 2000, 2000]);
});

test('a reload tries at once, then backs off', async () => {
  const c = clock();
  let tries = 0;
  await retryUntil({ deadline: 10_000, immediate: true, attempt: async () => (++tries < 3 ? 'retry' : 'done'), wait: c.wait, stopped: () => false, now: c.now });
  assert.deepEqual(c.waits, [500, 1000]);
});

test('resume_expired ends at once with "You were disconnected"; other refusals end with their code', async () => {
  const c = clock();
  const run = (err: SignalingError): Promise<unknown> =>
    resumeLoop({ windowSeconds: 60, immediate: true, resume: () => Promise.reject(err), failed: () => undefined, wait: c.wait, stopped: () => false, now: c.now });
  assert.equal(await run(new SignalingError('resume_expired', 'gone')), RESUME_EXPIRED);
  assert.deepEqual(await run(new SignalingError('update_required', 'old')), { code: 'update_required', message: 'old' });
});

test('past the window it gives up; a closed session stops quietly', async () => {
  const c = clock();
  let failed = 0;
  const ending = await resumeLoop({
    windowSeconds: 10,
    immediate: false,
    resume: () => Promise.reject(new SignalingError('shutting_down', 'restarting')),
    failed: () => failed++,
    wait: c.wait,
    stopped: () => false,
    now: c.now,
  });
  assert.equal(ending, RESUME_EXPIRED);
  assert.ok(c.now() > 10_000);
  assert.ok(failed >= 4, 'every failed attempt is cleaned up');
  const stopped = await resumeLoop({ windowSeconds: 10, immediate: true, resume: () => Promise.resolve(), failed: () => undefined, wait: c.wait, stopped: () => true, now: c.now });
  assert.equal(stopped, null);
});

test('a backoff wait ends early when the browser is back online, and leaves no listener behind', async () => {
  const target = new EventTarget();
  let listeners = 0;
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  target.addEventListener = (...args: Parameters<EventTarget['addEventListener']>) => {
    listeners += 1;
    add(...args);
  };
  target.removeEventListener = (...args: Parameters<EventTarget['removeEventListener']>) => {
    listeners -= 1;
    remove(...args);
  };
  const never = () => new Promise<void>(() => undefined);
  const waiting = sleepOrOnline(never, 60_000, target);
  target.dispatchEvent(new Event('online'));
  await waiting;
  assert.equal(listeners, 0);
  let slept = false;
  await sleepOrOnline(async () => {
    slept = true;
  }, 10, target);
  assert.equal(slept, true);
  assert.equal(listeners, 0);
});
