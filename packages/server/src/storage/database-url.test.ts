/** PARLEY_DATABASE_URL: only PostgreSQL URLs start, and a URL is never shown with its password. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromEnv, resolveConfig } from '../config.js';
import { isPostgresUrl, redactDatabaseUrl } from './database-url.js';

test('postgres:// and postgresql:// URLs are accepted; anything else stops the start with a clear message', () => {
  assert.equal(isPostgresUrl('postgres://parley:pw@db.example:5432/parley'), true);
  assert.equal(isPostgresUrl('postgresql://parley@localhost/parley?sslmode=verify-full'), true);
  assert.equal(resolveConfig(configFromEnv({ PARLEY_DATABASE_URL: 'postgres://parley:pw@db.example/parley' })).databaseUrl, 'postgres://parley:pw@db.example/parley');
  assert.equal(resolveConfig(configFromEnv({ PARLEY_DATABASE_URL: '' })).databaseUrl, undefined, 'empty: the embedded SQLite');
  for (const bad of ['mysql://parley:s3cret-pw@db/parley', 'sqlite:///var/lib/parley.sqlite', 'db.example:5432', 'http://parley:s3cret-pw@db/']) {
    assert.throws(
      () => resolveConfig(configFromEnv({ PARLEY_DATABASE_URL: bad })),
      (err: Error) => err.message.includes('PARLEY_DATABASE_URL must be a postgres:// or postgresql:// URL') && !err.message.includes('s3cret-pw'),
      bad,
    );
  }
});

test('the URL as logged leaves out the password and the query', () => {
  assert.equal(redactDatabaseUrl('postgres://parley:s3cret-pw@db.example:5432/parley?password=other'), 'postgres://parley@db.example:5432/parley');
  assert.equal(redactDatabaseUrl('postgresql://db.example/parley'), 'postgresql://db.example/parley');
  assert.equal(redactDatabaseUrl('not a url s3cret-pw'), '(not a URL)');
});
