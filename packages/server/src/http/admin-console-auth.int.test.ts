/** Every route of the administrators' console refuses a member (403) and a guest without a session (401). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { startTestServer, type Credentials, type TestServer } from '../test-support/server.js';
import { generateSbom } from '../test-support/sbom.js';

let server: TestServer;
let member: Credentials;
let target: Credentials;
let sbomDir: string;
before(async () => {
  sbomDir = mkdtempSync(join(tmpdir(), 'parley-sbom-'));
  generateSbom(join(sbomDir, 'sbom.json'));
  server = await startTestServer({ sbomPath: join(sbomDir, 'sbom.json') });
  member = await server.createUser('member@parley.test');
  target = await server.createUser('target@parley.test');
});
after(async () => {
  await server.close();
  rmSync(sbomDir, { recursive: true, force: true });
});

const codeOf = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;

/** [method, path, body, the status an administrator gets] */
function routes(): [string, string, object | undefined, number][] {
  return [
    ['GET', '/api/admin/users', undefined, 200],
    ['POST', `/api/admin/users/${target.userId}/disable`, {}, 200],
    ['POST', `/api/admin/users/${target.userId}/enable`, {}, 200],
    ['POST', `/api/admin/users/${target.userId}/reset-password`, { password: 'another long passphrase' }, 200],
    ['POST', `/api/admin/users/${target.userId}/role`, { orgRole: 'external' }, 200],
    ['GET', '/api/admin/reports', undefined, 200],
    ['GET', '/api/admin/reports?status=closed', undefined, 200],
    ['POST', '/api/admin/reports/no-such-report/close', { resolution: 'x' }, 404],
    ['GET', '/api/admin/posture', undefined, 200],
    ['GET', '/api/admin/sbom', undefined, 200],
  ];
}

test('a guest (no session) is refused with 401 on every console route and on /api/about', async () => {
  for (const [method, path, body] of [...routes(), ['GET', '/api/about', undefined, 200] as const]) {
    const res = await server.api(method, path, body);
    assert.equal(res.status, 401, `${method} ${path}`);
    assert.equal(await codeOf(res), 'sign_in_required', `${method} ${path}`);
  }
});

test('a member is refused with 403 on every console route, and changes nothing', async () => {
  for (const [method, path, body] of routes()) {
    const res = await server.api(method, path, body, member);
    assert.equal(res.status, 403, `${method} ${path}`);
    assert.equal(await codeOf(res), 'forbidden', `${method} ${path}`);
  }
  const row = await server.server.db.selectFrom('users').selectAll().where('id', '=', target.userId).executeTakeFirstOrThrow();
  assert.equal(row.disabled, 0);
  assert.equal(row.org_role, 'member');
});

test('an external account is refused too', async () => {
  const external = await server.createUser('outsider@parley.test', 'external');
  for (const [method, path, body] of routes()) assert.equal((await server.api(method, path, body, external)).status, 403, `${method} ${path}`);
});

test('an administrator is served on every console route', async () => {
  for (const [method, path, body, status] of routes()) {
    const res = await server.api(method, path, body, server.admin);
    assert.equal(res.status, status, `${method} ${path}: ${await res.text()}`);
  }
});

test('a console POST from another site is refused (CSRF), even for an administrator', async () => {
  const res = await fetch(`${server.url}/api/admin/users/${target.userId}/disable`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: server.admin.cookie, 'x-csrf-token': server.admin.csrfToken, origin: 'https://evil.example' },
    body: '{}',
  });
  assert.equal(res.status, 403);
  assert.equal(await codeOf(res), 'csrf');
  const noToken = await fetch(`${server.url}/api/admin/users/${target.userId}/disable`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: server.admin.cookie }, body: '{}' });
  assert.equal(await codeOf(noToken), 'csrf');
});
