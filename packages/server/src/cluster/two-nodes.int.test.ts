/**
 * Two Parley processes behind an imaginary load balancer, sharing one Redis and one database: people
 * who reach different nodes meet in one room, a guesser spread over both nodes is throttled as one,
 * a removal and an account disabling on one node hold on the other, and when the meeting's node is
 * killed (-9) the meeting and its people move to the other node, resuming with their credentials.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before } from 'node:test';
import { createClient } from 'redis';
import { DEFAULT_POLICY, PROTOCOL_VERSION, type CreateMeetingResponse, type MeetingSettingsPatch, type RoomState, type ServerMessage, type SessionInfo } from '@parley/protocol';
import { verifyStoredLog } from '../audit/status.js';
import { createTestDatabase, type TestDatabase } from '../test-support/database.js';
import { CLUSTER_SKIP as SKIP, clusterTest as test, nodeApi as api } from '../test-support/cluster-tests.js';
import { clusterSecret, startNode, startRedis, type TestClusterConfig, type TestNode, type TestRedis } from '../test-support/cluster-nodes.js';
import { eventually, TestMedia } from '../test-support/media-peer.js';
import { OPEN_DOORS, sessionCookie as cookieOf, TEST_PASSWORD, type Credentials } from '../test-support/server.js';
import { TEST_CLIENT_BUILD } from '../test-support/client-build.js';
import { signRelay } from './relay-auth.js';
import { TestClient } from '../test-support/ws-client.js';

type Msg<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

let redis: TestRedis & { port: number };
let database: TestDatabase;
let config: TestClusterConfig;
let a: TestNode;
let b: TestNode;
let admin: Credentials;

async function signIn(node: TestNode, email: string, password = TEST_PASSWORD): Promise<Response> {
  return api(node, 'POST', '/api/auth/sign-in', { email, password });
}

async function credentials(res: Response, email: string): Promise<Credentials> {
  const info = (await res.json()) as SessionInfo;
  return { cookie: cookieOf(res), csrfToken: info.csrfToken ?? '', userId: info.user?.id ?? '', email };
}

async function createUser(email: string): Promise<Credentials> {
  const res = await api(a, 'POST', '/api/users', { email, displayName: email.split('@')[0], password: TEST_PASSWORD, orgRole: 'member' }, admin);
  assert.equal(res.status, 201, await res.clone().text());
  const signedIn = await signIn(b, email);
  assert.equal(signedIn.status, 200);
  return credentials(signedIn, email);
}

async function createMeeting(node: TestNode, settings: MeetingSettingsPatch = OPEN_DOORS, host: Credentials = admin): Promise<CreateMeetingResponse> {
  const res = await api(node, 'POST', '/api/meetings', { settings }, host);
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as CreateMeetingResponse;
}

async function newDevice(node: TestNode): Promise<string> {
  const res = await api(node, 'GET', '/api/session');
  const match = /parley_device=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
  if (!match) throw new Error('no device cookie');
  return `parley_device=${match[1]}`;
}

async function joinVia(node: TestNode, meeting: CreateMeetingResponse, name: string, cookie?: string): Promise<{ client: TestClient; reply: ServerMessage }> {
  const client = await TestClient.ready(node.wsUrl, cookie ? { cookie } : undefined);
  const reply = await client.requestRaw('join', { meetingId: meeting.id, ...(meeting.passcode ? { passcode: meeting.passcode } : {}), displayName: name });
  return { client, reply };
}

function admitted(reply: ServerMessage): RoomState {
  assert.equal(reply.type, 'result', JSON.stringify(reply));
  const result = (reply as Msg<'result'>).result as { status: string; state: RoomState };
  assert.equal(result.status, 'admitted', JSON.stringify(result));
  return result.state;
}

before(async () => {
  if (SKIP) return;
  redis = await startRedis();
  database = await createTestDatabase('parley-cluster-');
  config = { redisUrl: redis.url, secret: clusterSecret(), database: database.env };
  // Both at once on the fresh database, as an orchestrator starts them: PostgreSQL migrates once
  // (Kysely's migration lock), they share the audit signing key's file, and print one setup link.
  [a, b] = await Promise.all([startNode('node-a', config, { fresh: true }), startNode('node-b', config, { fresh: true })]);
  assert.ok(a.setupToken);
  assert.equal(b.setupToken, a.setupToken, 'every node prints the same first-administrator link');
  // So the link node A printed works whichever node the load balancer chooses. Sent through both
  // nodes at the same moment, it makes one first administrator, not two.
  const tries = await Promise.all(
    [b, a].map(async (node, i) => {
      const email = `admin${i}@parley.test`;
      return { email, res: await api(node, 'POST', '/api/setup', { token: a.setupToken, email, displayName: 'Ada Admin', password: TEST_PASSWORD }) };
    }),
  );
  assert.deepEqual(tries.map((t) => t.res.status).sort(), [201, 403], 'one setup wins; the other, at the same moment, is refused');
  const won = tries.find((t) => t.res.status === 201);
  assert.ok(won);
  admin = await credentials(won.res, won.email);
});

after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
  await database?.drop();
});

test('a relay header not signed with the cluster secret is refused', async () => {
  await assert.rejects(TestClient.connect(b.wsUrl, { 'x-parley-relay': signRelay('not the cluster secret, not at all', 'node-a', '198.51.100.9') }), /HTTP 403/);
  const genuine = await TestClient.connect(b.wsUrl, { 'x-parley-relay': signRelay(config.secret, 'node-a', '198.51.100.9') });
  await genuine.close();
});

test('a lease in Redis not signed with the cluster secret is never followed', async () => {
  const meeting = await createMeeting(a);
  // Someone who can write to Redis points the meeting at their own server, to collect the cookies a relay carries.
  let visited = false;
  const trap = createServer((_req, res) => {
    visited = true;
    res.end();
  });
  await new Promise<void>((resolve) => trap.listen(0, '127.0.0.1', resolve));
  const address = trap.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const writer = createClient({ url: redis.url });
  await writer.connect();
  await writer.set(`parley:meeting:{${meeting.id}}`, JSON.stringify({ node: 'node-evil', url, mac: 'A'.repeat(43) }), { expiration: { type: 'PX', value: 60_000 } });
  for (const node of [a, b]) {
    const attempt = await joinVia(node, meeting, 'Victim', admin.cookie);
    assert.equal(attempt.reply.type === 'error' && attempt.reply.code, 'internal', JSON.stringify(attempt.reply));
    await attempt.client.close();
  }
  assert.equal(visited, false, 'no node connected to the forged address');
  await writer.del(`parley:meeting:{${meeting.id}}`);
  await writer.close();
  await new Promise((resolve) => trap.close(resolve));
});

test('two people joining through different nodes meet in one room, media and files included', async () => {
  const meeting = await createMeeting(b, { ...OPEN_DOORS, features: { fileSharing: true } });
  const first = await joinVia(a, meeting, 'Through A');
  const one = admitted(first.reply);
  const second = await joinVia(b, meeting, 'Through B');
  const two = admitted(second.reply);
  assert.deepEqual(two.participants.map((p) => p.displayName), ['Through A'], 'B sees A in the roster');
  const joined = await first.client.waitFor<Msg<'participantJoined'>>((m) => m.type === 'participantJoined', 10_000, 0);
  assert.equal(joined.participant.displayName, 'Through B');

  // What the relay costs: a signaling round trip straight to the meeting's node, and through the other.
  const roundTrips = async (client: TestClient): Promise<number> => {
    const started = performance.now();
    for (let i = 0; i < 20; i++) await client.request('raiseHand', { raised: i % 2 === 0 });
    return (performance.now() - started) / 20;
  };
  console.log(`signaling round trip: direct ${(await roundTrips(first.client)).toFixed(2)} ms, relayed ${(await roundTrips(second.client)).toFixed(2)} ms`);

  // Files live in the room on A; HTTP that reaches B is forwarded there.
  const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(200, 0x20)]);
  const upload = await fetch(`${b.url}/api/meetings/${meeting.id}/files?name=notes.pdf`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-parley-participant': two.participantToken },
    body: new Uint8Array(pdf),
  });
  assert.equal(upload.status, 201, await upload.clone().text());
  const file = (await upload.json()) as { id: string };
  await first.client.waitFor((m) => m.type === 'fileShared', 10_000, 0);
  const download = await fetch(`${b.url}/api/meetings/${meeting.id}/files/${file.id}`, { headers: { 'x-parley-participant': one.participantToken } });
  assert.equal(download.status, 200);
  assert.equal(download.headers.get('x-content-type-options'), 'nosniff');
  assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="notes.pdf"/);
  assert.deepEqual(Buffer.from(await download.arrayBuffer()), pdf);
  const stranger = await fetch(`${b.url}/api/meetings/${meeting.id}/files/${file.id}`, { headers: { 'x-parley-participant': 'x'.repeat(32) } });
  assert.equal(stranger.status, 403, 'the meeting node still decides');

  const mediaA = await new TestMedia(first.client, one).setup();
  const mediaB = await new TestMedia(second.client, two).setup();
  const mic = await mediaB.publish('microphone');
  await mediaA.waitForMedia(mic.trackId, 10);
  mediaA.close();
  mediaB.close();

  // A drop and a resume through B (relayed to A, where the room is): the same participant, with the credential.
  await second.client.close();
  await first.client.waitFor((m) => m.type === 'participantUpdated' && m.participant.id === two.self.id && m.participant.connection === 'reconnecting', 30_000, 0);
  const back = await TestClient.ready(b.wsUrl);
  const resumed = admitted(await back.requestRaw('resume', { meetingId: meeting.id, participantId: two.self.id, token: two.resume.token }));
  assert.equal(resumed.self.id, two.self.id);
  await Promise.all([first.client.close(), back.close()]);
});

test('a passcode guesser alternating between nodes is throttled as one; the right passcode still gets in', async () => {
  const meeting = await createMeeting(a);
  assert.ok(meeting.passcode);
  const guess = async (node: TestNode, meetingId: string, passcode: string): Promise<ServerMessage> => {
    const client = await TestClient.ready(node.wsUrl);
    const reply = await client.requestRaw('join', { meetingId, passcode, displayName: 'Guesser' }, 30_000);
    await client.close();
    return reply;
  };
  const nodes = [a, b];
  // A scanner: wrong passcodes for the meeting and for made-up meeting IDs, alternating nodes.
  const targets = ['aaaa-bbbb-cccc-dddd', meeting.id, 'eeee-ffff-gggg-hhhh', meeting.id, 'jjjj-kkkk-mmmm-nnnn'];
  for (const [i, target] of targets.entries()) {
    const reply = await guess(nodes[i % 2] as TestNode, target, 'wrong-passcode-1');
    assert.equal(reply.type === 'error' && reply.code, 'meeting_access_denied', JSON.stringify(reply));
  }
  // The five free failures are used up across both nodes together: a burst now is spaced out and
  // mostly refused. Counted per node (3 on A, 2 on B) every one of these would have been checked at once.
  const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => guess(nodes[i % 2] as TestNode, i % 3 === 0 ? meeting.id : `qqqq-rrrr-ssss-tt${i}t`, 'wrong-passcode-2')));
  const refused = burst.filter((r) => r.type === 'error' && r.code === 'rate_limited');
  assert.ok(refused.length >= 2, `throttled as one: ${JSON.stringify(burst.map((r) => r.type === 'error' && r.code))}`);
  assert.ok(refused.every((r) => r.type === 'error' && /from your network/.test(r.message)));

  // A colleague elsewhere with the right passcode is not held up by the guesser, on either node.
  const colleague = await TestClient.connect(b.wsUrl, {}, '127.0.0.2');
  await colleague.request('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild: TEST_CLIENT_BUILD });
  admitted(await colleague.requestRaw('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Colleague' }));
  await colleague.close();

  // The guesser's own address with the right passcode: in once its turn comes (late, never refused for good).
  let inside: ServerMessage | undefined;
  for (let attempt = 0; attempt < 6 && !inside; attempt++) {
    const reply = await guess(nodes[attempt % 2] as TestNode, meeting.id, meeting.passcode);
    if (reply.type === 'error' && reply.code === 'rate_limited') {
      const seconds = Number(/retry in (\d+) s/.exec(reply.message)?.[1] ?? '1');
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      continue;
    }
    inside = reply;
  }
  assert.ok(inside);
  admitted(inside);
});

test('sign-in guesses spread over both nodes are throttled as one', async () => {
  await createUser('target@parley.test');
  for (let i = 0; i < 5; i++) {
    const res = await signIn(i % 2 === 0 ? a : b, 'target@parley.test', `wrong password ${i}`);
    assert.equal(res.status, 401);
  }
  const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => signIn(i % 2 === 0 ? a : b, 'target@parley.test', `wrong again ${i}`)));
  assert.ok(burst.filter((r) => r.status === 429).length >= 2, `statuses: ${burst.map((r) => r.status).join(',')}`);
});

test('someone removed on one node cannot come back through the other', async () => {
  const meeting = await createMeeting(a);
  const host = await joinVia(a, meeting, 'Host', admin.cookie);
  admitted(host.reply);
  const device = await newDevice(b);
  const trouble = await joinVia(b, meeting, 'Trouble', device);
  const state = admitted(trouble.reply);
  await host.client.request('remove', { participantId: state.self.id });
  const bye = await trouble.client.waitFor<Msg<'bye'>>((m) => m.type === 'bye', 10_000, 0);
  assert.equal(bye.reason, 'removed');
  for (const node of [a, b]) {
    const again = await joinVia(node, meeting, 'Someone Else', device);
    assert.equal(again.reply.type === 'error' && again.reply.code, 'removed', `through ${node.name}`);
    await again.client.close();
  }
  await host.client.close();
});

test('an account disabled on one node is moved out of a meeting on the other', async () => {
  const member = await createUser('soon-disabled@parley.test');
  const meeting = await createMeeting(b);
  const inMeeting = await joinVia(b, meeting, 'Member', member.cookie);
  admitted(inMeeting.reply);
  const res = await api(a, 'POST', `/api/admin/users/${member.userId}/disable`, {}, admin);
  assert.equal(res.status, 200, await res.clone().text());
  const bye = await inMeeting.client.waitFor<Msg<'bye'>>((m) => m.type === 'bye', 10_000, 0);
  assert.equal(bye.reason, 'account-disabled');
});

test('a policy change on one node applies at once to a meeting running on the other', async () => {
  const meeting = await createMeeting(b, { ...OPEN_DOORS, features: { chat: true } });
  const guest = await joinVia(b, meeting, 'Gus');
  assert.equal(admitted(guest.reply).settings.features.chat, true);
  const since = guest.client.messages.length;
  const res = await api(a, 'PUT', '/api/admin/policy', { ...DEFAULT_POLICY, locked: { features: { chat: false } } }, admin);
  assert.equal(res.status, 200, await res.clone().text());
  const updated = await guest.client.waitFor<Msg<'settingsUpdated'>>((m) => m.type === 'settingsUpdated', 10_000, since);
  assert.equal(updated.settings.features.chat, false);
  assert.deepEqual(updated.settings.lockedByPolicy, ['features.chat']);
  assert.equal((await api(b, 'PUT', '/api/admin/policy', DEFAULT_POLICY, admin)).status, 200);
  await guest.client.close();
});

test('killing the meeting node moves the meeting and its people to the other node', async () => {
  const meeting = await createMeeting(a);
  const host = await joinVia(a, meeting, 'Host', admin.cookie);
  const hostState = admitted(host.reply);
  const guest = await joinVia(b, meeting, 'Guest');
  const guestState = admitted(guest.reply);

  const killedAt = performance.now();
  await a.kill();
  // Both lose their sockets: the host's was to A; the guest's relay through B to A broke.
  await Promise.all([host.client.closed(), guest.client.closed()]);

  const resumeVia = async (state: RoomState, cookie?: string): Promise<{ client: TestClient; state: RoomState }> => {
    for (;;) {
      const client = await TestClient.ready(b.wsUrl, cookie ? { cookie } : undefined);
      const reply = await client.requestRaw('resume', { meetingId: state.meeting.id, participantId: state.self.id, token: state.resume.token }, 30_000);
      if (reply.type === 'error' && reply.code === 'shutting_down') {
        await client.close();
        continue;
      }
      return { client, state: admitted(reply) };
    }
  };
  const [hostBack, guestBack] = await Promise.all([resumeVia(hostState, admin.cookie), resumeVia(guestState)]);
  const failoverMs = performance.now() - killedAt;
  console.log(`failover: kill -9 of the meeting's node to both people resumed on the other: ${Math.round(failoverMs)} ms`);
  assert.equal(hostBack.state.self.id, hostState.self.id);
  assert.equal(hostBack.state.self.role, 'host');
  assert.equal(guestBack.state.self.id, guestState.self.id);
  // The room was rebuilt on B from the database; whoever resumed first sees the other come in.
  const sees = (back: { client: TestClient; state: RoomState }, id: string): boolean =>
    back.state.participants.some((p) => p.id === id) || back.client.messages.some((m) => (m.type === 'participantJoined' || m.type === 'participantUpdated') && m.participant.id === id);
  await eventually(() => sees(hostBack, guestState.self.id) && sees(guestBack, hostState.self.id), 'the two see each other again');
  // The meeting lives on B now: a newcomer through B is in with them.
  const late = await joinVia(b, meeting, 'Late');
  const lateState = admitted(late.reply);
  assert.deepEqual(lateState.participants.map((p) => p.id).sort(), [hostState.self.id, guestState.self.id].sort());
  await Promise.all([hostBack.client.close(), guestBack.client.close(), late.client.close()]);
});

test('a node that loses Redis closes its rooms (people keep their credentials) and takes no joins until it is back', async () => {
  const meeting = await createMeeting(b);
  const inside = await joinVia(b, meeting, 'Inside');
  const state = admitted(inside.reply);
  await redis.stop();
  // Before its 10 s lease could lapse, B stops running the meeting: nobody could take it meanwhile.
  const bye = await inside.client.waitFor<Msg<'bye'>>((m) => m.type === 'bye', 30_000, 0);
  assert.equal(bye.reason, 'shutdown');
  const late = await joinVia(b, meeting, 'Late');
  assert.equal(late.reply.type === 'error' && late.reply.code, 'shutting_down', JSON.stringify(late.reply));
  await late.client.close();

  // Redis is back (empty: no persistence): the person resumes with the credential they kept.
  redis = await startRedis(redis.port);
  for (;;) {
    const client = await TestClient.ready(b.wsUrl);
    const reply = await client.requestRaw('resume', { meetingId: meeting.id, participantId: state.self.id, token: state.resume.token }, 30_000);
    if (reply.type === 'error' && reply.code === 'shutting_down') {
      await client.close();
      await new Promise((resolve) => setTimeout(resolve, 500));
      continue;
    }
    assert.equal(admitted(reply).self.id, state.self.id);
    await client.close();
    break;
  }
});

test('the audit chain two nodes wrote to one database verifies', async () => {
  const db = await database.open();
  try {
    const result = await verifyStoredLog(db, undefined);
    assert.deepEqual(result.problems, []);
    assert.ok(result.records > 0);
  } finally {
    await db.destroy();
  }
});
