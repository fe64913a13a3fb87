/**
 * A real coturn (Debian's `coturn` package) for the TURN tests, as a child process of the test, so
 * it lives in the test's network namespace (browser tests run in one of their own): it listens and relays on 127.0.0.1 only, speaks TURN over
 * UDP and TCP (no TLS), authenticates with the REST-API scheme (`use-auth-secret`) and logs every
 * request, from which `allocations()` reads the successful ALLOCATEs and their usernames.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TURNSERVER = process.env.PARLEY_TURNSERVER ?? '/usr/bin/turnserver';
/** coturn's test client, from the same package. */
export const TURN_CLIENT = process.env.PARLEY_TURN_CLIENT ?? '/usr/bin/turnutils_uclient';

/**
 * For node:test's `skip`: a loud reason when coturn is not installed outside CI; in CI (CI=true) the
 * tests run and fail instead, as .ci/run installs it.
 */
export const SKIP_WITHOUT_COTURN: string | false =
  process.env.CI !== 'true' && !(existsSync(TURNSERVER) && existsSync(TURN_CLIENT)) ? `!!! coturn not installed (apt-get install -y coturn): ${TURNSERVER} missing` : false;

export interface Coturn {
  port: number;
  secret: string;
  /** Usernames of the successful allocations so far, in order. */
  allocations(): string[];
  log(): string;
  close(): Promise<void>;
}

/** A TCP port free on 127.0.0.1 now (coturn takes the same number for UDP). */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export async function startCoturn(): Promise<Coturn> {
  const dir = await mkdtemp(join(tmpdir(), 'parley-coturn-'));
  const port = await freePort();
  const secret = randomBytes(24).toString('hex');
  const config = [
    'listening-ip=127.0.0.1',
    'relay-ip=127.0.0.1',
    `listening-port=${port}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    'realm=parley.test',
    // The media server is on 127.0.0.1 too: let the relay reach it (never in production), and only it,
    // as docs/operations.md recommends (an allowed peer wins over a denied range).
    'allow-loopback-peers',
    'denied-peer-ip=0.0.0.0-255.255.255.255',
    'denied-peer-ip=::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    'allowed-peer-ip=127.0.0.1',
    'no-tcp-relay',
    'no-multicast-peers',
    'no-cli',
    'no-tls',
    'no-dtls',
    'fingerprint',
    'no-software-attribute',
    'log-file=stdout',
    'simple-log',
    'verbose',
    `pidfile=${join(dir, 'turnserver.pid')}`,
    `userdb=${join(dir, 'turndb')}`,
  ].join('\n');
  const file = join(dir, 'turnserver.conf');
  await writeFile(file, `${config}\n`, { mode: 0o600 });
  const child: ChildProcess = spawn(TURNSERVER, ['-c', file], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  let exited = false;
  child.once('exit', () => (exited = true));
  const listening = (): boolean => output.includes(`UDP listener opened on: 127.0.0.1:${port}`) && output.includes(`TCP listener opened on : 127.0.0.1:${port}`);
  const deadline = Date.now() + 20_000;
  while (!listening()) {
    if (exited || Date.now() > deadline) {
      child.kill('SIGTERM');
      throw new Error(`coturn did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    secret,
    allocations: () => [...output.matchAll(/user <([^>]*)>: incoming packet ALLOCATE processed, success/g)].map((m) => m[1] ?? ''),
    log: () => output,
    async close() {
      if (!exited) {
        const gone = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await gone;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Whether coturn grants an allocation to `username` / `credential` (coturn's own test client, one
 * client sending one message to itself through its relay), over UDP or TCP.
 */
export async function coturnAllocates(coturn: Pick<Coturn, 'port'>, username: string, credential: string, transport: 'udp' | 'tcp' = 'udp'): Promise<boolean> {
  const args = ['-p', String(coturn.port), '-u', username, '-w', credential, '-n', '1', '-m', '1', '-y', '-c', ...(transport === 'tcp' ? ['-t'] : []), '127.0.0.1'];
  return new Promise((resolve, reject) => {
    const child = spawn(TURN_CLIENT, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code === 0));
  });
}
