/**
 * PostgreSQL (PARLEY_DATABASE_URL): Kysely's PostgreSQL dialect over a `pg` pool. The code above
 * sees the same types as on SQLite: BIGINT (epoch milliseconds, counts) comes back as a JS number,
 * and a value that a number cannot hold exactly is an error rather than a silently rounded number.
 */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { redactDatabaseUrl } from './database-url.js';
import type { Database } from './schema.js';

const INT8 = 20;

/** int8 text as a number; refuses what is not a safe integer (above 2^53 a double rounds). */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} does not fit a JavaScript number exactly`);
  return value;
}

/** The pool's own type parsers (pg's global ones are left alone). */
function typeOverrides(): pg.TypeOverrides {
  const types = new pg.TypeOverrides();
  types.setTypeParser(INT8, parseInt8);
  return types;
}

export function postgresPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, types: typeOverrides(), max, application_name: 'parley' });
  // An idle client losing its connection (server restart) must not crash the process; the next
  // query gets a fresh connection or a clear error.
  pool.on('error', () => undefined);
  return pool;
}

export async function openPostgres(url: string): Promise<Kysely<Database>> {
  const pool = postgresPool(url);
  try {
    const client = await pool.connect();
    client.release();
  } catch (err) {
    await pool.end();
    // pg's messages name the user and host at most, never the password; the URL is shown redacted.
    throw new Error(`cannot connect to PostgreSQL at ${redactDatabaseUrl(url)}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
