/**
 * What the several-node test files share: they run only on PostgreSQL (config.ts refuses a cluster
 * on SQLite), and they speak HTTP to one node or another as a browser would.
 */
import { test } from 'node:test';
import { TEST_ENGINE } from './database.js';
import type { TestNode } from './cluster-nodes.js';
import { apiRequest, type Credentials } from './server.js';

/** False on PostgreSQL; on SQLite, why the file's tests skip. */
export const CLUSTER_SKIP: false | string = TEST_ENGINE === 'postgres' ? false : 'several nodes share PostgreSQL: this runs in the PostgreSQL pass (set PARLEY_TEST_POSTGRES_URL)';

/** A test that runs only where several nodes can (on PostgreSQL), and says why it skips elsewhere. */
export function clusterTest(name: string, fn: () => Promise<void>): void {
  void test(name, { skip: CLUSTER_SKIP }, fn);
}

/** A JSON request to one node, as `as` (with their CSRF token) or anonymously. */
export function nodeApi(node: TestNode, method: string, path: string, body?: unknown, as?: Credentials): Promise<Response> {
  return apiRequest(node.url, method, path, body, as);
}
