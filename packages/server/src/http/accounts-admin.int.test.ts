/**
 * Accounts administration over real HTTP and real sockets: search and paging, disable (sessions end
 * at once, the person is moved out of live meetings and cannot host their own), enable, reset
 * password, role changes, and the rules that keep an administrator in charge.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AdminUserResult, AdminUsersPage, ServerMessage } from '@parley/protocol';
import { joinAdmitted } from '../test-support/join.js';
import { TEST_PASSWORD, startTestServer, type Credentials, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const codeOf = async (res: Response): Promise<string> => ((await res.json()) as { error: { code: string } }).error.code;

async function page(query: string, as: Credentials = server.admin): Promise<AdminUsersPage> {
  const res = await server.api('GET', `/api/admin/users${query}`, undefined, as);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as AdminUsersPage;
}

async function auditOf(action: string, target: string): Promise<Record<string, unknown>[]> {
  const rows = await server.server.db.selectFrom('audit_events').select('details').where('action', '=', action).where('target', '=', target).execute();
  return rows.map((r) => JSON.parse(r.details) as Record<string, unknown>);
}

test('the list searches by email and name (literally), filters by role and status, and pages without repeats', async () => {
  for (let i = 0; i < 5; i++) await server.createUser(`pager${i}@parley.test`, 'member', `Pager Person ${i}`);
  await server.createUser('odd100@parley.test', 'external', 'Odd_100% Person');
  const first = await page('?q=pager&limit=2');
  assert.equal(first.users.length, 2);
  assert.ok(first.nextCursor);
  const second = await page(`?q=pager&limit=2&cursor=${encodeURIComponent(first.nextCursor)}`);
  const third = await page(`?q=pager&limit=2&cursor=${encodeURIComponent(second.nextCursor ?? '')}`);
  const emails = [...first.users, ...second.users, ...third.users].map((u) => u.email);
  assert.equal(new Set(emails).size, 5);
  assert.equal(third.nextCursor, null);
  assert.deepEqual((await page('?q=PAGER PERSON 3')).users.map((u) => u.email), ['pager3@parley.test']);
  // `%` and `_` are the user's text, not wildcards.
  assert.deepEqual((await page('?q=_100%25')).users.map((u) => u.email), ['odd100@parley.test']);
  assert.equal((await page('?q=o_d')).users.length, 0, '`_` is not a wildcard');
  assert.equal((await page('?q=%25%25')).users.length, 0);
  assert.ok((await page('?role=external')).users.every((u) => u.orgRole === 'external'));
  assert.ok((await page('?role=admin')).users.some((u) => u.email === server.admin.email));
  assert.equal(await codeOf(await server.api('GET', '/api/admin/users?limit=1000', undefined, server.admin)), 'bad_request');
  assert.equal(await codeOf(await server.api('GET', '/api/admin/users?cursor=nope', undefined, server.admin)), 'bad_request');
  assert.equal(await codeOf(await server.api('GET', '/api/admin/users?sort=email', undefined, server.admin)), 'bad_request');
});

test('disable ends every session at once, moves the person out of a running meeting, and keeps them from hosting their own', async () => {
  const host = await server.createUser('disable-me@parley.test', 'member', 'Dana Host');
  const second = await server.signIn('disable-me@parley.test', TEST_PASSWORD);
  // No lobby, so the guest is in at once; nobody before the host stays on.
  const meeting = await server.createMeeting({ host, settings: { lobby: false } });
  const dana = await joinAdmitted(server, meeting, 'Dana', host);
  assert.equal(dana.state.self.role, 'host');
  const guest = await joinAdmitted(server, meeting, 'Guest');

  const res = await server.api('POST', `/api/admin/users/${host.userId}/disable`, {}, server.admin);
  assert.equal(res.status, 200);
  const result = (await res.json()) as AdminUserResult;
  assert.equal(result.user.disabled, true);
  assert.equal(result.sessionsEnded, 2);
  assert.equal(result.disconnected, 1);

  const bye = await dana.client.waitFor<Extract<ServerMessage, { type: 'bye' }>>((m) => m.type === 'bye', 10_000, 0);
  assert.equal(bye.reason, 'account-disabled');
  await dana.client.closed();
  await guest.client.waitFor((m) => m.type === 'participantLeft' && m.participantId === dana.state.self.id, 10_000, 0);

  // Both old cookies are signed out.
  for (const creds of [host, second]) {
    const session = (await (await server.api('GET', '/api/session', undefined, creds)).json()) as { user: unknown };
    assert.equal(session.user, null);
    assert.equal((await server.api('POST', '/api/meetings', {}, creds)).status, 401);
  }
  // The password no longer signs in.
  await assert.rejects(server.signIn('disable-me@parley.test', TEST_PASSWORD), (e: { status?: number }) => e.status === 401);
  // With the old cookie they are a stranger to their own meeting: no host rights, they wait like a guest.
  const again = await TestClient.ready(server.wsUrl, { cookie: host.cookie });
  const joined = await again.request('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Dana again' });
  assert.equal(joined.status, 'waiting');
  await again.close();

  const audit = await auditOf('account.disabled', host.userId);
  assert.equal(audit.length, 1);
  assert.deepEqual(audit[0]?.before, { orgRole: 'member', disabled: false });
  assert.deepEqual(audit[0]?.after, { orgRole: 'member', disabled: true });
  assert.ok((await server.server.db.selectFrom('audit_events').select('action').where('meeting_id', '=', meeting.id).where('action', '=', 'participant.moved-out').execute()).length === 1);

  // Enabled again: they sign in and host as before.
  const enabled = await server.api('POST', `/api/admin/users/${host.userId}/enable`, {}, server.admin);
  assert.equal(((await enabled.json()) as AdminUserResult).user.disabled, false);
  const back = await server.signIn('disable-me@parley.test', TEST_PASSWORD);
  const hostAgain = await joinAdmitted(server, meeting, 'Dana', back);
  assert.equal(hostAgain.state.self.role, 'host');
  await Promise.all([hostAgain.client.close(), guest.client.close()]);
});

test('a socket that said hello but has not joined is closed too when its account is disabled', async () => {
  const user = await server.createUser('idle-socket@parley.test');
  const idle = await TestClient.ready(server.wsUrl, { cookie: user.cookie });
  assert.equal((await server.api('POST', `/api/admin/users/${user.userId}/disable`, {}, server.admin)).status, 200);
  const bye = await idle.waitFor<Extract<ServerMessage, { type: 'bye' }>>((m) => m.type === 'bye', 10_000, 0);
  assert.equal(bye.reason, 'account-disabled');
  await idle.closed();
});

test('an administrator cannot disable or demote themself; two admins demoting each other leave one admin', async () => {
  assert.equal(await codeOf(await server.api('POST', `/api/admin/users/${server.admin.userId}/disable`, {}, server.admin)), 'forbidden');
  assert.equal(await codeOf(await server.api('POST', `/api/admin/users/${server.admin.userId}/role`, { orgRole: 'member' }, server.admin)), 'forbidden');
  assert.ok((await auditOf('account.disabled-refused', server.admin.userId)).length >= 1);

  // A separate server, so the organization has exactly two administrators.
  const fresh = await startTestServer();
  try {
    const other = await fresh.createUser('second-admin@parley.test', 'admin');
    const [a, b] = await Promise.all([
      fresh.api('POST', `/api/admin/users/${other.userId}/role`, { orgRole: 'member' }, fresh.admin),
      fresh.api('POST', `/api/admin/users/${fresh.admin.userId}/role`, { orgRole: 'member' }, other),
    ]);
    const statuses = [a.status, b.status];
    // Whoever was demoted first is no longer an administrator when the other request is checked.
    assert.ok(statuses.includes(200), `one demotion succeeds: ${statuses.join(', ')}`);
    assert.ok(statuses.some((s) => s === 403), `one is refused: ${statuses.join(', ')}`);
    const admins = await fresh.server.db.selectFrom('users').select('id').where('org_role', '=', 'admin').where('disabled', '=', 0).execute();
    assert.equal(admins.length, 1);
  } finally {
    await fresh.close();
  }
});

test('an administrator may disable another; the one left cannot then be disabled or demoted', async () => {
  const fresh = await startTestServer();
  try {
    const other = await fresh.createUser('other-admin@parley.test', 'admin');
    // Two admins: disabling the other is allowed; then the remaining one is the last.
    assert.equal((await fresh.api('POST', `/api/admin/users/${other.userId}/disable`, {}, fresh.admin)).status, 200);
    assert.equal((await fresh.api('POST', `/api/admin/users/${other.userId}/enable`, {}, fresh.admin)).status, 200);
    const otherSession = await fresh.signIn('other-admin@parley.test', TEST_PASSWORD);
    assert.equal((await fresh.api('POST', `/api/admin/users/${fresh.admin.userId}/disable`, {}, otherSession)).status, 200);
    // The other admin is now the last active one: nobody can take that away (self included).
    assert.equal(await codeOf(await fresh.api('POST', `/api/admin/users/${other.userId}/role`, { orgRole: 'member' }, otherSession)), 'forbidden');
    assert.equal(await codeOf(await fresh.api('POST', `/api/admin/users/${other.userId}/disable`, {}, otherSession)), 'forbidden');
  } finally {
    await fresh.close();
  }
});

test('reset password: the new one works, the old one and every old session do not; weak ones are refused', async () => {
  const user = await server.createUser('reset-me@parley.test');
  assert.equal(await codeOf(await server.api('POST', `/api/admin/users/${user.userId}/reset-password`, { password: 'short' }, server.admin)), 'bad_request');
  const res = await server.api('POST', `/api/admin/users/${user.userId}/reset-password`, { password: 'a brand new initial passphrase' }, server.admin);
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as AdminUserResult).sessionsEnded, 1);
  assert.equal(((await (await server.api('GET', '/api/session', undefined, user)).json()) as { user: unknown }).user, null);
  await assert.rejects(server.signIn('reset-me@parley.test', TEST_PASSWORD), (e: { status?: number }) => e.status === 401);
  const signedIn = await server.signIn('reset-me@parley.test', 'a brand new initial passphrase');
  assert.equal(signedIn.userId, user.userId);
  const audit = await auditOf('account.password-reset', user.userId);
  assert.equal(audit.length, 1);
  assert.ok(!JSON.stringify(audit).includes('brand new'), 'the password is never audited');
  assert.equal(await codeOf(await server.api('POST', '/api/admin/users/nobody-here/reset-password', { password: 'a brand new initial passphrase' }, server.admin)), 'not_found');
});

test('change role: a member made administrator gets the console; audited before and after', async () => {
  const user = await server.createUser('promote-me@parley.test');
  assert.equal((await server.api('GET', '/api/admin/users', undefined, user)).status, 403);
  const res = await server.api('POST', `/api/admin/users/${user.userId}/role`, { orgRole: 'admin' }, server.admin);
  assert.equal(((await res.json()) as AdminUserResult).user.orgRole, 'admin');
  assert.equal((await server.api('GET', '/api/admin/users', undefined, user)).status, 200);
  const audit = await auditOf('account.role-changed', user.userId);
  assert.deepEqual(audit[0]?.before, { orgRole: 'member', disabled: false });
  assert.deepEqual(audit[0]?.after, { orgRole: 'admin', disabled: false });
  assert.equal(await codeOf(await server.api('POST', `/api/admin/users/${user.userId}/role`, { orgRole: 'owner' }, server.admin)), 'bad_request');
  // Back to member: the console closes again.
  await server.api('POST', `/api/admin/users/${user.userId}/role`, { orgRole: 'member' }, server.admin);
  assert.equal((await server.api('GET', '/api/admin/users', undefined, user)).status, 403);
});
