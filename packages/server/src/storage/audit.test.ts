import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { sql } from 'kysely';
import pg from 'pg';
import { chainHash, GENESIS, verifyChain } from '../audit/chain.js';
import { createTestDatabase, rawStatement, TEST_ENGINE, type TestDatabase } from '../test-support/database.js';
import { AuditLog } from './audit.js';
import { connectDatabase, migrateDatabase, openDatabase, type Db } from './db.js';
import { LOCK_NAMESPACE, LOCKS } from './dialect.js';

const databases: TestDatabase[] = [];
async function database(): Promise<TestDatabase> {
  const created = await createTestDatabase('parley-audit-');
  databases.push(created);
  return created;
}
after(async () => {
  for (const created of databases) await created.drop();
});

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function verifyDb(db: Db): Promise<ReturnType<typeof verifyChain>> {
  return verifyChain(await db.selectFrom('audit_events').selectAll().orderBy('seq').execute());
}

describe(`AuditLog (${TEST_ENGINE})`, () => {
  it('chains concurrent appends without forking', async () => {
    const db = await (await database()).open();
    try {
      const audit = new AuditLog(db);
      await Promise.all(Array.from({ length: 200 }, (_, i) => audit.append({ action: 'test.concurrent', actor: `u${i % 7}`, details: { i } })));
      const result = await verifyDb(db);
      assert.deepEqual(result.problems, []);
      assert.equal(result.records, 200);
      assert.deepEqual(await audit.head(), { seq: 200, hash: result.head });
    } finally {
      await db.destroy();
    }
  });

  it('re-chains after another writer (another process: the CLI, or another node) took its seq', async () => {
    const created = await database();
    const one = await created.open();
    const two = await openDatabase(created.dataDir, created.databaseUrl);
    try {
      const a = new AuditLog(one);
      const b = new AuditLog(two);
      for (let i = 0; i < 20; i += 1) await Promise.all([a.append({ action: 'from.a', details: { i } }), b.append({ action: 'from.b', details: { i } })]);
      // On PostgreSQL every node is such a writer: many at once from both, each append taking the
      // chain's lock. (On SQLite the other writer is the occasional CLI, which re-chains a few times at most.)
      const burst = TEST_ENGINE === 'postgres' ? 60 : 0;
      await Promise.all(Array.from({ length: burst }, (_, i) => (i % 2 ? a : b).append({ action: 'burst', details: { i } })));
      const result = await verifyDb(one);
      assert.deepEqual(result.problems, []);
      assert.equal(result.records, 40 + burst);
    } finally {
      await one.destroy();
      await two.destroy();
    }
  });

  it('the database itself refuses UPDATE and DELETE, and rows without a hash', async () => {
    const created = await database();
    const db = await created.open();
    await new AuditLog(db).append({ action: 'test.one' });
    await db.destroy();
    await assert.rejects(rawStatement(created, "UPDATE audit_events SET actor = 'x'"), /append-only/);
    await assert.rejects(rawStatement(created, 'DELETE FROM audit_events'), /append-only/);
    await assert.rejects(rawStatement(created, "INSERT INTO audit_events (seq, at, action, details) VALUES (2, 1, 'forged', '{}')"), /hash required/);
    await assert.rejects(rawStatement(created, "INSERT INTO audit_checkpoints (tree_size, head_hash, at, key_id, signature) VALUES (1, 'h', 1, 'k', 's')").then(() => rawStatement(created, "UPDATE audit_checkpoints SET head_hash = 'x'")), /append-only/);
    await assert.rejects(rawStatement(created, 'DELETE FROM audit_checkpoints'), /append-only/);
    if (TEST_ENGINE === 'postgres') {
      await assert.rejects(rawStatement(created, 'TRUNCATE audit_events'), /append-only/);
      await assert.rejects(rawStatement(created, 'TRUNCATE audit_checkpoints'), /append-only/);
    }
    const reopened = await created.open();
    try {
      const result = await verifyDb(reopened);
      assert.deepEqual(result.problems, []);
      assert.equal(result.records, 1);
    } finally {
      await reopened.destroy();
    }
  });

  it('migration 0007 chains the rows written before it, in seq order', async () => {
    const created = await database();
    const old = await connectDatabase(created.dataDir, created.databaseUrl);
    await migrateDatabase(old, '0006_sensitivity');
    for (let i = 0; i < 30; i += 1) {
      const details = JSON.stringify({ i, nested: { z: 1, a: [1, 2] } });
      await sql`INSERT INTO audit_events (at, meeting_id, actor, action, target, client_address, details)
        VALUES (${1000 + i}, ${i % 2 ? 'm-1' : null}, ${`u${i}`}, 'old.event', NULL, '192.0.2.1', ${details})`.execute(old);
    }
    await old.destroy();

    const db = await created.open();
    try {
      const result = await verifyDb(db);
      assert.deepEqual(result.problems, []);
      assert.equal(result.records, 30);
      const audit = new AuditLog(db);
      await audit.append({ action: 'new.event' });
      const after = await verifyDb(db);
      assert.deepEqual(after.problems, []);
      assert.equal(after.records, 31);
    } finally {
      await db.destroy();
    }
    await assert.rejects(rawStatement(created, "UPDATE audit_events SET actor = 'x' WHERE seq = 1"), /append-only/);
    await assert.rejects(rawStatement(created, 'DELETE FROM audit_events WHERE seq = 1'), /append-only/);
  });

  it('on PostgreSQL an append waits for the chain lock another node holds, then chains after its record', { skip: TEST_ENGINE !== 'postgres' && 'PostgreSQL only: SQLite has one writer per process and no advisory locks' }, async () => {
    const created = await database();
    const db = await created.open();
    const otherNode = new pg.Client({ connectionString: created.databaseUrl });
    await otherNode.connect();
    try {
      await otherNode.query('BEGIN');
      await otherNode.query('SELECT pg_advisory_xact_lock($1::int4, $2::int4)', [LOCK_NAMESPACE, LOCKS.auditChain]);
      let appended = false;
      const appending = new AuditLog(db).append({ action: 'this.node' }).then(() => {
        appended = true;
      });
      const waiting = async (): Promise<boolean> => {
        const { rows } = await otherNode.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted");
        return rows[0]?.n === 1;
      };
      await waitFor(waiting, 'the append to wait for the chain lock');
      assert.equal(appended, false);
      const record = { seq: 1, at: 1, meetingId: null, actor: null, action: 'other.node', target: null, clientAddress: null, details: {} };
      await otherNode.query("INSERT INTO audit_events (seq, at, action, details, hash) VALUES (1, 1, 'other.node', '{}', $1)", [chainHash(GENESIS, record)]);
      await otherNode.query('COMMIT');
      await appending;
      const result = await verifyDb(db);
      assert.deepEqual(result.problems, []);
      assert.deepEqual((await db.selectFrom('audit_events').select('action').orderBy('seq').execute()).map((r) => r.action), ['other.node', 'this.node']);
    } finally {
      await otherNode.end();
      await db.destroy();
    }
  });
});
