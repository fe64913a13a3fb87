/** The unauthenticated share of the audit log: aggregated repeats and a budget, on a simulated clock. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AuditEvent } from './audit.js';
import { UntrustedAudit } from './untrusted-audit.js';

function setup(rowsPerMinute = 120) {
  let now = 1_000_000;
  const rows: AuditEvent[] = [];
  const audit = new UntrustedAudit({ append: async (e) => void rows.push(e) }, { windowMs: 60_000, rowsPerMinute, now: () => now });
  return { audit, rows, advance: (ms: number) => (now += ms) };
}

test('repeats from one address are one event per window, then one with the count (M2)', async () => {
  const { audit, rows, advance } = setup();
  for (let i = 0; i < 1000; i++) await audit.repeat({ action: 'passcode.throttled', clientAddress: '10.0.0.1' });
  assert.equal(rows.length, 1);
  advance(60_000);
  await audit.flush(false);
  assert.equal(rows.length, 2);
  assert.equal(rows[1]?.details?.count, 1000);
  await audit.close();
});

test('everything unauthenticated shares a budget; the excess becomes one summary', async () => {
  const { audit, rows } = setup(10);
  for (let i = 0; i < 1000; i++) await audit.append({ action: 'join.denied', clientAddress: `10.0.${i >> 8}.${i & 255}` });
  assert.equal(rows.length, 10);
  await audit.close();
  assert.equal(rows.length, 11);
  assert.deepEqual(rows[10]?.details?.counts, { 'join.denied': 990 });
});
