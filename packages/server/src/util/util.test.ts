import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MEETING_ID_PATTERN, READABLE_ALPHABET } from '@parley/protocol';
import { ActionQueue } from './action-queue.js';
import { hashSecret, newMeetingId, newOpaqueId, newPasscode, verifySecret } from './secrets.js';

test('the action queue runs actions one at a time, in order, even when they fail', async () => {
  const queue = new ActionQueue();
  const log: string[] = [];
  const slow = (name: string, ms: number) => () => new Promise<void>((r) => setTimeout(() => (log.push(name), r()), ms));
  const runs = [queue.push(slow('a', 30)), queue.push(() => Promise.reject(new Error('b'))), queue.push(slow('c', 1))];
  await Promise.allSettled(runs);
  await assert.rejects(runs[1]!, /b/);
  assert.deepEqual(log, ['a', 'c']);
  await queue.close();
  await assert.rejects(queue.push(() => 1), /closed/);
});

test('meeting IDs and passcodes are random, readable and of the promised entropy', () => {
  const ids = new Set(Array.from({ length: 1000 }, newMeetingId));
  assert.equal(ids.size, 1000);
  for (const id of ids) assert.match(id, MEETING_ID_PATTERN);
  const passcode = newPasscode();
  assert.equal(passcode.length, 8); // 8 x 5 bits = 40 bits
  assert.ok([...passcode].every((c) => READABLE_ALPHABET.includes(c)));
  assert.notEqual(newOpaqueId(), newOpaqueId());
});

test('secrets are stored as salted scrypt hashes and verified exactly', async () => {
  const a = await hashSecret('ab12cd34');
  const b = await hashSecret('ab12cd34');
  assert.notEqual(a, b, 'salted');
  assert.match(a, /^scrypt\$32768\$8\$1\$/);
  assert.ok(!a.includes('ab12cd34'));
  assert.ok(await verifySecret('ab12cd34', a));
  assert.ok(!(await verifySecret('ab12cd35', a)));
  assert.ok(!(await verifySecret('', a)));
  assert.ok(!(await verifySecret('ab12cd34', 'garbage')));
});
