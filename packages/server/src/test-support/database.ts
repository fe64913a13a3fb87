/**
 * The database a test runs against: SQLite in a throwaway data directory (the default), or, when
 * PARLEY_TEST_POSTGRES_URL names a PostgreSQL server (scripts/test.mjs's second pass), a fresh
 * database of its own on that server (parley_t_<random>), dropped when the test is done.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
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

export async function createTestDatabase(prefix = 'parley-test-'): Promise<TestDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  let databaseUrl: string | undefined;
  let name: string | undefined;
  if (TEST_POSTGRES_URL) {
    name = `parley_t_${randomBytes(8).toString('hex')}`;
    const created = name;
    await asAdmin((client) => client.query(`CREATE DATABASE ${pg.escapeIdentifier(created)}`));
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

/**
 * Runs one SQL statement straight on the database, bypassing Parley: a test playing someone with
 * SQL access (on PostgreSQL the superuser of PARLEY_TEST_POSTGRES_URL, who owns everything).
 */
export async function rawStatement(database: TestDatabase, text: string): Promise<void> {
  if (!database.databaseUrl) {
    const raw = new SQLite(join(database.dataDir, 'parley.sqlite'));
    try {
      raw.prepare(text).run();
    } finally {
      raw.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: database.databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}
