/** Cluster configuration: all of it or none of it, and nothing weak. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configFromEnv, resolveConfig } from '../config.js';

const SECRET = 'x'.repeat(32);
const PG = 'postgres://parley@db.internal/parley';

test('PARLEY_REDIS_URL needs PARLEY_NODE_URL, PARLEY_CLUSTER_SECRET and PostgreSQL; they need it', () => {
  assert.throws(() => resolveConfig({ redisUrl: 'redis://127.0.0.1:6379' }), /PARLEY_NODE_URL and PARLEY_CLUSTER_SECRET/);
  assert.throws(() => resolveConfig({ redisUrl: 'redis://127.0.0.1:6379', nodeUrl: 'http://10.0.0.1:8080', clusterSecret: SECRET }), /set PARLEY_DATABASE_URL/, 'no SQLite file shared by nodes');
  assert.throws(() => resolveConfig({ redisUrl: 'redis://127.0.0.1:6379', nodeUrl: 'http://10.0.0.1:8080' }), /PARLEY_NODE_URL and PARLEY_CLUSTER_SECRET/);
  assert.throws(() => resolveConfig({ nodeUrl: 'http://10.0.0.1:8080', clusterSecret: SECRET }), /set PARLEY_REDIS_URL too/);
  const config = resolveConfig(configFromEnv({ PARLEY_REDIS_URL: 'rediss://u:p@redis.internal:6380/0', PARLEY_NODE_ID: 'node-1', PARLEY_NODE_URL: 'https://10.0.0.1:8443', PARLEY_CLUSTER_SECRET: SECRET, PARLEY_DATABASE_URL: PG }));
  assert.equal(config.nodeId, 'node-1');
  assert.equal(config.redisUrl, 'rediss://u:p@redis.internal:6380/0');
});

test('a short secret, a foreign URL scheme or a bad node name is refused', () => {
  const base = { redisUrl: 'redis://127.0.0.1:6379', nodeUrl: 'http://10.0.0.1:8080', clusterSecret: SECRET, databaseUrl: PG };
  assert.throws(() => resolveConfig({ ...base, clusterSecret: 'short' }), /at least 32/);
  assert.throws(() => resolveConfig({ ...base, redisUrl: 'http://127.0.0.1:6379' }), /redis:\/\/ or rediss:\/\//);
  assert.throws(() => resolveConfig({ ...base, nodeUrl: 'ftp://10.0.0.1' }), /http:\/\/ or https:\/\//);
  assert.throws(() => resolveConfig({ ...base, nodeId: 'a b' }), /PARLEY_NODE_ID/);
  assert.equal(resolveConfig({}).redisUrl, undefined, 'unset: one node');
});
