/** What the code sees is the same on both engines: numbers for every integer column and count. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, rawStatement, TEST_ENGINE, type TestDatabase } from '../test-support/database.js';
import type { Db } from './db.js';
import { parseInt8 } from './postgres.js';

let database: TestDatabase;
let db: Db;
before(async () => {
  database = await createTestDatabase('parley-engine-');
  db = await database.open();
});
after(async () => {
  await db.destroy();
  await database.drop();
});

test(`epoch milliseconds, flags and counts come back as JS numbers (${TEST_ENGINE})`, async () => {
  const at = Date.UTC(2300, 0, 1); // well past 2^31 (PostgreSQL's integer): the columns are BIGINT there
  await db.insertInto('meetings').values({ id: 'm-1', title: 'T', passcode_hash: null, host_user_id: null, settings: '{}', created_at: at, ended_at: null }).execute();
  const row = await db.selectFrom('meetings').select(['created_at', 'locked', 'ended_at']).where('id', '=', 'm-1').executeTakeFirstOrThrow();
  assert.deepEqual(row, { created_at: at, locked: 0, ended_at: null });
  const count = await db.selectFrom('meetings').select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('latest')]).executeTakeFirstOrThrow();
  assert.deepEqual(count, { n: 1, latest: at });
});

test('a PostgreSQL BIGINT beyond 2^53 is an error, never a silently rounded number', { skip: TEST_ENGINE !== 'postgres' && 'PostgreSQL only: the int8 type parser belongs to the PostgreSQL pool' }, async () => {
  await rawStatement(database, "INSERT INTO meetings (id, title, settings, created_at) VALUES ('m-huge', 'T', '{}', 9007199254740993)");
  await assert.rejects(sql`SELECT created_at FROM meetings WHERE id = 'm-huge'`.execute(db), /does not fit a JavaScript number exactly/);
});

test('int8 text parses to a number only when exact', () => {
  assert.equal(parseInt8('0'), 0);
  assert.equal(parseInt8('-42'), -42);
  assert.equal(parseInt8(String(Number.MAX_SAFE_INTEGER)), Number.MAX_SAFE_INTEGER);
  assert.throws(() => parseInt8('9007199254740992'), RangeError);
  assert.throws(() => parseInt8('-9223372036854775808'), RangeError);
});
