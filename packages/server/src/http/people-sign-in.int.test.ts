/**
 * The administrators' People list says how each account signs in: the last sign-in the audit log
 * recorded (time and method) and whether the account is linked to single sign-on; never-signed-in
 * accounts (created by an administrator, not yet used) are listed too, with nothing to show.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AdminUser, AdminUserResult, AdminUsersPage } from '@parley/protocol';
import { TEST_PASSWORD, startTestServer, type TestServer } from '../test-support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

async function listed(email: string): Promise<AdminUser | undefined> {
  const res = await server.api('GET', `/api/admin/users?q=${encodeURIComponent(email)}`, undefined, server.admin);
  assert.equal(res.status, 200);
  return ((await res.json()) as AdminUsersPage).users.find((u) => u.email === email);
}

test('an account is listed with its last sign-in and method; one never used is listed without', async () => {
  const before = Date.now();
  const signedIn = await server.createUser('sina@parley.test', 'member', 'Sina Signed');
  const created = await server.api('POST', '/api/users', { email: 'nora@parley.test', displayName: 'Nora Never', password: TEST_PASSWORD, orgRole: 'external' }, server.admin);
  assert.equal(created.status, 201);

  const sina = await listed('sina@parley.test');
  assert.ok(sina, 'a signed-in account is listed');
  assert.equal(sina.lastSignInMethod, 'password');
  assert.ok(sina.lastSignInAt !== null && sina.lastSignInAt >= before, JSON.stringify(sina));
  assert.equal(sina.sso, false);
  const nora = await listed('nora@parley.test');
  assert.ok(nora, 'an account nobody signed in with yet is listed');
  assert.deepEqual([nora.lastSignInAt, nora.lastSignInMethod, nora.sso], [null, null, false]);

  // A later sign-in is the last one.
  const again = Date.now();
  await server.signIn('sina@parley.test', TEST_PASSWORD);
  assert.ok(((await listed('sina@parley.test'))?.lastSignInAt ?? 0) >= again);

  // An action's answer carries the same facts (the list row keeps them after Disable).
  const res = await server.api('POST', `/api/admin/users/${signedIn.userId}/disable`, {}, server.admin);
  const result = (await res.json()) as AdminUserResult;
  assert.equal(result.user.lastSignInMethod, 'password');
  assert.equal(result.user.disabled, true);
});

test('an account linked to a single sign-on identity says so, and its provider sign-in is the last one', async () => {
  const olga = await server.createUser('olga@parley.test', 'member', 'Olga Sso');
  // Fixtures for what the provider flow records (tests/browser/sso.test.ts drives the real flow).
  const now = Date.now();
  await server.server.db.insertInto('user_identities').values({ issuer: 'https://idp.test', subject: 'olga-sub', user_id: olga.userId, email: 'olga@parley.test', created_at: now, last_used_at: now }).execute();
  await server.server.audit.append({ action: 'signin', actor: olga.userId, clientAddress: '127.0.0.1', details: { method: 'oidc', issuer: 'https://idp.test' } });
  const listedOlga = await listed('olga@parley.test');
  assert.equal(listedOlga?.sso, true);
  assert.equal(listedOlga?.lastSignInMethod, 'oidc');
});

test('the list, with these facts, is for administrators only: a member and a guest are refused', async () => {
  const member = await server.createUser('mona@parley.test', 'member', 'Mona Member');
  const asMember = await server.api('GET', '/api/admin/users', undefined, member);
  assert.equal(asMember.status, 403);
  const asGuest = await server.api('GET', '/api/admin/users');
  assert.equal(asGuest.status, 401);
  for (const res of [asMember, asGuest]) assert.doesNotMatch(await res.text(), /lastSignIn|@parley\.test/);
});
