/** The HTTP surface: creating meetings, coded errors, security headers, the web client, the socket's origin check. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CreateMeetingResponse, MEETING_ID_PATTERN } from '@parley/protocol';
import { SAFE_DEFAULTS } from '../meetings/settings.js';
import { storedText } from '../test-support/database.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('POST /api/meetings creates a meeting with a random ID and a passcode carried in the fragment', async () => {
  const res = await server.api('POST', '/api/meetings', { title: 'Budget review' }, server.admin);
  assert.equal(res.status, 201);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = CreateMeetingResponse.parse(await res.json());
  assert.match(body.id, MEETING_ID_PATTERN);
  assert.equal(body.title, 'Budget review');
  assert.equal(body.joinUrl, `${server.url}/m/${body.id}#pwd=${body.passcode}`);
  assert.ok(body.passcode && body.passcode.length >= 8);
  assert.deepEqual(body.settings, SAFE_DEFAULTS);
  const other = await server.createMeeting();
  assert.notEqual(other.id, body.id);
  // Only a hash is stored: the passcode appears nowhere in the database (its files, or a dump).
  await server.server.db.selectFrom('meetings').selectAll().execute();
  const stored = storedText(server);
  assert.ok(stored.includes(body.id), 'the meeting is stored');
  assert.ok(!stored.includes(body.passcode ?? ''), 'the passcode is not stored');
});

test('bad bodies get coded errors', async () => {
  const cases: [RequestInit, number, string][] = [
    [{ headers: { 'content-type': 'application/json' }, body: '{"title": 5}' }, 400, 'bad_request'],
    [{ headers: { 'content-type': 'application/json' }, body: '{"unknown": true}' }, 400, 'bad_request'],
    [{ headers: { 'content-type': 'application/json' }, body: '{not json' }, 400, 'bad_request'],
    [{ headers: { 'content-type': 'text/plain' }, body: 'hi' }, 400, 'bad_request'],
    [{ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x'.repeat(20_000) }) }, 413, 'message_too_large'],
    // PostgreSQL's text cannot hold U+0000 (SQLite's can): refused on both, never an internal error on one.
    [{ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'a\u0000b' }) }, 400, 'bad_request'],
  ];
  for (const [init, status, code] of cases) {
    const headers = { ...(init.headers as Record<string, string>), cookie: server.admin.cookie, 'x-csrf-token': server.admin.csrfToken };
    const res = await fetch(`${server.url}/api/meetings`, { method: 'POST', ...init, headers });
    assert.equal(res.status, status, String(init.body).slice(0, 40));
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(body.error.code, code);
  }
  const nulQuery = await fetch(`${server.url}/api/meetings/mine?x=%00`, { headers: { cookie: server.admin.cookie } });
  assert.equal(nulQuery.status, 400);
  assert.equal(((await nulQuery.json()) as { error: { code: string } }).error.code, 'bad_request');
  const missing = await fetch(`${server.url}/api/nothing-here`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');
});

test('every response carries a strict CSP and the other security headers', async () => {
  const res = await fetch(`${server.url}/api/health`);
  assert.equal(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
});

test('the web client is served at / and at meeting links', async (t) => {
  const home = await fetch(`${server.url}/`);
  if (home.status === 404) {
    t.skip('web client not built');
    return;
  }
  assert.equal(home.status, 200);
  assert.match(home.headers.get('content-type') ?? '', /text\/html/);
  const html = await home.text();
  assert.match(html, /<script type="module"[^>]* src="\/assets\//);
  assert.doesNotMatch(html, /https?:\/\/(?!localhost)/, 'no third-party URL in the page');
  const meetingPage = await fetch(`${server.url}/m/abcd-efgh-jkmn-pqrs`);
  assert.equal(await meetingPage.text(), html);
});

test('a WebSocket from another origin is refused; same origin and non-browser clients are accepted', async () => {
  await assert.rejects(TestClient.connect(server.wsUrl, { origin: 'https://evil.example' }), /HTTP 403/);
  const same = await TestClient.connect(server.wsUrl, { origin: server.url });
  await same.close();
});

test('a malformed device cookie is replaced, so that browser can be recognised (and removed) like any other', async () => {
  const device = /parley_device=([^;]+)/;
  for (const bad of ['x', 'not a device id', 'a'.repeat(200), 'abc%00def']) {
    const res = await fetch(`${server.url}/api/session`, { headers: { cookie: `parley_device=${bad}` } });
    const fresh = device.exec(res.headers.get('set-cookie') ?? '')?.[1];
    assert.match(fresh ?? '', /^[A-Za-z0-9_-]{24}$/, `replaced: ${bad}`);
  }
  const good = (await server.newDevice()).replace('parley_device=', '');
  const res = await fetch(`${server.url}/api/session`, { headers: { cookie: `parley_device=${good}` } });
  assert.equal(device.exec(res.headers.get('set-cookie') ?? ''), null, 'a valid one is kept');
});
