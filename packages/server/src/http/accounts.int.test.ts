/** Accounts over real HTTP: first-start setup, sign-in cookies, CSRF, who may create what, the admin CLI. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { SessionInfo } from '@parley/protocol';
import { startParley } from '../index.js';
import { createTestDatabase } from '../test-support/database.js';
import { joinAdmitted } from '../test-support/join.js';
import { TEST_PASSWORD, startTestServer, type TestServer } from '../test-support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

/** Signs in from a given loopback address (fetch cannot choose one); resolves with the HTTP status. */
function signInFrom(localAddress: string, email: string, password: string): Promise<number> {
  const body = JSON.stringify({ email, password });
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${server.url}/api/auth/sign-in`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const codeOf = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;

test('the setup link works once; afterwards setup is closed', async () => {
  const session = (await (await server.api('GET', '/api/session')).json()) as SessionInfo;
  assert.deepEqual(session, { user: null, csrfToken: null, setupRequired: false, authMethod: null, authProvider: null });
  const again = await server.api('POST', '/api/setup', { token: 'anything', email: 'eve@evil.test', displayName: 'Eve', password: 'long enough password' });
  assert.equal(again.status, 403);
});

test('sign-in sets an HttpOnly, SameSite session cookie; sign-out ends the session', async () => {
  const res = await server.api('POST', '/api/auth/sign-in', { email: 'ADMIN@parley.test', password: TEST_PASSWORD });
  assert.equal(res.status, 200);
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /parley_session=[A-Za-z0-9_-]{40,}/);
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, /SameSite=Lax/i);
  assert.doesNotMatch(cookie, /Secure/i, 'not Secure over plain HTTP on localhost');
  const info = (await res.json()) as SessionInfo;
  assert.equal(info.user?.orgRole, 'admin');
  const creds = { cookie: cookie.split(';')[0] ?? '', csrfToken: info.csrfToken ?? '', userId: info.user?.id ?? '', email: 'admin@parley.test' };
  const me = (await (await server.api('GET', '/api/session', undefined, creds)).json()) as SessionInfo;
  assert.equal(me.user?.email, 'admin@parley.test');

  assert.equal((await server.api('POST', '/api/auth/sign-out', {}, creds)).status, 200);
  const after = (await (await server.api('GET', '/api/session', undefined, creds)).json()) as SessionInfo;
  assert.equal(after.user, null);
  const create = await server.api('POST', '/api/meetings', {}, creds);
  assert.equal(create.status, 401, 'the old cookie no longer works');
});

test('CSRF: a signed-in state change needs the session token and our origin', async () => {
  const member = await server.createUser('csrf@parley.test');
  const noToken = await fetch(`${server.url}/api/meetings`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: member.cookie }, body: '{}' });
  assert.equal(noToken.status, 403);
  assert.equal(await codeOf(noToken), 'csrf');
  const badToken = await fetch(`${server.url}/api/meetings`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: member.cookie, 'x-csrf-token': 'x'.repeat(32) }, body: '{}' });
  assert.equal(badToken.status, 403);
  const crossSite = await fetch(`${server.url}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: member.cookie, 'x-csrf-token': member.csrfToken, origin: 'https://evil.example' },
    body: '{}',
  });
  assert.equal(crossSite.status, 403);
  assert.equal(await codeOf(crossSite), 'csrf');
  const ok = await fetch(`${server.url}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: member.cookie, 'x-csrf-token': member.csrfToken, origin: server.url },
    body: '{}',
  });
  assert.equal(ok.status, 201);
});

test('only signed-in members host meetings; only admins create accounts', async () => {
  assert.equal(await codeOf(await server.api('POST', '/api/meetings', {})), 'sign_in_required');
  const external = await server.createUser('partner@partner.test', 'external');
  assert.equal(await codeOf(await server.api('POST', '/api/meetings', {}, external)), 'forbidden');
  const member = await server.createUser('plain@parley.test');
  const res = await server.api('POST', '/api/users', { email: 'x@parley.test', displayName: 'X', password: 'long enough pw', orgRole: 'admin' }, member);
  assert.equal(await codeOf(res), 'forbidden');
});

test('a host-chosen passcode must be strong; a strong one works', async () => {
  for (const weak of ['short', 'aaaaaaaaaaaa', 'abcdefgh', 'password1', 'qwertyuiop', '12345678901234']) {
    const res = await server.api('POST', '/api/meetings', { passcode: weak }, server.admin);
    assert.equal(res.status, 400, weak);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'bad_request');
  }
  const meeting = await server.createMeeting({ passcode: 'Tr0mb0ne-42', settings: { lobby: false, joinBeforeHost: true } });
  assert.equal(meeting.passcode, 'Tr0mb0ne-42');
  const guest = await joinAdmitted(server, meeting, 'Guest');
  await guest.client.close();
});

test('the CLI creates the first administrator, who can then sign in', async () => {
  const database = await createTestDatabase('parley-cli-');
  const { dataDir, databaseUrl } = database;
  const cli = fileURLToPath(new URL('../cli.ts', import.meta.url));
  const migrate = spawnSync(process.execPath, ['--import', 'tsx', cli, 'migrate'], { env: { ...process.env, ...database.env }, encoding: 'utf8' });
  assert.equal(migrate.status, 0, migrate.stderr);
  assert.match(migrate.stdout, /The database schema is up to date\./);
  const run = spawnSync(process.execPath, ['--import', 'tsx', cli, 'create-admin', '--email', 'root@parley.test', '--name', 'Root'], {
    env: { ...process.env, ...database.env, PARLEY_PASSWORD: 'cli password 123' },
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /Created admin root@parley\.test/);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', cli, 'create-admin', '--email', 'not-an-email', '--name', 'X'], {
    env: { ...process.env, ...database.env, PARLEY_PASSWORD: 'cli password 123' },
    encoding: 'utf8',
  });
  assert.equal(bad.status, 2);
  const running = await startParley({ port: 0, host: '127.0.0.1', dataDir, databaseUrl, logLevel: 'silent' });
  try {
    assert.equal(running.setupUrl, undefined, 'no setup link once an admin exists');
    const res = await fetch(`${running.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'root@parley.test', password: 'cli password 123' }),
    });
    assert.equal(res.status, 200);
  } finally {
    await running.close();
    await database.drop();
  }
});

test('a guesser who knows an email does not lock its owner out: the owner signs in from another address (L1)', async () => {
  await server.createUser('owner@parley.test');
  // Twelve wrong passwords from three addresses: each address stays within its own free failures.
  for (const address of ['127.0.8.1', '127.0.8.3', '127.0.8.4']) {
    for (let i = 0; i < 4; i++) assert.equal(await signInFrom(address, 'owner@parley.test', `nope-${i}-xxxx`), 401);
  }
  const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => signInFrom('127.0.8.1', 'owner@parley.test', `burst-${i}-xxxx`)));
  assert.ok(burst.includes(429), 'the guesser is throttled');
  assert.equal(await signInFrom('127.0.8.2', 'owner@parley.test', TEST_PASSWORD), 200, 'the owner, from their own address, gets in');
});

// Last: it leaves this address throttled for sign-in.
test('wrong password and unknown email get the same error; repeated failures are throttled', async () => {
  const wrong = await server.api('POST', '/api/auth/sign-in', { email: 'admin@parley.test', password: 'wrong password!' });
  const unknown = await server.api('POST', '/api/auth/sign-in', { email: 'nobody@parley.test', password: 'wrong password!' });
  assert.equal(wrong.status, 401);
  assert.deepEqual(await wrong.json(), await unknown.json());
  // More from this address, then a burst: a few get turns (1, 3, 7 s away), the rest are refused.
  for (let i = 0; i < 4; i++) assert.equal(await signInFrom('127.0.0.1', 'admin@parley.test', `guess-${i}-xxxx`), 401);
  const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => signInFrom('127.0.0.1', 'admin@parley.test', `burst-${i}-xxxx`)));
  assert.ok(burst.includes(429), 'throttled after repeated failures from one address');
});
