/** How the posture report counts: aggregated throttle windows expanded exactly, suppressed events, the period's edges. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_POLICY } from '@parley/protocol';
import { AuditLog, type AuditEvent } from '../storage/audit.js';
import { openDatabase, type Db } from '../storage/db.js';
import { PostureReporter, type PostureSources } from './posture-report.js';

/** This test is about the counting: the audit and client sections say they were not asked. */
const UNAVAILABLE_SOURCES: PostureSources = {
  auditStatus: () => Promise.resolve({ available: false, reason: 'not part of this test' }),
  outdatedClientsSeen: () => Promise.resolve({ available: false, reason: 'not part of this test' }),
};

let dir: string;
let db: Db;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-posture-'));
  db = await openDatabase(dir);
});
after(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const row = (at: number, action: string, details: Record<string, unknown> = {}): { at: number; event: AuditEvent } => ({ at, event: { action, clientAddress: '192.0.2.1', details } });

test('throttle windows count each attempt once; suppressed events are summed; only the period counts', async () => {
  const reporter = new PostureReporter({ db, policy: () => DEFAULT_POLICY, sources: UNAVAILABLE_SOURCES, build: () => Promise.resolve({ server: 'x', sbom: { available: false, reason: 'test' } }) });
  const t = 1_000_000;
  const rows = [
    row(t, 'signin.failed'),
    row(t + 1, 'signin.failed'),
    // A window of 7 throttled attempts: the first at once, then the total when the window closed.
    row(t + 2, 'signin.throttled', { count: 1, aggregated: 'first of its window; the rest are counted when it closes' }),
    row(t + 600_002, 'signin.throttled', { count: 7, aggregated: 'window closed' }),
    // A window of one: nothing more is written when it closes.
    row(t + 3, 'passcode.throttled', { count: 1, aggregated: 'first of its window; the rest are counted when it closes' }),
    row(t + 4, 'audit.suppressed', { counts: { 'signin.failed': 40, 'join.denied': 2 } }),
    row(t + 5, 'audit.suppressed', { counts: { 'signin.failed': 2 } }),
    row(t + 6, 'participant.removed'),
    row(t + 7, 'lobby.removed'),
    row(t + 8, 'chat.link-blocked'),
    row(t + 9, 'meeting.auto-locked'),
    // Outside the period.
    row(t + 10_000_000, 'signin.failed'),
  ];
  // Written through the chained log's one writer, each at its own time.
  let clock = 0;
  const audit = new AuditLog(db, () => clock);
  for (const { at, event } of rows) {
    clock = at;
    await audit.append(event);
  }
  const report = await reporter.report({ from: t, to: t + 1_000_000 });
  assert.equal(report.access.failedSignIns, 2);
  assert.equal(report.access.throttledSignIns, 7);
  assert.equal(report.access.throttledPasscodes, 1);
  assert.deepEqual(report.access.suppressed, { 'signin.failed': 42, 'join.denied': 2 });
  assert.equal(report.moderation.removals, 2);
  assert.equal(report.moderation.alerts.total, 2);
  assert.equal(report.moderation.locks.autoLocked, 1);
  assert.deepEqual(report.audit, { available: false, reason: 'not part of this test' });
  // The period's end is exclusive, its start inclusive.
  assert.equal((await reporter.report({ from: t + 1, to: t + 2 })).access.failedSignIns, 1);
});
