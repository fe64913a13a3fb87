/**
 * A host's own meetings through HTTP: `GET /api/meetings/mine` shows the caller's meetings and nobody
 * else's, and `POST /api/meetings/:id/reissue` gives a fresh passcode (the old one stops working at
 * once, people inside stay), for the host only, audited without the passcode.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ApiError, MyMeetingsResponse, ReissuePasscodeResponse } from '@parley/protocol';
import { join, joinAdmitted } from '../test-support/join.js';
import { OPEN_DOORS, startTestServer, type Credentials, type TestServer } from '../test-support/server.js';

let server: TestServer;
let alice: Credentials;
let bob: Credentials;
before(async () => {
  server = await startTestServer();
  alice = await server.createUser('alice@parley.test', 'member', 'Alice Host');
  bob = await server.createUser('bob@parley.test', 'member', 'Bob Other');
});
after(async () => {
  await server.close();
});

async function mine(as: Credentials): Promise<MyMeetingsResponse> {
  const res = await server.api('GET', '/api/meetings/mine', undefined, as);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  return MyMeetingsResponse.parse(await res.json());
}

async function errorOf(res: Response): Promise<string> {
  return ApiError.parse(await res.json()).error.code;
}

test('the owner sees their own meetings, upcoming and recent, with their settings; another member sees none of them', async () => {
  const weekly = await server.createMeeting({ title: 'Weekly sync', host: alice });
  const secret = await server.createMeeting({ title: 'Board', sensitivity: 'sensitive', host: alice });
  const finished = await server.createMeeting({ title: 'Done', settings: OPEN_DOORS, host: alice });
  const bobs = await server.createMeeting({ title: 'Bob’s', host: bob });
  // Alice ends one meeting for everyone: it moves to recent.
  const { client } = await joinAdmitted(server, finished, 'Alice', alice);
  await client.request('endMeeting', {});
  await client.close();

  const list = await mine(alice);
  assert.deepEqual(
    list.upcoming.map((m) => m.title),
    ['Board', 'Weekly sync'],
  );
  assert.deepEqual(
    list.recent.map((m) => m.id),
    [finished.id],
  );
  const board = list.upcoming.find((m) => m.id === secret.id);
  assert.equal(board?.sensitivity, 'sensitive');
  assert.equal(board?.settings.e2ee, true);
  assert.equal(board?.hasPasscode, true);
  const sync = list.upcoming.find((m) => m.id === weekly.id);
  assert.equal(sync?.settings.lobby, true);
  assert.equal(sync?.endedAt, null);
  assert.equal(sync?.live, false);
  assert.ok(list.recent[0]?.endedAt !== null);
  // Never a passcode or its hash.
  assert.doesNotMatch(JSON.stringify(list), new RegExp(`${weekly.passcode}|scrypt|passcode_hash`));

  const bobsList = await mine(bob);
  assert.deepEqual(
    [...bobsList.upcoming, ...bobsList.recent].map((m) => m.id),
    [bobs.id],
  );
  // The administrator (who created none) sees nobody's meetings either.
  const adminList = await mine(server.admin);
  assert.deepEqual([...adminList.upcoming, ...adminList.recent], []);
});

test('a live meeting says so', async () => {
  const meeting = await server.createMeeting({ title: 'Live', settings: OPEN_DOORS, host: alice });
  const { client } = await joinAdmitted(server, meeting, 'Alice', alice);
  try {
    assert.equal((await mine(alice)).upcoming.find((m) => m.id === meeting.id)?.live, true);
  } finally {
    await client.close();
  }
});

test('a guest gets 401 from both routes', async () => {
  const meeting = await server.createMeeting({ host: alice });
  const list = await server.api('GET', '/api/meetings/mine');
  assert.equal(list.status, 401);
  assert.equal(await errorOf(list), 'sign_in_required');
  const reissue = await server.api('POST', `/api/meetings/${meeting.id}/reissue`, {});
  assert.equal(reissue.status, 401);
  assert.equal(await errorOf(reissue), 'sign_in_required');
});

test('re-issuing: the new passcode gets in, the old one is refused, people inside stay, and it is audited without the passcode', async () => {
  const meeting = await server.createMeeting({ title: 'Reissue', settings: OPEN_DOORS, host: alice });
  const inside = await joinAdmitted(server, meeting, 'Early guest');
  const res = await server.api('POST', `/api/meetings/${meeting.id}/reissue`, {}, alice);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const body = ReissuePasscodeResponse.parse(await res.json());
  assert.equal(body.id, meeting.id);
  assert.notEqual(body.passcode, meeting.passcode);
  assert.ok(body.passcode.length >= 8);
  assert.equal(body.joinUrl, `${server.url}/m/${meeting.id}#pwd=${body.passcode}`);

  const old = await join(server, meeting, 'Old link').catch((err: unknown) => err);
  assert.equal((old as { code?: string }).code, 'meeting_access_denied', 'the old passcode is refused');
  const fresh = await joinAdmitted(server, { id: meeting.id, passcode: body.passcode }, 'New link');
  assert.equal(fresh.state.meeting.id, meeting.id);
  // The early guest is still there: the newcomer sees them.
  assert.ok(fresh.state.participants.some((p) => p.displayName === 'Early guest'));

  const rows = await server.server.db.selectFrom('audit_events').select(['actor', 'meeting_id', 'details']).where('action', '=', 'meeting.passcode_reissued').execute();
  assert.equal(rows.length, 1);
  assert.equal(rows[0]?.actor, alice.userId);
  assert.equal(rows[0]?.meeting_id, meeting.id);
  assert.ok(!rows[0]?.details.includes(body.passcode), 'the passcode is not audited');
  await Promise.all([inside.client.close(), fresh.client.close()]);
});

test('re-issuing someone else’s meeting is refused (403), as is an unknown one, and the passcode still works', async () => {
  const meeting = await server.createMeeting({ settings: OPEN_DOORS, host: alice });
  for (const as of [bob, server.admin]) {
    const res = await server.api('POST', `/api/meetings/${meeting.id}/reissue`, {}, as);
    assert.equal(res.status, 403);
    assert.equal(await errorOf(res), 'forbidden');
  }
  const unknown = await server.api('POST', '/api/meetings/2222-3333-4444-5555/reissue', {}, bob);
  assert.equal(unknown.status, 403);
  assert.equal(await errorOf(unknown), 'forbidden');
  const refused = await server.server.db.selectFrom('audit_events').select('actor').where('action', '=', 'meeting.passcode_reissue_refused').execute();
  assert.ok(refused.some((r) => r.actor === bob.userId));
  const { client } = await joinAdmitted(server, meeting, 'Still works');
  await client.close();
});

test('a cross-site re-issue is refused (403 csrf), as is one without the CSRF token', async () => {
  const meeting = await server.createMeeting({ host: alice });
  const crossSite = await fetch(`${server.url}/api/meetings/${meeting.id}/reissue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://evil.example', cookie: alice.cookie, 'x-csrf-token': alice.csrfToken },
    body: '{}',
  });
  assert.equal(crossSite.status, 403);
  assert.equal(await errorOf(crossSite), 'csrf');
  const noToken = await fetch(`${server.url}/api/meetings/${meeting.id}/reissue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: alice.cookie },
    body: '{}',
  });
  assert.equal(noToken.status, 403);
  assert.equal(await errorOf(noToken), 'csrf');
  const rows = await server.server.db.selectFrom('audit_events').select('meeting_id').where('action', '=', 'meeting.passcode_reissued').where('meeting_id', '=', meeting.id).execute();
  assert.equal(rows.length, 0);
});

test('bad input is a coded error: a malformed ID, a body with fields, an ended or public meeting', async () => {
  const bad = await server.api('POST', '/api/meetings/not-an-id/reissue', {}, alice);
  assert.equal(bad.status, 400);
  assert.equal(await errorOf(bad), 'bad_request');
  const meeting = await server.createMeeting({ settings: OPEN_DOORS, host: alice });
  const extra = await server.api('POST', `/api/meetings/${meeting.id}/reissue`, { passcode: 'chosen-by-me-1234' }, alice);
  assert.equal(extra.status, 400);
  const { client } = await joinAdmitted(server, meeting, 'Alice', alice);
  await client.request('endMeeting', {});
  await client.close();
  const ended = await server.api('POST', `/api/meetings/${meeting.id}/reissue`, {}, alice);
  assert.equal(await errorOf(ended), 'meeting_ended');
  const open = await server.createMeeting({ settings: { public: true }, host: alice });
  const publicOne = await server.api('POST', `/api/meetings/${open.id}/reissue`, {}, alice);
  assert.equal(publicOne.status, 400);
  assert.equal(await errorOf(publicOne), 'bad_request');
});

test('the room state says when the meeting started', async () => {
  const before = Date.now();
  const meeting = await server.createMeeting({ settings: OPEN_DOORS, host: alice });
  const first = await joinAdmitted(server, meeting, 'First');
  const second = await joinAdmitted(server, meeting, 'Second');
  assert.ok(first.state.meeting.startedAt >= before && first.state.meeting.startedAt <= Date.now());
  assert.equal(second.state.meeting.startedAt, first.state.meeting.startedAt);
  await Promise.all([first.client.close(), second.client.close()]);
});
