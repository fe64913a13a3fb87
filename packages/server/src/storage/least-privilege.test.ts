/**
 * docs/operations.md's PostgreSQL set-up, for real: one role owns the schema and runs the migrations,
 * Parley runs as another that can write what it must and can neither rewrite the audit log nor turn
 * off the triggers that guard it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { verifyChain } from '../audit/chain.js';
import { createTestDatabase, rawStatement, TEST_ENGINE, TEST_POSTGRES_URL, type TestDatabase } from '../test-support/database.js';
import { AuditLog } from './audit.js';
import { openDatabase } from './db.js';

const skip = TEST_ENGINE !== 'postgres' && 'PostgreSQL only: SQLite has no roles';
const suffix = randomBytes(4).toString('hex');
const owner = `parley_owner_${suffix}`;
const app = `parley_app_${suffix}`;
const password = randomBytes(18).toString('hex');
let database: TestDatabase;

function urlAs(role: string): string {
  const url = new URL(database.databaseUrl ?? '');
  url.username = role;
  url.password = password;
  return url.toString();
}

async function asRole(role: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: urlAs(role) });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

before(async () => {
  if (!TEST_POSTGRES_URL) return;
  database = await createTestDatabase('parley-roles-');
  const name = new URL(database.databaseUrl ?? '').pathname.slice(1);
  // As the PostgreSQL superuser (docs/operations.md, "PostgreSQL"):
  await rawStatement(database, `
    CREATE ROLE ${owner} LOGIN PASSWORD '${password}';
    CREATE ROLE ${app} LOGIN PASSWORD '${password}';
    ALTER DATABASE ${name} OWNER TO ${owner};
    REVOKE ALL ON DATABASE ${name} FROM PUBLIC;
    GRANT CONNECT ON DATABASE ${name} TO ${app};`);
  await asRole(owner, `
    REVOKE ALL ON SCHEMA public FROM PUBLIC;
    GRANT USAGE ON SCHEMA public TO ${app};
    ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app};
    ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE ON SEQUENCES TO ${app};`);
  // `parley migrate` as the owner, then the audit tables' writes taken back from the app.
  await (await openDatabase(database.dataDir, urlAs(owner))).destroy();
  await asRole(owner, `
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_events, audit_checkpoints FROM ${app};
    REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON kysely_migration, kysely_migration_lock FROM ${app};`);
});

after(async () => {
  if (!TEST_POSTGRES_URL) return;
  await database.drop();
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await admin.connect();
  try {
    await admin.query(`DROP ROLE IF EXISTS ${app}`);
    await admin.query(`DROP ROLE IF EXISTS ${owner}`);
  } finally {
    await admin.end();
  }
});

test('Parley starts as the app role and appends to the audit log', { skip }, async () => {
  const db = await openDatabase(database.dataDir, urlAs(app));
  try {
    const audit = new AuditLog(db);
    await audit.append({ action: 'test.as-app' });
    await db.insertInto('settings').values({ key: 'k', value: 'v' }).execute();
    await db.updateTable('settings').set({ value: 'w' }).where('key', '=', 'k').execute();
    await db.insertInto('audit_checkpoints').values({ tree_size: 1, head_hash: 'h', at: 1, key_id: 'k', signature: 's' }).execute();
    const rows = await db.selectFrom('audit_events').selectAll().orderBy('seq').execute();
    assert.deepEqual(verifyChain(rows).problems, []);
  } finally {
    await db.destroy();
  }
});

test('the app role can neither rewrite the audit log nor switch off, drop or replace its guards', { skip }, async () => {
  for (const statement of ["UPDATE audit_events SET actor = 'x'", 'DELETE FROM audit_events', 'TRUNCATE audit_events', 'DELETE FROM audit_checkpoints', "UPDATE audit_checkpoints SET head_hash = 'x'"]) {
    await assert.rejects(asRole(app, statement), /permission denied/, statement);
  }
  for (const statement of [
    'ALTER TABLE audit_events DISABLE TRIGGER USER',
    'DROP TRIGGER audit_events_no_update ON audit_events',
    'ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_no_delete',
    "CREATE OR REPLACE FUNCTION parley_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
    'DROP TABLE audit_events',
  ]) {
    await assert.rejects(asRole(app, statement), /must be owner|permission denied/, statement);
  }
  await assert.rejects(asRole(app, 'CREATE TABLE parley_shadow (x text)'), /permission denied for schema public/);
  await assert.rejects(asRole(app, "DELETE FROM kysely_migration WHERE name = '0007_audit_chain'"), /permission denied/);
});

test('the owner role is refused by the triggers themselves', { skip }, async () => {
  await assert.rejects(asRole(owner, "UPDATE audit_events SET actor = 'x'"), /append-only/);
  await assert.rejects(asRole(owner, 'TRUNCATE audit_events'), /append-only/);
});
