/**
 * Sensitivity classes (C8) through the real server: real HTTP, real sockets. A sensitive meeting is
 * created with its forced settings; every attempt to weaken them, at creation or live, is refused with
 * `forced_by_sensitivity`, audited, and changes nothing; guests and external accounts stay out; a
 * standard meeting raised live moves out everyone but signed-in members (their resume refused
 * afterwards), and a class is never lowered.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { CreateMeetingResponse, MeetingSettings, MeetingSettingsPatch } from '@parley/protocol';
import { join, joinAdmitted } from '../test-support/join.js';
import { errorCode, lastOf, nextOf, waitForQueue, type Msg } from '../test-support/messages.js';
import { startTestServer, uploadFile, type Credentials, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';

const server: TestServer = await startTestServer();
// Creating meetings is rationed per address (20 a minute): the tests of the creation form have a server of their own.
const forms: TestServer = await startTestServer();
after(() => Promise.all([server.close(), forms.close()]));

const member = await server.createUser('mia@parley.test', 'member', 'Mia Member');
const partner = await server.createUser('pat@partner.test', 'external', 'Pat Partner');

const actions = async (meetingId: string): Promise<string[]> => (await server.server.audit.forMeeting(meetingId)).map((r) => r.action);
const auditOf = async (meetingId: string, action: string): Promise<Record<string, unknown>[]> =>
  (await server.server.audit.forMeeting(meetingId)).filter((r) => r.action === action).map((r) => JSON.parse(r.details) as Record<string, unknown>);

/** Every way a meeting's own settings could weaken what `sensitive` forces, and the name of the setting it touches. */
const WEAKENINGS: [string, MeetingSettingsPatch][] = [
  ['access', { access: 'anyone' }],
  ['access', { access: 'signed-in' }],
  ['public', { public: true }],
  ['lobby', { lobby: false }],
  ['membersSkipLobby', { membersSkipLobby: true }],
  ['joinBeforeHost', { joinBeforeHost: true }],
  ['features.fileSharing', { features: { fileSharing: true } }],
];

function assertForced(settings: MeetingSettings): void {
  assert.equal(settings.sensitivity, 'sensitive');
  assert.equal(settings.e2ee, true, 'end-to-end encryption required');
  assert.equal(settings.access, 'organization', 'signed-in organization members only');
  assert.equal(settings.public, false, 'a passcode, no public view');
  assert.equal(settings.lobby, true, 'waiting room');
  assert.equal(settings.membersSkipLobby, false, 'members wait too');
  assert.equal(settings.joinBeforeHost, false, 'nobody before the host');
  assert.equal(settings.features.fileSharing, false, 'no files on the server');
  assert.deepEqual([...settings.forcedBySensitivity].sort(), ['access', 'features.fileSharing', 'joinBeforeHost', 'lobby', 'membersSkipLobby', 'public']);
}

async function meetingCount(): Promise<number> {
  const row = await forms.server.db.selectFrom('meetings').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

async function createRaw(body: unknown, as: Credentials = forms.admin): Promise<{ status: number; json: { error?: { code: string; message: string } } & Partial<CreateMeetingResponse> }> {
  const res = await forms.api('POST', '/api/meetings', body, as);
  return { status: res.status, json: (await res.json()) as { error?: { code: string; message: string } } & Partial<CreateMeetingResponse> };
}

/** A host in a sensitive meeting with a member admitted from the lobby. */
async function sensitiveMeetingWithMember() {
  const meeting = await server.createMeeting({ sensitivity: 'sensitive', settings: { features: { chat: true } } });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const mia = await join(server, meeting, 'x', member);
  assert.deepEqual(mia.result, { status: 'waiting', reason: 'lobby', sensitivity: 'sensitive' }, 'the lobby learns the class, and only it');
  const entry = (await waitForQueue(host.client, (q) => q.length === 1))[0];
  await host.client.request('admit', { lobbyId: entry?.id });
  const admitted = await nextOf(mia.client, 'admitted', 0);
  return { meeting, host, mia: { client: mia.client, state: admitted.state } };
}

test('a sensitive meeting is created with its forced settings; the link says so; invalid classes are refused', async () => {
  const created = await forms.createMeeting({ title: 'Merger talks', sensitivity: 'sensitive' });
  assertForced(created.settings);
  assert.match(created.passcode ?? '', /.{8,}/, 'a generated passcode');
  assert.ok(created.joinUrl.endsWith(`#pwd=${encodeURIComponent(created.passcode ?? '')}&sensitive`), created.joinUrl);
  const creation = (await forms.server.audit.forMeeting(created.id)).find((r) => r.action === 'meeting.created');
  assert.equal((JSON.parse(creation?.details ?? '{}') as { sensitivity?: string }).sensitivity, 'sensitive', 'audited with its class');
  const stored = await forms.server.db.selectFrom('meetings').select('sensitivity').where('id', '=', created.id).executeTakeFirst();
  assert.equal(stored?.sensitivity, 'sensitive', 'persisted');

  const standard = await forms.createMeeting();
  assert.deepEqual([standard.settings.sensitivity, standard.settings.e2ee, standard.settings.forcedBySensitivity], ['standard', false, []]);
  assert.ok(!standard.joinUrl.includes('sensitive'));

  const before = await meetingCount();
  for (const bad of ['secret', 'SENSITIVE', 1, null]) {
    const { status, json } = await createRaw({ sensitivity: bad });
    assert.equal(status, 400, JSON.stringify(bad));
    assert.equal(json.error?.code, 'bad_request');
    assert.match(json.error?.message ?? '', /^sensitivity/, 'the message names the field');
  }
  // What the class forces is not a host's setting.
  for (const readOnly of [{ e2ee: false }, { sensitivity: 'standard' }]) {
    const { status, json } = await createRaw({ sensitivity: 'sensitive', settings: readOnly });
    assert.deepEqual([status, json.error?.code], [400, 'bad_request'], JSON.stringify(readOnly));
  }
  assert.equal(await meetingCount(), before, 'nothing was created');
});

test('creating a sensitive meeting that weakens any forced setting is refused, audited, and creates nothing', async () => {
  const before = await meetingCount();
  for (const [name, settings] of WEAKENINGS) {
    const { status, json } = await createRaw({ sensitivity: 'sensitive', settings });
    assert.deepEqual([status, json.error?.code], [403, 'forced_by_sensitivity'], name);
    assert.match(json.error?.message ?? '', new RegExp(`sensitive meetings: ${name.replace('.', '\\.')}`), json.error?.message);
  }
  assert.equal(await meetingCount(), before, 'no meeting was created');
  const refused = await forms.server.db.selectFrom('audit_events').select(['actor', 'details']).where('action', '=', 'meeting.create-refused').execute();
  assert.deepEqual(
    refused.map((r) => (JSON.parse(r.details) as { forcedBySensitivity: string[] }).forcedBySensitivity),
    WEAKENINGS.map(([name]) => [name]),
    'each refusal is audited with what it tried',
  );
  assert.ok(refused.every((r) => r.actor === forms.admin.userId));
  // Choosing what the class forces anyway, or anything it does not force, is fine.
  const agreeing = await createRaw({ sensitivity: 'sensitive', settings: { access: 'organization', lobby: true, features: { chat: true, fileSharing: false } } });
  assert.equal(agreeing.status, 201);
  assert.equal(agreeing.json.settings?.features.chat, true);
  // The same settings on a standard meeting are the host's to choose.
  const weakest = Object.assign({}, ...WEAKENINGS.map(([, settings]) => settings)) as MeetingSettingsPatch;
  const standard = await createRaw({ settings: weakest });
  assert.equal(standard.status, 201);
  assert.deepEqual([standard.json.settings?.lobby, standard.json.settings?.public, standard.json.settings?.features.fileSharing], [false, true, true]);
});

test('guests and external accounts cannot join a sensitive meeting, even with the passcode; members wait in the lobby', async () => {
  const { meeting, host, mia } = await sensitiveMeetingWithMember();
  assertForced(mia.state.settings);
  assert.equal(mia.state.self.identity, 'member');

  await assert.rejects(join(server, meeting, 'Gus Guest'), (e: { code?: string; message?: string }) => e.code === 'sign_in_required' && /sensitive/.test(e.message ?? ''));
  await assert.rejects(join(server, meeting, 'x', partner), (e: { code?: string; message?: string }) => e.code === 'forbidden' && /sensitive/.test(e.message ?? ''));
  // A public-meeting attempt (no passcode) is just a wrong passcode.
  await assert.rejects(join(server, { id: meeting.id, passcode: null }, 'Gus'), (e: { code?: string }) => e.code === 'meeting_access_denied');
  const refusals = (await server.server.audit.forMeeting(meeting.id)).filter((r) => r.action === 'join.refused').map((r) => (JSON.parse(r.details) as { code: string }).code);
  assert.deepEqual(refusals, ['sign_in_required', 'forbidden']);
  await Promise.all([host.client.close(), mia.client.close()]);
});

test('a host weakening a forced setting live is refused with the code, audited, and nothing changes', async () => {
  const { meeting, host, mia } = await sensitiveMeetingWithMember();
  const since = mia.client.messages.length;
  for (const [name, settings] of WEAKENINGS) {
    const reply = await host.client.requestRaw('updateSettings', { settings });
    assert.equal(errorCode(reply), 'forced_by_sensitivity', name);
    assert.match(reply.type === 'error' ? reply.message : '', new RegExp(name.replace('.', '\\.')));
  }
  // Mixed with an allowed change, the whole patch is refused.
  assert.equal(errorCode(await host.client.requestRaw('updateSettings', { settings: { lobby: false, features: { reactions: true } } })), 'forced_by_sensitivity');
  // The class and its encryption are not settings at all.
  for (const readOnly of [{ e2ee: false }, { sensitivity: 'standard' }]) {
    assert.equal(errorCode(await host.client.requestRaw('updateSettings', { settings: readOnly })), 'bad_request', JSON.stringify(readOnly));
  }
  assert.equal(mia.client.messages.slice(since).filter((m) => m.type === 'settingsUpdated').length, 0, 'nobody heard of a change');
  const refused = await auditOf(meeting.id, 'meeting.settings-refused');
  assert.deepEqual(
    refused.map((d) => d.forcedBySensitivity),
    [...WEAKENINGS.map(([name]) => [name]), ['lobby']],
  );
  assert.ok(!(await actions(meeting.id)).includes('meeting.settings'), 'no change was recorded');

  // What the class does not force stays the host's; the forced settings hold.
  await host.client.request('updateSettings', { settings: { features: { reactions: true } } });
  const updated = await nextOf(mia.client, 'settingsUpdated', since);
  assert.equal(updated.settings.features.reactions, true);
  assertForced(updated.settings);
  // A second look through a fresh join: the stored meeting is as sensitive as ever.
  const stored = await server.server.db.selectFrom('meetings').select(['settings', 'sensitivity']).where('id', '=', meeting.id).executeTakeFirstOrThrow();
  assert.equal(stored.sensitivity, 'sensitive');
  assert.deepEqual(JSON.parse(stored.settings), { features: { chat: true, reactions: true } });
  await Promise.all([host.client.close(), mia.client.close()]);
});

test('raising a live meeting to sensitive moves out guests and external accounts (their resume refused); members stay', async () => {
  const meeting = await server.createMeeting({ settings: { lobby: false, joinBeforeHost: true, features: { fileSharing: true } } });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const guest = await joinAdmitted(server, meeting, 'Gail Guest', { device: await server.newDevice() });
  const ext = await joinAdmitted(server, meeting, 'x', partner);
  const mia = await joinAdmitted(server, meeting, 'x', member);
  assert.equal(guest.state.settings.sensitivity, 'standard');
  await host.client.request('updateSettings', { settings: { lobby: true } });
  const knocking = await join(server, meeting, 'Wade Waiting');
  assert.deepEqual(knocking.result, { status: 'waiting', reason: 'lobby' }, 'a standard meeting tells the lobby nothing');
  await waitForQueue(host.client, (q) => q.length === 1);

  const shared = await uploadFile(server, meeting.id, host.state.participantToken, 'minutes.txt', Buffer.from('before it was sensitive'));
  assert.equal(shared.status, 201);
  const fileId = ((await shared.json()) as { id: string }).id;
  const download = () => fetch(`${server.url}/api/meetings/${meeting.id}/files/${fileId}`, { headers: { 'x-parley-participant': mia.state.participantToken } });
  assert.equal((await download()).status, 200);

  const since = mia.client.messages.length;
  const result = await host.client.request('setSensitivity', { sensitivity: 'sensitive' });
  assert.deepEqual(result, { movedOut: 3 });

  for (const [name, out] of [['guest', guest.client], ['external', ext.client], ['waiting guest', knocking.client]] as const) {
    const bye = await nextOf(out, 'bye', 0);
    assert.deepEqual([bye.reason, bye.message], ['sensitivity-raised', 'This meeting is now sensitive: only signed-in members of the organization may attend.'], name);
    await out.closed();
  }
  const updated = await nextOf(mia.client, 'settingsUpdated', since);
  assertForced(updated.settings);
  assert.ok(mia.client.open && host.client.open, 'members stay');
  await mia.client.waitFor((m) => m.type === 'participantLeft' && m.participantId === ext.state.self.id, 5000, since);
  const left = mia.client.messages.slice(since).filter((m): m is Msg<'participantLeft'> => m.type === 'participantLeft');
  assert.deepEqual(left.map((m) => [m.participantId, m.reason]).sort(), [[guest.state.self.id, 'removed'], [ext.state.self.id, 'removed']].sort());
  await waitForQueue(host.client, (q) => q.length === 0);
  // No files stay on the server, and no new ones come.
  assert.equal((await download()).status, 404);
  assert.equal((await uploadFile(server, meeting.id, mia.state.participantToken, 'more.txt', Buffer.from('x'))).status, 403);

  // Their resume credentials were revoked like a removal's.
  for (const [out, as] of [[guest, undefined], [ext, partner]] as const) {
    const again = await TestClient.ready(server.wsUrl, as);
    const reply = await again.requestRaw('resume', { meetingId: meeting.id, participantId: out.state.self.id, token: out.state.resume.token });
    assert.equal(errorCode(reply), 'resume_expired', out.state.self.displayName);
    await again.close();
  }
  // And joining anew is refused as for any sensitive meeting; the class is stored.
  await assert.rejects(join(server, meeting, 'Gail Guest'), (e: { code?: string }) => e.code === 'sign_in_required');
  const stored = await server.server.db.selectFrom('meetings').select('sensitivity').where('id', '=', meeting.id).executeTakeFirstOrThrow();
  assert.equal(stored.sensitivity, 'sensitive');

  const log = await actions(meeting.id);
  assert.ok(log.includes('meeting.sensitivity-raised'));
  assert.equal(log.filter((a) => a === 'participant.moved-out').length, 2);
  assert.equal(log.filter((a) => a === 'lobby.moved-out').length, 1);
  const [raised] = await auditOf(meeting.id, 'meeting.sensitivity-raised');
  assert.deepEqual([raised?.from, raised?.to, raised?.movedOut, raised?.filesDropped, raised?.passcode], ['standard', 'sensitive', 3, 1, 'kept']);
  await Promise.all([host.client.close(), mia.client.close()]);
});

test('a members-only meeting waiting in the lobby learns it became sensitive, and keeps waiting', async () => {
  const meeting = await server.createMeeting();
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const mia = await join(server, meeting, 'x', member);
  await waitForQueue(host.client, (q) => q.length === 1);
  await host.client.request('setSensitivity', { sensitivity: 'sensitive' });
  const status = await mia.client.waitFor<Msg<'lobbyStatus'>>((m) => m.type === 'lobbyStatus' && m.sensitivity !== undefined, 15_000, 0);
  assert.deepEqual(status, { type: 'lobbyStatus', status: 'waiting', sensitivity: 'sensitive' });
  assert.deepEqual(mia.client.messages.map((m) => m.type), ['welcome', 'result', 'lobbyStatus'], 'nothing else reached the lobby');
  await Promise.all([host.client.close(), mia.client.close()]);
});

test('a sensitive meeting is never lowered; only its host raises a class; a public meeting raised gets a passcode', async () => {
  const { meeting, host, mia } = await sensitiveMeetingWithMember();
  const since = mia.client.messages.length;
  assert.equal(errorCode(await host.client.requestRaw('setSensitivity', { sensitivity: 'standard' })), 'forced_by_sensitivity');
  assert.deepEqual(await auditOf(meeting.id, 'meeting.sensitivity-refused'), [{ actorName: 'Ada Admin', from: 'sensitive', to: 'standard' }]);
  assert.equal(errorCode(await host.client.requestRaw('setSensitivity', { sensitivity: 'confidential' })), 'bad_request');
  assert.deepEqual(await host.client.request('setSensitivity', { sensitivity: 'sensitive' }), { movedOut: 0 }, 'raising to what it is changes nothing');
  assert.equal(mia.client.messages.slice(since).filter((m) => m.type === 'settingsUpdated').length, 0);
  const stored = await server.server.db.selectFrom('meetings').select('sensitivity').where('id', '=', meeting.id).executeTakeFirstOrThrow();
  assert.equal(stored.sensitivity, 'sensitive');
  await Promise.all([host.client.close(), mia.client.close()]);

  // Hosts only: a member participant of a standard meeting may not raise it.
  const standard = await server.createMeeting({ settings: { lobby: false, joinBeforeHost: true } });
  const h2 = await joinAdmitted(server, standard, 'Host', server.admin);
  const m2 = await joinAdmitted(server, standard, 'x', member);
  assert.equal(errorCode(await m2.client.requestRaw('setSensitivity', { sensitivity: 'sensitive' })), 'forbidden');
  assert.equal(lastOf(h2.client, 'settingsUpdated'), undefined);
  await Promise.all([h2.client.close(), m2.client.close()]);

  // A public meeting has no passcode: raised, it gets one, shown once to the host; the old way in closes.
  const open = await server.createMeeting({ settings: { public: true, lobby: false } });
  assert.equal(open.passcode, null);
  const h3 = await joinAdmitted(server, open, 'Host', server.admin);
  const raised = await h3.client.request('setSensitivity', { sensitivity: 'sensitive' });
  assert.equal(raised.movedOut, 0);
  assert.match(raised.passcode ?? '', /.{8,}/);
  await assert.rejects(join(server, { id: open.id, passcode: null }, 'x', member), (e: { code?: string }) => e.code === 'meeting_access_denied');
  const m3 = await join(server, { id: open.id, passcode: raised.passcode ?? null }, 'x', member);
  assert.deepEqual(m3.result, { status: 'waiting', reason: 'lobby', sensitivity: 'sensitive' });
  const [audited] = await auditOf(open.id, 'meeting.sensitivity-raised');
  assert.equal(audited?.passcode, 'generated');
  assert.ok(!JSON.stringify(await server.server.audit.forMeeting(open.id)).includes(raised.passcode ?? '-'), 'the passcode itself is never audited');
  await Promise.all([h3.client.close(), m3.client.close()]);
});

