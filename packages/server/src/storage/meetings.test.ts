/** The meetings table: a meeting's class is stored, raised, and never lowered, by the database itself. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, TEST_ENGINE, type TestDatabase } from '../test-support/database.js';
import type { Db } from './db.js';
import { MeetingStore } from './meetings.js';

let database: TestDatabase;
let db: Db;
before(async () => {
  database = await createTestDatabase('parley-meetings-');
  db = await database.open();
});
after(async () => {
  await db.destroy();
  await database.drop();
});

/** A CHECK constraint's refusal, as SQLite and PostgreSQL word it. */
const CHECK_FAILED = /CHECK constraint failed|violates check constraint/;

const meeting = (id: string, passcodeHash: string | null) => ({
  id,
  title: 'T',
  passcode_hash: passcodeHash,
  host_user_id: 'u1',
  settings: '{}',
  created_at: Date.now(),
  sensitivity: 'standard' as const,
});

test(`a class is raised, never lowered: the database refuses, whatever the code above it does (${TEST_ENGINE})`, async () => {
  const store = new MeetingStore(db);
  await store.create(meeting('m-1', 'hash-1'));
  assert.equal((await store.find('m-1'))?.sensitivity, 'standard');
  await store.saveSensitivity('m-1', 'sensitive', 'ignored-hash');
  const raised = await store.find('m-1');
  assert.equal(raised?.sensitivity, 'sensitive');
  assert.equal(raised?.passcode_hash, 'hash-1', 'a meeting’s passcode is kept');
  await assert.rejects(store.saveSensitivity('m-1', 'standard'), /stays sensitive/);
  await assert.rejects(sql`UPDATE meetings SET sensitivity = 'standard' WHERE id = 'm-1'`.execute(db), /stays sensitive/);
  await assert.rejects(sql`UPDATE meetings SET sensitivity = 'top-secret' WHERE id = 'm-1'`.execute(db), /CHECK constraint failed|violates check constraint|stays sensitive/);
  assert.equal((await store.find('m-1'))?.sensitivity, 'sensitive');
});

test(`raising a meeting without a passcode gives it the new one (${TEST_ENGINE})`, async () => {
  const store = new MeetingStore(db);
  await store.create(meeting('m-2', null));
  assert.equal(await store.hasPasscode('m-2'), false);
  await store.saveSensitivity('m-2', 'sensitive', 'hash-2');
  assert.equal(await store.hasPasscode('m-2'), true);
  assert.equal((await store.find('m-2'))?.passcode_hash, 'hash-2');
  await assert.rejects(sql`INSERT INTO meetings (id, title, settings, created_at, sensitivity) VALUES ('m-3', 'T', '{}', 0, 'secret')`.execute(db), CHECK_FAILED);
});
