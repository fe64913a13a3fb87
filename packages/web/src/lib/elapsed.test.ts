import assert from 'node:assert/strict';
import { test } from 'node:test';
import { elapsedText } from './elapsed.js';

test('elapsed time reads as m:ss, then h:mm:ss, and never goes negative', () => {
  assert.equal(elapsedText(1000, 1000), '0:00');
  assert.equal(elapsedText(0, 65_400), '1:05');
  assert.equal(elapsedText(0, (2 * 3600 + 3 * 60 + 9) * 1000), '2:03:09');
  assert.equal(elapsedText(10_000, 0), '0:00');
});
