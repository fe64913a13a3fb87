import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { verifyChain } from '../audit/chain.js';
import { AuditLog } from './audit.js';
import { openDatabase, type Db } from './db.js';
import { migrations } from './migrations.js';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'parley-audit-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function verifyDb(db: Db): Promise<ReturnType<typeof verifyChain>> {
  return verifyChain(await db.selectFrom('audit_events').selectAll().orderBy('seq').execute());
}

describe('AuditLog', () => {
  it('chains concurrent appends without forking', async () => {
    const db = await openDatabase(dataDir());
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

  it('re-chains after another writer (another process: the CLI) took its seq', async () => {
    const dir = dataDir();
    const one = await openDatabase(dir);
    const two = await openDatabase(dir);
    try {
      const a = new AuditLog(one);
      const b = new AuditLog(two);
      for (let i = 0; i < 20; i += 1) await Promise.all([a.append({ action: 'from.a', details: { i } }), b.append({ action: 'from.b', details: { i } })]);
      const result = await verifyDb(one);
      assert.deepEqual(result.problems, []);
      assert.equal(result.records, 40);
    } finally {
      await one.destroy();
      await two.destroy();
    }
  });

  it('still refuses UPDATE and DELETE, and rows without a hash', async () => {
    const dir = dataDir();
    const db = await openDatabase(dir);
    await new AuditLog(db).append({ action: 'test.one' });
    await db.destroy();
    const raw = new SQLite(join(dir, 'parley.sqlite'));
    try {
      assert.throws(() => raw.prepare("UPDATE audit_events SET actor = 'x'").run(), /append-only/);
      assert.throws(() => raw.prepare('DELETE FROM audit_events').run(), /append-only/);
      assert.throws(() => raw.prepare("INSERT INTO audit_events (at, action, details) VALUES (1, 'forged', '{}')").run(), /hash required/);
    } finally {
      raw.close();
    }
  });

  it('migration 0007 chains the rows written before it, in seq order', async () => {
    const dir = dataDir();
    const sqlite = new SQLite(join(dir, 'parley.sqlite'));
    const old = new Kysely<unknown>({ dialect: new SqliteDialect({ database: sqlite }) });
    const { error } = await new Migrator({ db: old, provider: { getMigrations: () => Promise.resolve(migrations) } }).migrateTo('0006_sensitivity');
    assert.equal(error, undefined);
    const insert = sqlite.prepare('INSERT INTO audit_events (at, meeting_id, actor, action, target, client_address, details) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < 30; i += 1) insert.run(1000 + i, i % 2 ? 'm-1' : null, `u${i}`, 'old.event', null, '192.0.2.1', JSON.stringify({ i, nested: { z: 1, a: [1, 2] } }));
    await old.destroy();

    const db = await openDatabase(dir);
    try {
      const result = await verifyDb(db);
      assert.deepEqual(result.problems, []);
      assert.equal(result.records, 30);
      const audit = new AuditLog(db);
      await audit.append({ action: 'new.event' });
      assert.deepEqual((await verifyDb(db)).problems, []);
    } finally {
      await db.destroy();
    }
    const raw = new SQLite(join(dir, 'parley.sqlite'));
    try {
      assert.throws(() => raw.prepare("UPDATE audit_events SET actor = 'x' WHERE seq = 1").run(), /append-only/);
      assert.throws(() => raw.prepare('DELETE FROM audit_events WHERE seq = 1').run(), /append-only/);
    } finally {
      raw.close();
    }
  });
});
