/** How the posture report counts: aggregated throttle windows expanded exactly, suppressed events, the period's edges. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEFAULT_POLICY } from '@parley/protocol';
import type { Insertable } from 'kysely';
import { openDatabase, type Db } from '../storage/db.js';
import type { AuditTable } from '../storage/schema.js';
import { PostureReporter, UNAVAILABLE_SOURCES } from './posture-report.js';

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

const row = (at: number, action: string, details: object = {}): Insertable<AuditTable> => ({
  at,
  meeting_id: null,
  actor: null,
  action,
  target: null,
  client_address: '192.0.2.1',
  details: JSON.stringify(details),
});

test('throttle windows count each attempt once; suppressed events are summed; only the period counts', async () => {
  const reporter = new PostureReporter({ db, policy: () => DEFAULT_POLICY, sources: UNAVAILABLE_SOURCES, build: () => Promise.resolve({ server: 'x', sbom: { available: false, reason: 'test' } }) });
  const t = 1_000_000;
  await db
    .insertInto('audit_events')
    .values([
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
    ])
    .execute();
  const report = await reporter.report({ from: t, to: t + 1_000_000 });
  assert.equal(report.access.failedSignIns, 2);
  assert.equal(report.access.throttledSignIns, 7);
  assert.equal(report.access.throttledPasscodes, 1);
  assert.deepEqual(report.access.suppressed, { 'signin.failed': 42, 'join.denied': 2 });
  assert.equal(report.moderation.removals, 2);
  assert.equal(report.moderation.alerts.total, 2);
  assert.equal(report.moderation.locks.autoLocked, 1);
  assert.deepEqual(report.audit, { available: false, reason: 'the audit chain and its checkpoints are not part of this build yet' });
  // The period's end is exclusive, its start inclusive.
  assert.equal((await reporter.report({ from: t + 1, to: t + 2 })).access.failedSignIns, 1);
});
