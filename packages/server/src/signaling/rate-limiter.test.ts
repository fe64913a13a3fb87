import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenBucket } from './rate-limiter.js';

test('a token bucket allows its burst, then its rate', () => {
  const bucket = new TokenBucket(10, 5, 0);
  for (let i = 0; i < 5; i++) assert.ok(bucket.take(0));
  assert.ok(!bucket.take(0));
  assert.ok(bucket.take(100), 'one token after 100 ms at 10/s');
  assert.ok(!bucket.take(100));
  for (let i = 0; i < 5; i++) assert.ok(bucket.take(10_000));
  assert.ok(!bucket.take(10_000), 'never more than the burst saved up');
});
