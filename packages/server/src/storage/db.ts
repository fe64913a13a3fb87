/**
 * Opens the database and brings its schema up to date: the embedded SQLite file under the data
 * directory (the default), or PostgreSQL when PARLEY_DATABASE_URL names one (storage/postgres.ts).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type MigrationProvider } from 'kysely';
import { engineOf, PostgresDdl } from './dialect.js';
import { migrations } from './migrations.js';
import { openPostgres } from './postgres.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

function openSqlite(dataDir: string): Db {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const sqlite = new SQLite(join(dataDir, 'parley.sqlite'));
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
}

/** Connects without touching the schema: `databaseUrl` (a postgres:// URL, checked by the config) selects PostgreSQL; otherwise SQLite in `dataDir`. */
export async function connectDatabase(dataDir: string, databaseUrl?: string): Promise<Db> {
  return databaseUrl ? openPostgres(databaseUrl) : openSqlite(dataDir);
}

/** Applies the migrations up to `target` (default: all); on failure closes `db` and throws. */
export async function migrateDatabase(db: Db, target?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations) };
  // On PostgreSQL the migrations' schema-builder DDL is adapted (storage/dialect.ts); SQLite runs it as written.
  const migrator = new Migrator({ db: engineOf(db) === 'postgres' ? db.withPlugin(new PostgresDdl()) : db, provider });
  const { error, results } = target ? await migrator.migrateTo(target) : await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    await db.destroy();
    throw new Error(`database migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
}

/** The database, its schema up to date. */
export async function openDatabase(dataDir: string, databaseUrl?: string): Promise<Db> {
  const db = await connectDatabase(dataDir, databaseUrl);
  await migrateDatabase(db);
  return db;
}
