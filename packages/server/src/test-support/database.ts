/**
 * The database a test runs against: SQLite in a throwaway data directory (the default), or, when
 * PARLEY_TEST_POSTGRES_URL names a PostgreSQL server (scripts/test.mjs's second pass), a fresh
 * database of its own on that server (parley_t_<random>), dropped when the test is done.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { openDatabase, type Db } from '../storage/db.js';

/** The PostgreSQL server the tests use (a superuser's URL, e.g. postgres://postgres@127.0.0.1:5433/postgres), or undefined. */
export const TEST_POSTGRES_URL = process.env.PARLEY_TEST_POSTGRES_URL || undefined;

/** Which engine this test run uses, for test names and engine-specific assertions. */
export const TEST_ENGINE: 'sqlite' | 'postgres' = TEST_POSTGRES_URL ? 'postgres' : 'sqlite';

export interface TestDatabase {
  /** A throwaway data directory (the SQLite file on SQLite; the signing key on both). */
  readonly dataDir: string;
  /** The fresh PostgreSQL database's URL; undefined on SQLite. */
  readonly databaseUrl: string | undefined;
  /** For a child process: PARLEY_DATA_DIR, and PARLEY_DATABASE_URL on PostgreSQL. */
  readonly env: Record<string, string>;
  /** Opens (and migrates) it. */
  open(): Promise<Db>;
  /** Drops the database (closing whatever is still connected) and removes the data directory. */
  drop(): Promise<void>;
}

async function asAdmin<T>(action: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await action(client);
  } finally {
    await client.end();
  }
}

function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** A fresh, empty test database (and data directory). */
export function createTestDatabase(prefix = 'parley-test-'): Promise<TestDatabase> {
  return makeTestDatabase(mkdtempSync(join(tmpdir(), prefix)), undefined);
}

/**
 * A copy of `source` to tamper with: its data directory copied, and on PostgreSQL a database made
 * from it as a template (nothing may be connected to `source` meanwhile).
 */
export function cloneTestDatabase(source: TestDatabase): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-clone-'));
  cpSync(source.dataDir, dataDir, { recursive: true });
  return makeTestDatabase(dataDir, source.databaseUrl ? databaseName(source.databaseUrl) : undefined);
}

async function makeTestDatabase(dataDir: string, template: string | undefined): Promise<TestDatabase> {
  let databaseUrl: string | undefined;
  let name: string | undefined;
  if (TEST_POSTGRES_URL) {
    name = `parley_t_${randomBytes(8).toString('hex')}`;
    const created = name;
    const from = template ? ` TEMPLATE ${pg.escapeIdentifier(template)}` : '';
    await asAdmin((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(created)}${from}`));
    const url = new URL(TEST_POSTGRES_URL);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
  }
  return {
    dataDir,
    databaseUrl,
    env: { PARLEY_DATA_DIR: dataDir, ...(databaseUrl ? { PARLEY_DATABASE_URL: databaseUrl } : {}) },
    open: () => openDatabase(dataDir, databaseUrl),
    async drop() {
      rmSync(dataDir, { recursive: true, force: true });
      const dropped = name;
      if (dropped) await asAdmin((client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(dropped)} WITH (FORCE)`));
    },
  };
}

/** Where a test's database is: a TestDatabase or a TestServer. */
export type DatabaseLocation = Pick<TestDatabase, 'dataDir' | 'databaseUrl'>;

/**
 * Runs SQL (one or more statements) straight on the database, bypassing Parley: a test playing
 * someone with SQL access (on PostgreSQL the superuser of PARLEY_TEST_POSTGRES_URL, who owns everything).
 */
export async function rawStatement(database: DatabaseLocation, text: string): Promise<void> {
  if (!database.databaseUrl) {
    const raw = new SQLite(join(database.dataDir, 'parley.sqlite'));
    try {
      raw.exec(text);
    } finally {
      raw.close();
    }
    return;
  }
  await rawQuery(database, text);
}

/** A query's rows, straight from the database (see rawStatement). */
export async function rawQuery<T>(database: DatabaseLocation, text: string): Promise<T[]> {
  if (!database.databaseUrl) {
    const raw = new SQLite(join(database.dataDir, 'parley.sqlite'), { readonly: true });
    try {
      return raw.prepare(text).all() as T[];
    } finally {
      raw.close();
    }
  }
  const client = new pg.Client({ connectionString: database.databaseUrl });
  await client.connect();
  try {
    return (await client.query(text)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Everything stored, as text: the SQLite file and its WAL, or a pg_dump of the PostgreSQL database. */
export function storedText(database: DatabaseLocation): string {
  if (database.databaseUrl) return execFileSync('pg_dump', ['--dbname', database.databaseUrl], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return ['parley.sqlite', 'parley.sqlite-wal']
    .map((f) => {
      try {
        return readFileSync(join(database.dataDir, f)).toString('latin1');
      } catch {
        return '';
      }
    })
    .join('\n');
}

/** What someone with SQL access runs first to rewrite the audit log: its append-only triggers out of the way. */
export const DISABLE_AUDIT_TRIGGERS =
  TEST_ENGINE === 'postgres'
    ? 'ALTER TABLE audit_events DISABLE TRIGGER USER; ALTER TABLE audit_checkpoints DISABLE TRIGGER USER;'
    : 'DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; DROP TRIGGER audit_checkpoints_no_update; DROP TRIGGER audit_checkpoints_no_delete;';
