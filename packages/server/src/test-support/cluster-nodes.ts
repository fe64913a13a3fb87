/**
 * Several real Parley processes sharing one Redis and one database, for the cluster tests: a
 * throwaway redis-server (Debian's, on 127.0.0.1, no persistence), and nodes started from main.ts
 * with PARLEY_REDIS_URL, PARLEY_NODE_ID/URL and a cluster secret, each killed at the end.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits for `pattern` on the child's stdout (or fails if it exits first); resolves with the match. */
function awaitOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${what}: not ready in time: ${out.slice(-2000)}`)), timeoutMs);
    const onData = (chunk: Buffer): void => {
      out += chunk.toString();
      const match = pattern.exec(out);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited early (${code}): ${out.slice(-2000)}`));
    });
  });
}

/** Polls GET /api/health until the node answers (or fails if it exits first). */
async function untilHealthy(url: string, child: ChildProcess, name: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`node ${name} exited early (${child.exitCode})`);
    const ok = await fetch(`${url}/api/health`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`node ${name}: not ready in time`);
}

export interface TestRedis {
  readonly url: string;
  stop(): Promise<void>;
}

/** A fresh redis-server (`port`: again on the port of one that was stopped). */
export async function startRedis(port?: number): Promise<TestRedis & { port: number }> {
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  await awaitOutput(child, /Ready to accept connections/, 'redis-server');
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopChild(child),
  };
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}

export interface TestNode {
  readonly name: string;
  readonly url: string;
  readonly wsUrl: string;
  /** The first-administrator link, if this node printed one (a fresh database). */
  readonly setupToken: string | undefined;
  /** kill -9: no goodbye, no lease given up. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** One cluster: its Redis, its secret, and how the nodes find the database (`database`: env for it). */
export interface TestClusterConfig {
  redisUrl: string;
  secret: string;
  database: Record<string, string>;
}

export function clusterSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Starts a node; `fresh`: the database has no accounts yet, so wait for the first-administrator link. */
export async function startNode(name: string, cluster: TestClusterConfig, options: { fresh?: boolean; env?: Record<string, string> } = {}): Promise<TestNode> {
  const port = await freePort();
  const main = fileURLToPath(new URL('../main.ts', import.meta.url));
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PARLEY_LOG_LEVEL: process.env.PARLEY_TEST_NODE_LOG ?? 'warn',
      PARLEY_MEDIA_WORKERS: '1',
      PARLEY_RESUME_SECONDS: '60',
      PARLEY_REDIS_URL: cluster.redisUrl,
      PARLEY_NODE_ID: name,
      PARLEY_NODE_URL: url,
      PARLEY_CLUSTER_SECRET: cluster.secret,
      ...cluster.database,
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (process.env.PARLEY_TEST_NODE_LOG) {
    child.stdout?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
    child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  }
  let token: string | undefined;
  try {
    if (options.fresh) token = (await awaitOutput(child, /\/setup#token=([A-Za-z0-9_-]+)/, `node ${name}`))[1];
    else await untilHealthy(url, child, name);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    name,
    url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    setupToken: token,
    kill: () => stopChild(child, 'SIGKILL'),
    stop: () => stopChild(child, 'SIGTERM'),
  };
}
