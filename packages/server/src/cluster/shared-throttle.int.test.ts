/**
 * The shared throttle against a real redis-server: two instances (two nodes) with one name count as
 * one; the rules are FailureThrottle's (free failures, spaced turns, refusal only past the wait).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createClient } from 'redis';
import type { ThrottlePolicy } from '../util/failure-throttle.js';
import { startRedis, type TestRedis } from '../test-support/cluster-nodes.js';
import { SharedThrottle, type ScriptRunner } from './shared-throttle.js';

const POLICY: ThrottlePolicy = { freeFailures: 3, windowMs: 60_000, backoffMs: () => 400, maxWaitMs: 1000 };

let redis: TestRedis;
let client: ReturnType<typeof createClient>;
let runner: ScriptRunner;
before(async () => {
  redis = await startRedis();
  client = createClient({ url: redis.url });
  await client.connect();
  runner = { eval: (script, keys, args) => client.eval(script, { keys, arguments: args }) };
});
after(async () => {
  await client.close();
  await redis.stop();
});

async function fail(throttle: SharedThrottle, key: string): Promise<void> {
  const turn = await throttle.acquire(key);
  assert.ok(turn.ok);
  await throttle.settle(turn.ticket, true);
}

test('two nodes count one key together; another name or key is apart; successes do not count', async () => {
  const nodeA = new SharedThrottle(runner, 'passcode-address', POLICY);
  const nodeB = new SharedThrottle(runner, 'passcode-address', POLICY);
  const other = new SharedThrottle(runner, 'signin-address', POLICY);
  await fail(nodeA, '192.0.2.1');
  await fail(nodeB, '192.0.2.1');
  const ok = await nodeA.acquire('192.0.2.1');
  assert.ok(ok.ok);
  await nodeA.settle(ok.ticket, false);
  assert.equal(await nodeA.failures('192.0.2.1'), 2);
  assert.equal(await nodeB.failures('192.0.2.1'), 2);
  assert.equal(await other.failures('192.0.2.1'), 0);
  assert.equal(await nodeA.failures('192.0.2.2'), 0);
  // Keys are hashed: Redis holds no address.
  assert.equal((await client.keys('*192.0.2.1*')).length, 0);
});

test('past the free failures a burst over both nodes is spaced out, and refused only beyond the wait', async () => {
  const nodeA = new SharedThrottle(runner, 'burst', POLICY);
  const nodeB = new SharedThrottle(runner, 'burst', POLICY);
  for (let i = 0; i < 3; i++) await fail(i % 2 === 0 ? nodeA : nodeB, 'k');
  const nodes = Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? nodeA : nodeB));
  const turns = await Promise.all(nodes.map((node) => node.acquire('k')));
  // Turns 400 ms apart after the last check, at most 1000 ms ahead: +400 and +800 are granted (waited for), the rest refused.
  assert.deepEqual(turns.map((t) => t.ok), [true, true, false, false, false, false]);
  assert.ok(turns.every((t) => t.ok || t.retryAfterMs > 1000));
  // A granted turn is checked like any other: a right secret settles as a success and adds no failure.
  for (const [i, t] of turns.entries()) if (t.ok) await nodes[i]?.settle(t.ticket, false);
  assert.equal(await nodeA.failures('k'), 3);
});

test('while in-flight checks could still leave free failures, a newcomer waits for them rather than slipping past', async () => {
  const nodeA = new SharedThrottle(runner, 'inflight', POLICY);
  const nodeB = new SharedThrottle(runner, 'inflight', POLICY);
  await fail(nodeA, 'k');
  await fail(nodeB, 'k');
  const held = await nodeA.acquire('k');
  assert.ok(held.ok);
  let settled = false;
  const newcomer = nodeB.acquire('k').then((turn) => {
    assert.ok(settled, 'the newcomer got its turn only after the in-flight check settled');
    return turn;
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  settled = true;
  await nodeA.settle(held.ticket, false);
  const turn = await newcomer;
  assert.ok(turn.ok, 'the check in flight succeeded: the free failure is still there');
  await nodeB.settle(turn.ticket, false);
});
