/**
 * Single sign-on against a real OpenID Provider (panva's oidc-provider) in its own process on
 * 127.0.0.1, driven by a cookie-jar browser in Node: success, and every failure refused with a
 * coded reason, no session, and an audit event.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AuthProviders, SessionInfo } from '@parley/protocol';
import { startTestServer, TEST_PASSWORD, type TestServer } from '../test-support/server.js';
import { startOidcProvider, type TestProvider } from '../test-support/oidc-provider/start.js';
import { locationOf, NodeBrowser, signInAtProvider, throughProvider } from '../test-support/oidc-provider/browser.js';
import type { TestLogin } from '../test-support/oidc-provider/accounts.js';

let provider: TestProvider;
let server: TestServer;

before(async () => {
  provider = await startOidcProvider();
  server = await startTestServer({
    oidcIssuer: provider.issuer,
    oidcClientId: provider.clientId,
    oidcClientSecret: provider.clientSecret,
    oidcName: 'Test IdP',
    mediaWorkers: 1,
  });
});

after(async () => {
  await server?.close();
  await provider?.close();
});

async function sessionOf(browser: NodeBrowser): Promise<SessionInfo> {
  const res = await fetch(`${server.url}/api/session`, { headers: browser.sessionCookie() ? { cookie: browser.sessionCookie() ?? '' } : {} });
  return SessionInfo.parse(await res.json());
}

async function auditSince(seq: number, action: string): Promise<{ actor: string | null; target: string | null; details: Record<string, unknown> }[]> {
  const rows = await server.server.db
    .selectFrom('audit_events')
    .select(['actor', 'target', 'details'])
    .where('seq', '>', seq)
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ actor: r.actor, target: r.target, details: JSON.parse(r.details) as Record<string, unknown> }));
}

async function lastSeq(): Promise<number> {
  const row = await server.server.db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).executeTakeFirst();
  return Number(row?.seq ?? 0);
}

async function setPolicy(patch: { localPasswords?: boolean; ssoCreatesAccounts?: boolean }): Promise<void> {
  await server.server.policy.update({ ...server.server.policy.current(), ...patch }, { actor: server.admin.userId, clientAddress: null });
}

/** Visits the callback and expects the sign-in page with the coded failure, no session, and the failure audited. */
async function sessionRows(): Promise<number> {
  const row = await server.server.db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function expectRefused(browser: NodeBrowser, callbackUrl: string, since: number, reason: string, check: RegExp): Promise<void> {
  const sessionsBefore = await sessionRows();
  const res = await browser.request(callbackUrl);
  assert.equal(await sessionRows(), sessionsBefore, 'no session created');
  assert.equal(res.status, 302);
  const to = new URL(locationOf(res, server.url));
  assert.equal(to.pathname, '/signin');
  assert.equal(to.searchParams.get('error'), 'sso_failed');
  assert.equal(to.searchParams.get('reason'), reason);
  assert.equal(browser.cookie('parley_session'), undefined, 'no session cookie');
  assert.equal((await sessionOf(browser)).user, null);
  const failures = await auditSince(since, 'auth.oidc.failed');
  assert.equal(failures.length, 1, 'one failure audited');
  assert.equal(failures[0]?.details.reason, reason);
  assert.match(String(failures[0]?.details.check), check);
  assert.doesNotMatch(JSON.stringify(failures[0]), /eyJ/, 'no token in the audit log');
}

async function usersWithEmail(email: string): Promise<{ id: string; org_role: string }[]> {
  return server.server.db.selectFrom('users').select(['id', 'org_role']).where('email', '=', email).execute();
}

async function signInSucceeds(login: TestLogin, next?: string): Promise<{ browser: NodeBrowser; info: SessionInfo; location: string }> {
  const browser = new NodeBrowser();
  const res = await browser.request(await signInAtProvider(browser, server.url, login, next));
  assert.equal(res.status, 302);
  const info = await sessionOf(browser);
  assert.ok(info.user, `${login} is signed in`);
  return { browser, info, location: new URL(locationOf(res, server.url)).pathname };
}

test('the sign-in page learns that single sign-on is configured, its name, and whether passwords are on', async () => {
  const res = await server.api('GET', '/api/auth/providers');
  assert.equal(res.status, 200);
  assert.deepEqual(AuthProviders.parse(await res.json()), { sso: { name: 'Test IdP' }, localPasswords: true });
});

test('a first single sign-on creates a linked member account; the next one reuses it', async () => {
  const since = await lastSeq();
  const first = await signInSucceeds('alice', '/about');
  assert.equal(first.location, '/about', 'back where the person was going');
  assert.equal(first.info.user?.email, 'alice@example.test');
  assert.equal(first.info.user?.displayName, 'Alice Example');
  assert.equal(first.info.user?.orgRole, 'member');
  assert.equal(first.info.authMethod, 'oidc');
  assert.equal(first.info.authProvider, 'Test IdP');
  assert.ok(first.info.csrfToken, 'the same CSRF token as a password session');
  const identities = await server.server.db.selectFrom('user_identities').selectAll().where('user_id', '=', first.info.user.id).execute();
  assert.deepEqual(
    identities.map((i) => [i.issuer, i.subject]),
    [[provider.issuer, 'alice']],
  );
  const created = await auditSince(since, 'account.created');
  assert.equal(created[0]?.target, first.info.user.id);
  assert.equal(created[0]?.details.via, 'oidc');
  const signins = await auditSince(since, 'signin');
  assert.deepEqual(signins.map((s) => [s.actor, s.details.method]), [[first.info.user.id, 'oidc']]);

  // The session works for state-changing requests like a password session.
  const meeting = await fetch(`${server.url}/api/meetings`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: first.browser.sessionCookie() ?? '', 'x-csrf-token': first.info.csrfToken ?? '' },
    body: '{}',
  });
  assert.equal(meeting.status, 201);

  const second = await signInSucceeds('alice');
  assert.equal(second.info.user?.id, first.info.user.id, 'the same account');
  assert.equal(second.location, '/');
  assert.equal((await usersWithEmail('alice@example.test')).length, 1);
});

test('only our own pages are destinations after single sign-on', async () => {
  for (const evil of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', '/signin']) {
    const { location } = await signInSucceeds('alice', evil);
    assert.equal(location, '/', evil);
  }
});

test('a password session says so', async () => {
  const info = await sessionOf(Object.assign(new NodeBrowser(), { sessionCookie: () => server.admin.cookie }));
  assert.equal(info.authMethod, 'password');
  assert.equal(info.authProvider, null);
});

test('a callback whose state is not the one this browser started with is refused', async () => {
  const browser = new NodeBrowser();
  const callback = new URL(await signInAtProvider(browser, server.url, 'alice'));
  callback.searchParams.set('state', 'not-the-state-we-sent');
  const since = await lastSeq();
  await expectRefused(browser, callback.href, since, 'invalid_response', /state/);
});

test('a callback replayed, in the same browser or in another one, is refused', async () => {
  const victim = new NodeBrowser();
  const callback = await signInAtProvider(victim, server.url, 'alice');
  assert.equal((await victim.request(callback)).status, 302);
  assert.ok((await sessionOf(victim)).user);

  // Replayed where it was used: the sign-in it belonged to is gone.
  const replayer = new NodeBrowser();
  await replayer.request(`${server.url}/api/session`);
  let since = await lastSeq();
  const again = await victim.request(callback);
  assert.equal(new URL(locationOf(again, server.url)).searchParams.get('reason'), 'expired');
  assert.equal((await auditSince(since, 'auth.oidc.failed'))[0]?.details.check, 'no_pending_sign_in');

  // Presented by another browser with no sign-in of its own (login CSRF, stolen URL).
  since = await lastSeq();
  await expectRefused(replayer, callback, since, 'expired', /no_pending_sign_in/);

  // Presented by another browser with a sign-in of its own in progress: its state does not match.
  const attacker = new NodeBrowser();
  const start = await attacker.request(`${server.url}/api/auth/oidc/start`);
  assert.equal(start.status, 302);
  since = await lastSeq();
  await expectRefused(attacker, callback, since, 'invalid_response', /state/);
});

test('an ID token with another sign-in’s nonce is refused', async () => {
  await provider.misbehave({ tamper: 'nonce' });
  try {
    const browser = new NodeBrowser();
    const callback = await signInAtProvider(browser, server.url, 'alice');
    await expectRefused(browser, callback, await lastSeq(), 'invalid_response', /:nonce/);
  } finally {
    await provider.misbehave({ tamper: 'off' });
  }
});

test('an ID token from another issuer is refused', async () => {
  await provider.misbehave({ tamper: 'iss' });
  try {
    const browser = new NodeBrowser();
    const callback = await signInAtProvider(browser, server.url, 'alice');
    await expectRefused(browser, callback, await lastSeq(), 'invalid_response', /:iss/);
  } finally {
    await provider.misbehave({ tamper: 'off' });
  }
});

test('an authorization response from another provider is refused (mix-up)', async () => {
  const other = await startOidcProvider();
  try {
    // The other provider knows the same client, and sends the browser back with its own code and `iss`.
    const browser = new NodeBrowser();
    const start = await browser.request(`${server.url}/api/auth/oidc/start`);
    const authorize = new URL(locationOf(start, server.url));
    const elsewhere = new URL(`${authorize.pathname}${authorize.search}`, other.issuer);
    const url = await throughProvider(browser, elsewhere.href, server.url, 'alice');
    assert.equal(new URL(url).searchParams.get('iss'), other.issuer);
    await expectRefused(browser, url, await lastSeq(), 'invalid_response', /iss/);
  } finally {
    await other.close();
  }
});

test('an ID token for another audience is refused', async () => {
  await provider.misbehave({ tamper: 'aud' });
  try {
    const browser = new NodeBrowser();
    const callback = await signInAtProvider(browser, server.url, 'alice');
    await expectRefused(browser, callback, await lastSeq(), 'invalid_response', /:aud/);
  } finally {
    await provider.misbehave({ tamper: 'off' });
  }
});

test('an expired ID token is refused', async () => {
  const browser = new NodeBrowser();
  const callback = await signInAtProvider(browser, server.url, 'alice');
  // The provider's clock is two hours slow when it signs the token: the token expired an hour ago.
  await provider.misbehave({ clockSkewSeconds: -7200 });
  try {
    await expectRefused(browser, callback, await lastSeq(), 'invalid_response', /:exp/);
  } finally {
    await provider.misbehave({ clockSkewSeconds: 0 });
  }
});

test('an unsigned (alg: none) ID token is refused', async () => {
  await provider.misbehave({ tamper: 'alg_none' });
  try {
    const browser = new NodeBrowser();
    const callback = await signInAtProvider(browser, server.url, 'alice');
    await expectRefused(browser, callback, await lastSeq(), 'invalid_response', /alg=none/);
  } finally {
    await provider.misbehave({ tamper: 'off' });
  }
});

test('an email the provider does not say is verified is never used', async () => {
  const browser = new NodeBrowser();
  const callback = await signInAtProvider(browser, server.url, 'dave');
  await expectRefused(browser, callback, await lastSeq(), 'email_unverified', /no_verified_email/);
  assert.equal((await usersWithEmail('dave@example.test')).length, 0);
});

test('with ssoCreatesAccounts off, an unknown person is refused, and a pre-created account is linked by verified email', async () => {
  await setPolicy({ ssoCreatesAccounts: false });
  try {
    const browser = new NodeBrowser();
    const callback = await signInAtProvider(browser, server.url, 'bob');
    await expectRefused(browser, callback, await lastSeq(), 'account_not_allowed', /no_account/);
    assert.equal((await usersWithEmail('bob@example.test')).length, 0, 'no account created');

    const erin = await server.createUser('erin@example.test', 'member', 'Erin');
    const since = await lastSeq();
    const { info } = await signInSucceeds('erin');
    assert.equal(info.user?.id, erin.userId, 'the administrator’s account, linked');
    const linked = await auditSince(since, 'account.linked');
    assert.equal(linked[0]?.target, erin.userId);
    assert.equal(linked[0]?.details.via, 'verified_email');
  } finally {
    await setPolicy({ ssoCreatesAccounts: true });
  }
});

test('an account already linked to another subject is not taken over by a new subject with its email', async () => {
  // Frank signs in and is linked; then someone else at the provider gets Frank's address.
  const { info } = await signInSucceeds('frank');
  await server.server.db.updateTable('user_identities').set({ subject: 'frank-before-the-address-moved' }).where('subject', '=', 'frank').execute();
  const browser = new NodeBrowser();
  const callback = await signInAtProvider(browser, server.url, 'frank');
  await expectRefused(browser, callback, await lastSeq(), 'account_conflict', /another_subject/);
  const identities = await server.server.db.selectFrom('user_identities').select('subject').where('user_id', '=', info.user?.id ?? '').execute();
  assert.deepEqual(identities.map((i) => i.subject), ['frank-before-the-address-moved']);
});

test('with localPasswords off, password sign-in is refused and audited; single sign-on still works', async () => {
  await server.createUser('pat@parley.test');
  await setPolicy({ localPasswords: false });
  try {
    const providers = AuthProviders.parse(await (await server.api('GET', '/api/auth/providers')).json());
    assert.equal(providers.localPasswords, false);
    const since = await lastSeq();
    const res = await server.api('POST', '/api/auth/sign-in', { email: 'pat@parley.test', password: TEST_PASSWORD });
    assert.equal(res.status, 403);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'forbidden');
    assert.equal(res.headers.get('set-cookie'), null);
    const refused = await auditSince(since, 'signin.refused');
    assert.equal(refused[0]?.details.reason, 'local_passwords_off');
    await signInSucceeds('alice');
  } finally {
    await setPolicy({ localPasswords: true });
  }
});

test('a disabled account is refused', async () => {
  const { info } = await signInSucceeds('carol');
  // No administrators' route disables accounts on this branch yet: the test sets the flag itself.
  await server.server.db.updateTable('users').set({ disabled: 1 }).where('id', '=', info.user?.id ?? '').execute();
  const browser = new NodeBrowser();
  const callback = await signInAtProvider(browser, server.url, 'carol');
  const since = await lastSeq();
  await expectRefused(browser, callback, since, 'account_disabled', /account_disabled/);
  assert.equal((await auditSince(since, 'auth.oidc.failed'))[0]?.target, info.user?.id);
});

test('the person denying access at the provider is told so', async () => {
  const browser = new NodeBrowser();
  const start = await browser.request(`${server.url}/api/auth/oidc/start`);
  const callback = await throughProvider(browser, locationOf(start, server.url), server.url, 'grace', { deny: true });
  await expectRefused(browser, callback, await lastSeq(), 'provider_refused', /access_denied/);
});

test('a malformed callback, or one with no sign-in started, is refused without a crash', async () => {
  const browser = new NodeBrowser();
  await expectRefused(browser, `${server.url}/api/auth/oidc/callback?code=x&state=y`, await lastSeq(), 'expired', /no_pending/);
  await browser.request(`${server.url}/api/auth/oidc/start`);
  await expectRefused(browser, `${server.url}/api/auth/oidc/callback?code=${'x'.repeat(3000)}`, await lastSeq(), 'invalid_response', /malformed/);
});
