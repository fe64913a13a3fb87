/**
 * A real coturn (Debian's `coturn` package) for the TURN tests, as a child process of the test, so
 * it lives in the test's network namespace (browser tests run in one of their own): it listens and relays on 127.0.0.1 only, speaks TURN over
 * UDP and TCP, and over TLS when `startCoturn({ tls: true })` (a certificate for `localhost` from a
 * throwaway CA; the test tells the browser to trust that one key), authenticates with the REST-API scheme (`use-auth-secret`) and logs every
 * request, from which `allocations()` reads the successful ALLOCATEs and their usernames.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
  /** The TURN-over-TLS port, when started with `tls`. */
  tlsPort?: number;
  /** base64 SHA-256 of coturn's certificate's public key (SPKI), when started with `tls`: what a browser is told to trust. */
  spkiSha256?: string;
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

function spkiSha256(pem: string): string {
  const spki = new X509Certificate(pem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('base64');
}

/** A throwaway CA and a certificate it signed for `localhost` (and 127.0.0.1), with openssl. */
async function throwawayCertificate(dir: string): Promise<{ cert: string; key: string; ca: string }> {
  const ca = join(dir, 'ca.pem');
  const caKey = join(dir, 'ca-key.pem');
  const key = join(dir, 'key.pem');
  const csr = join(dir, 'cert.csr');
  const cert = join(dir, 'cert.pem');
  const ext = join(dir, 'ext.cnf');
  await writeFile(ext, 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n');
  const openssl = (args: string[]): Promise<void> => new Promise((resolve, reject) => {
    const child = spawn('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`openssl ${args[0] ?? ''} failed: ${err}`))));
  });
  await openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', caKey, '-out', ca, '-days', '2', '-subj', '/CN=Parley test TURN CA']);
  await openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', '/CN=localhost']);
  await openssl(['x509', '-req', '-in', csr, '-CA', ca, '-CAkey', caKey, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', ext]);
  return { cert, key, ca };
}

/**
 * `ip`: the one address coturn listens and relays on, and the only peer it relays to (the test's media
 * server listens there too); 127.0.0.1 unless a test needs an address Firefox pairs with (not loopback).
 */
export async function startCoturn(options: { tls?: boolean; ip?: string } = {}): Promise<Coturn> {
  const ip = options.ip ?? '127.0.0.1';
  const dir = await mkdtemp(join(tmpdir(), 'parley-coturn-'));
  const port = await freePort();
  const tls = options.tls ? { ...(await throwawayCertificate(dir)), port: await freePort() } : undefined;
  const secret = randomBytes(24).toString('hex');
  const config = [
    `listening-ip=${ip}`,
    `relay-ip=${ip}`,
    `listening-port=${port}`,
    'use-auth-secret',
    `static-auth-secret=${secret}`,
    'realm=parley.test',
    // The media server is on 127.0.0.1 too: let the relay reach it (never in production), and only it,
    // as docs/operations.md recommends (an allowed peer wins over a denied range).
    'allow-loopback-peers',
    'denied-peer-ip=0.0.0.0-255.255.255.255',
    'denied-peer-ip=::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
    `allowed-peer-ip=${ip}`,
    'no-tcp-relay',
    'no-multicast-peers',
    'no-cli',
    ...(tls ? [`tls-listening-port=${tls.port}`, `cert=${tls.cert}`, `pkey=${tls.key}`, 'no-tlsv1', 'no-tlsv1_1'] : ['no-tls']),
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
  const listening = (): boolean => output.includes(`UDP listener opened on: ${ip}:${port}`) && output.includes(`TCP listener opened on : ${ip}:${port}`)
    && (!tls || output.includes(`TLS/TCP listener opened on : ${ip}:${tls.port}`));
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
    ...(tls ? { tlsPort: tls.port, spkiSha256: spkiSha256(await readFile(tls.cert, 'utf8')) } : {}),
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
