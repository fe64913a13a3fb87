/**
 * Checkpoints pushed off the box to an HTTPS receiver, with a real server process: the receiver
 * (here, in the test) trusts nothing but the signature under the public key the CLI prints. The
 * first POST is refused, so the checkpoint must come again with the next one; a clean shutdown signs
 * a last checkpoint over everything appended.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Checkpoint } from './chain.js';
import { signatureProblem } from './signing.js';
import { createTestDatabase, type TestDatabase } from '../test-support/database.js';
import { eventually } from '../test-support/media-peer.js';

const SRC = fileURLToPath(new URL('..', import.meta.url));
const PASSWORD = 'correct horse battery staple';

describe('checkpoints POSTed to PARLEY_AUDIT_CHECKPOINT_URL', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-push-'));
  let database: TestDatabase;
  const received: Checkpoint[] = [];
  let posts = 0;
  let https: Server;
  let child: ChildProcess | undefined;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    database = await createTestDatabase('parley-push-');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ed25519', '-nodes', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    https = createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts += 1;
        if (posts === 1) {
          res.writeHead(503).end();
          return;
        }
        received.push(JSON.parse(body) as Checkpoint);
        res.writeHead(204).end();
      });
    });
    https.listen(0, '127.0.0.1');
    await once(https, 'listening');
    const address = https.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    env = { ...process.env, ...database.env, PARLEY_AUDIT_CHECKPOINT_URL: `https://127.0.0.1:${port}/checkpoints`, NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem'), PARLEY_PASSWORD: PASSWORD };
  });
  after(async () => {
    child?.kill('SIGKILL');
    https.close();
    rmSync(dir, { recursive: true, force: true });
    await database.drop();
  });

  it('retries a refused checkpoint with the next one, and signs one at clean shutdown', async () => {
    // An event from the shell, before the server ever ran: the server checkpoints it when it starts.
    execFileSync(process.execPath, ['--import', 'tsx', join(SRC, 'cli.ts'), 'create-admin', '--email', 'ada@parley.test', '--name', 'Ada'], { env, stdio: 'ignore' });
    child = spawn(process.execPath, ['--import', 'tsx', join(SRC, 'main.ts')], { env: { ...env, PORT: '0', PARLEY_LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    await eventually(() => /running at (http:\/\/\S+)/.test(out), 'the server running', 60_000);
    const url = /running at (http:\/\/[^\s"]+)/.exec(out)?.[1] ?? '';
    await eventually(() => posts >= 1, 'the first (refused) POST', 60_000);
    assert.equal(received.length, 0);

    const res = await fetch(`${url}/api/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json', origin: url }, body: JSON.stringify({ email: 'ada@parley.test', password: PASSWORD }) });
    assert.equal(res.status, 200);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const [code] = (await exited) as [number];
    assert.equal(code, 0);

    // The refused one came again, then the shutdown one over both events.
    assert.deepEqual(received.map((c) => c.treeSize), [1, 2]);
    const publicKey = createPublicKey(execFileSync(process.execPath, ['--import', 'tsx', join(SRC, 'cli.ts'), 'audit', 'public-key'], { env }).toString());
    for (const checkpoint of received) assert.equal(signatureProblem(checkpoint, publicKey), undefined);
    const verify = execFileSync(process.execPath, ['--import', 'tsx', join(SRC, 'cli.ts'), 'audit', 'verify'], { env }).toString();
    assert.match(verify, /^audit log OK: 2 records/);
  });
});
