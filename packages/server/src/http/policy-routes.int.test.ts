/**
 * The organization policy over HTTP and in running meetings: only administrators read and change it
 * (a member and a guest are refused on every route), a policy that contradicts itself is refused
 * whole with `policy_conflict` (audited, nothing changed), every change is audited with before and
 * after, locks apply at creation and live (refused, audited) and reach running rooms at once, and
 * the minimum browser versions are enforced at `hello`.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEFAULT_POLICY, PROTOCOL_VERSION, type AdminPolicyView, type OrgPolicy, type PublicPolicy, type ServerMessage } from '@parley/protocol';
import { TEST_CLIENT_BUILD } from '../test-support/client-build.js';
import { joinAdmitted } from '../test-support/join.js';
import { startTestServer, OPEN_DOORS, type Credentials, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';

let server: TestServer;
let member: Credentials;

before(async () => {
  server = await startTestServer();
  member = await server.createUser('mia@parley.test', 'member', 'Mia');
});
after(() => server.close());

const auditOf = async (action: string) =>
  (await server.server.db.selectFrom('audit_events').select(['actor', 'details']).where('action', '=', action).orderBy('seq').execute()).map((r) => ({
    actor: r.actor,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));

async function put(policy: OrgPolicy, as: Credentials = server.admin): Promise<Response> {
  return server.api('PUT', '/api/admin/policy', policy, as);
}

async function code(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

test('only administrators read and change the policy and see the clients; a member and a guest are refused', async () => {
  for (const [method, path, body] of [
    ['GET', '/api/admin/policy', undefined],
    ['PUT', '/api/admin/policy', DEFAULT_POLICY],
    ['GET', '/api/admin/clients', undefined],
  ] as const) {
    const asMember = await server.api(method, path, body, member);
    assert.equal(asMember.status, 403, `${method} ${path} as a member`);
    assert.equal(await code(asMember), 'forbidden');
    const asGuest = await server.api(method, path, body);
    assert.equal(asGuest.status, 401, `${method} ${path} as a guest`);
    assert.equal(await code(asGuest), 'sign_in_required');
    const asAdmin = await server.api(method, path, body, server.admin);
    assert.equal(asAdmin.status, 200, `${method} ${path} as the administrator`);
  }
  const view = (await (await server.api('GET', '/api/admin/policy', undefined, server.admin)).json()) as AdminPolicyView;
  assert.deepEqual(view.policy, DEFAULT_POLICY);
  assert.equal(view.ssoConfigured, false);
  assert.equal(view.servedBuild, TEST_CLIENT_BUILD);
});

test('the public part of the policy is readable by anyone and holds nothing else', async () => {
  const res = await server.api('GET', '/api/policy/public');
  assert.equal(res.status, 200);
  assert.deepEqual(Object.keys((await res.json()) as PublicPolicy).sort(), ['guestsMayModerate', 'locked', 'minimumBrowsers', 'supportContact']);
});

test('an invalid or contradictory policy is refused with a code, audited, and changes nothing', async () => {
  const before = await (await server.api('GET', '/api/admin/policy', undefined, server.admin)).json();
  const invalid = [
    { ...DEFAULT_POLICY, surprise: true },
    { ...DEFAULT_POLICY, guestsMayModerate: 'yes' },
    { ...DEFAULT_POLICY, locked: { features: { chat: 'off' } } },
    { ...DEFAULT_POLICY, minimumClientBuild: 'latest' },
  ];
  for (const body of invalid) {
    const res = await server.api('PUT', '/api/admin/policy', body, server.admin);
    assert.equal(res.status, 400, JSON.stringify(body));
    assert.equal(await code(res), 'bad_request');
  }
  const contradictions: [OrgPolicy, RegExp][] = [
    [{ ...DEFAULT_POLICY, defaults: { features: { chat: true } }, locked: { features: { chat: false } } }, /defaults\.features\.chat differs from locked\.features\.chat/],
    [{ ...DEFAULT_POLICY, locked: { lobby: false } }, /locked\.lobby contradicts the sensitive class/],
    [{ ...DEFAULT_POLICY, classes: { sensitive: { access: 'signed-in' } } }, /classes\.sensitive\.access/],
    [{ ...DEFAULT_POLICY, localPasswords: false }, /single sign-on/],
    [{ ...DEFAULT_POLICY, minimumClientBuild: '99.0.0' }, /every client would be refused/],
  ];
  for (const [body, why] of contradictions) {
    const res = await put(body);
    assert.equal(res.status, 422, JSON.stringify(body));
    const { error } = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(error.code, 'policy_conflict');
    assert.match(error.message, why);
  }
  assert.equal((await auditOf('policy.refused')).length, contradictions.length);
  assert.deepEqual(await (await server.api('GET', '/api/admin/policy', undefined, server.admin)).json(), before);
  // A stricter lock than the class needs is no contradiction.
  const stricter = await put({ ...DEFAULT_POLICY, locked: { access: 'signed-in' } });
  assert.equal(stricter.status, 200);
  await put(DEFAULT_POLICY);
});

test('a change is audited with before and after and applies at once: to running rooms, at creation and live', async () => {
  const meeting = await server.createMeeting({ settings: { ...OPEN_DOORS, features: { chat: true } }, host: member });
  const host = await joinAdmitted(server, meeting, 'Mia', member);
  const guest = await joinAdmitted(server, meeting, 'Gus');
  assert.equal(guest.state.settings.features.chat, true);
  assert.deepEqual(guest.state.settings.lockedByPolicy, []);

  const policy: OrgPolicy = { ...DEFAULT_POLICY, locked: { features: { chat: false } }, supportContact: 'IT desk, extension 1234' };
  const since = guest.client.messages.length;
  const res = await put(policy);
  assert.equal(res.status, 200);
  assert.deepEqual(((await res.json()) as AdminPolicyView).policy, policy);
  const changed = await auditOf('policy.changed');
  assert.deepEqual(changed.at(-1), { actor: server.admin.userId, details: { before: DEFAULT_POLICY, after: policy } });

  // The running room re-resolves and tells everyone.
  const updated = await guest.client.waitFor<Extract<ServerMessage, { type: 'settingsUpdated' }>>((m) => m.type === 'settingsUpdated', 10_000, since);
  assert.equal(updated.settings.features.chat, false);
  assert.deepEqual(updated.settings.lockedByPolicy, ['features.chat']);
  assert.equal((await guest.client.requestRaw('chat', { text: 'still here?' })).type, 'error');

  // Live: the host cannot turn it back on (refused, audited).
  const live = await host.client.requestRaw('updateSettings', { settings: { features: { chat: true } } });
  assert.equal(live.type === 'error' && live.code, 'forbidden');
  const refusedLive = (await server.server.audit.forMeeting(meeting.id)).filter((r) => r.action === 'meeting.settings-refused');
  assert.equal(refusedLive.length, 1);
  // At creation: the other value is refused (audited); the locked value itself is fine.
  const create = await server.api('POST', '/api/meetings', { settings: { features: { chat: true } } }, member);
  assert.equal(create.status, 403);
  assert.equal(await code(create), 'forbidden');
  const refusedCreate = await auditOf('meeting.create-refused');
  assert.deepEqual(refusedCreate.at(-1)?.details.lockedByPolicy, ['features.chat']);
  assert.equal((await server.api('POST', '/api/meetings', { settings: { features: { chat: false } } }, member)).status, 201);

  const visible = (await (await server.api('GET', '/api/policy/public')).json()) as PublicPolicy;
  assert.deepEqual(visible.locked, { features: { chat: false } });
  assert.equal(visible.supportContact, 'IT desk, extension 1234');
  await Promise.all([host.client.close(), guest.client.close()]);
  await put(DEFAULT_POLICY);
});

const FIREFOX_115 = 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0';
const FIREFOX_128 = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_100 = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/100.0.4896.60 Safari/537.36';

async function hello(userAgent: string, clientBuild = TEST_CLIENT_BUILD): Promise<{ client: TestClient; reply: ServerMessage }> {
  const client = await TestClient.connect(server.wsUrl, { 'user-agent': userAgent });
  const reply = await client.requestRaw('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild });
  return { client, reply };
}

test('a browser below the minimum versions is refused at hello, naming the support contact; others are not', async () => {
  assert.equal((await put({ ...DEFAULT_POLICY, minimumBrowsers: { firefox: 128 }, supportContact: 'the IT desk (x1234)' })).status, 200);
  const old = await hello(FIREFOX_115);
  assert.equal(old.reply.type, 'error');
  assert.equal(old.reply.type === 'error' && old.reply.code, 'browser_outdated');
  assert.equal(
    old.reply.type === 'error' && old.reply.message,
    'Your browser (Firefox 115) is out of date. Your organization requires Firefox 128 or later. Contact the IT desk (x1234).',
  );
  await old.client.closed();
  for (const ua of [FIREFOX_128, CHROME_100]) {
    const current = await hello(ua);
    assert.equal(current.reply.type, 'welcome', ua);
    await current.client.close();
  }
  await put(DEFAULT_POLICY);
});

test('a client build below the minimum gets update_required and its socket is closed', async () => {
  for (const build of ['0.0.9', '0.0.9+abcdef', 'not-a-version']) {
    const { client, reply } = await hello(CHROME_100, build);
    assert.equal(reply.type === 'error' && reply.code, 'update_required', build);
    await client.closed();
  }
});
