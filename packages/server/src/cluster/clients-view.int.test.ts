/**
 * The Clients view on two Parley processes sharing one Redis and one database: the clients of both
 * nodes are listed whichever node the administrator reaches (a relayed socket once, on the meeting's
 * node), one that leaves disappears from both; the minute samples (a second here) count both nodes,
 * one sample per interval; a snapshot in Redis not signed with the cluster secret, or copied under
 * another node's name, is ignored; and while Redis is unreachable a node answers with its own
 * clients and says the list is partial.
 */
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { createClient } from 'redis';
import { PROTOCOL_VERSION, type AdminClientsView, type CreateMeetingResponse, type SessionInfo } from '@parley/protocol';
import { versionOf } from '../clients/builds.js';
import { createTestDatabase, type TestDatabase } from '../test-support/database.js';
import { CLUSTER_SKIP as SKIP, clusterTest as test, nodeApi as api } from '../test-support/cluster-tests.js';
import { clusterSecret, startNode, startRedis, type TestClusterConfig, type TestNode, type TestRedis } from '../test-support/cluster-nodes.js';
import { eventually } from '../test-support/media-peer.js';
import { OPEN_DOORS, sessionCookie as cookieOf, TEST_PASSWORD, type Credentials } from '../test-support/server.js';
import { TEST_CLIENT_BUILD } from '../test-support/client-build.js';
import { TestClient } from '../test-support/ws-client.js';
import { hmac } from './relay-auth.js';

const FIREFOX_128 = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
const CHROME_120 = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
/** Another accepted build: the served one's version without its hash (the minimum is that version). */
const OTHER_BUILD = versionOf(TEST_CLIENT_BUILD) ?? TEST_CLIENT_BUILD;
const SAMPLE_MS = 1000;
/** Generous: the nodes and these tests share a busy 2-core machine. */
const DEADLINE_MS = 60_000;

let redis: TestRedis & { port: number };
let database: TestDatabase;
let config: TestClusterConfig;
let a: TestNode;
let b: TestNode;
let admin: Credentials;

async function createMeeting(node: TestNode): Promise<CreateMeetingResponse> {
  const res = await api(node, 'POST', '/api/meetings', { settings: OPEN_DOORS }, admin);
  assert.equal(res.status, 201, await res.clone().text());
  return (await res.json()) as CreateMeetingResponse;
}

async function clientsView(node: TestNode): Promise<AdminClientsView> {
  const res = await api(node, 'GET', '/api/admin/clients?hours=1', undefined, admin);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as AdminClientsView;
}

/** A socket to `node` with this browser, past hello with this build. */
async function connect(node: TestNode, userAgent: string, clientBuild: string): Promise<TestClient> {
  const client = await TestClient.connect(node.wsUrl, { 'user-agent': userAgent });
  await client.request('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild });
  return client;
}

/** …and in `meeting` as `name` (its room is on whichever node the meeting lives on: relayed if not this one). */
async function inMeeting(node: TestNode, userAgent: string, clientBuild: string, meeting: CreateMeetingResponse, name: string): Promise<TestClient> {
  const client = await connect(node, userAgent, clientBuild);
  const reply = await client.requestRaw('join', { meetingId: meeting.id, ...(meeting.passcode ? { passcode: meeting.passcode } : {}), displayName: name });
  assert.equal(reply.type === 'result' && (reply.result as { status?: string }).status, 'admitted', JSON.stringify(reply));
  return client;
}

/** A sample's JSON counts are exactly `expected`. */
function sameCounts(json: string, expected: Record<string, number>): boolean {
  const parsed = JSON.parse(json) as Record<string, number>;
  const keys = Object.keys(parsed);
  return keys.length === Object.keys(expected).length && keys.every((k) => parsed[k] === expected[k]);
}

const named = (view: AdminClientsView, name: string) => view.connected.filter((c) => c.displayName === name);

/** Until neither node lists anyone (the clients of an earlier test leave the other node's view at its next share). */
async function nobodyListed(): Promise<void> {
  for (const node of [a, b]) await eventually(async () => (await clientsView(node)).connected.length === 0, `${node.name} lists nobody`, DEADLINE_MS);
}

before(async () => {
  if (SKIP) return;
  redis = await startRedis();
  database = await createTestDatabase('parley-clients-view-');
  config = { redisUrl: redis.url, secret: clusterSecret(), database: database.env };
  const env = { PARLEY_CLIENT_SAMPLE_MS: String(SAMPLE_MS) };
  [a, b] = await Promise.all([startNode('node-a', config, { fresh: true, env }), startNode('node-b', config, { fresh: true, env })]);
  const setup = await api(a, 'POST', '/api/setup', { token: a.setupToken, email: 'admin@parley.test', displayName: 'Ada Admin', password: TEST_PASSWORD });
  assert.equal(setup.status, 201);
  const info = (await setup.json()) as SessionInfo;
  admin = { cookie: cookieOf(setup), csrfToken: info.csrfToken ?? '', userId: info.user?.id ?? '', email: 'admin@parley.test' };
});

after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
  await database?.drop();
});

test("either node lists both nodes' clients with their builds and browsers, a relayed one once; one that leaves disappears", async () => {
  const onA = await createMeeting(a);
  const onB = await createMeeting(b);
  // The first joiner places each meeting on the node it reached.
  const ann = await inMeeting(a, FIREFOX_128, TEST_CLIENT_BUILD, onA, 'Ann via A');
  const ben = await inMeeting(b, CHROME_120, OTHER_BUILD, onB, 'Ben via B');
  // Reaches B, but her meeting's room is on A: B relays her socket there.
  const rita = await inMeeting(b, FIREFOX_128, OTHER_BUILD, onA, 'Rita relayed by B');

  const complete = (view: AdminClientsView): boolean => ['Ann via A', 'Ben via B', 'Rita relayed by B'].every((name) => named(view, name).length > 0);
  for (const node of [a, b]) {
    let view: AdminClientsView | undefined;
    await eventually(async () => complete((view = await clientsView(node))), `${node.name} lists the clients of both nodes`, DEADLINE_MS);
    assert.ok(view);
    assert.equal(view.partial, false);
    assert.deepEqual(view.nodes.map((n) => n.node).sort(), ['node-a', 'node-b']);
    assert.equal(view.nodes[0]?.node, node.name, 'the node that answered comes first');
    const strip = (name: string) => named(view as AdminClientsView, name).map((c) => ({ ...c, connectedAt: 0 }));
    assert.deepEqual(strip('Ann via A'), [{ build: TEST_CLIENT_BUILD, browser: 'Firefox 128', browserFamily: 'firefox', browserMajor: 128, outdated: false, meetingId: onA.id, displayName: 'Ann via A', connectedAt: 0 }]);
    assert.deepEqual(strip('Ben via B'), [{ build: OTHER_BUILD, browser: 'Chrome 120', browserFamily: 'chromium', browserMajor: 120, outdated: false, meetingId: onB.id, displayName: 'Ben via B', connectedAt: 0 }]);
    // Counted once, on A where her room is: B holds only the pipe.
    assert.deepEqual(strip('Rita relayed by B'), [{ build: OTHER_BUILD, browser: 'Firefox 128', browserFamily: 'firefox', browserMajor: 128, outdated: false, meetingId: onA.id, displayName: 'Rita relayed by B', connectedAt: 0 }]);
  }

  await ben.close();
  for (const node of [a, b]) {
    await eventually(async () => named(await clientsView(node), 'Ben via B').length === 0, `${node.name} no longer lists the client that left`, DEADLINE_MS);
    const view = await clientsView(node);
    assert.equal(named(view, 'Ann via A').length, 1);
    assert.equal(named(view, 'Rita relayed by B').length, 1);
  }
  await Promise.all([ann.close(), rita.close()]);
  await nobodyListed();
});

test('the samples count the clients of both nodes, one sample per interval', async () => {
  await nobodyListed();
  const since = Date.now();
  const onA = await connect(a, FIREFOX_128, TEST_CLIENT_BUILD);
  const onB = await connect(b, CHROME_120, OTHER_BUILD);
  const db = await database.open();
  try {
    const rows = () => db.selectFrom('client_samples').selectAll().where('at', '>=', since).orderBy('at').execute();
    // Counted per node, no sample would ever hold both.
    await eventually(
      async () => (await rows()).some((r) => r.total === 2 && sameCounts(r.by_browser, { 'Firefox 128': 1, 'Chrome 120': 1 })),
      'a sample counting the client on A and the one on B',
      DEADLINE_MS,
    );
    const both = (await rows()).find((r) => r.total === 2 && sameCounts(r.by_browser, { 'Firefox 128': 1, 'Chrome 120': 1 }));
    assert.ok(both);
    assert.ok(sameCounts(both.by_build, OTHER_BUILD === TEST_CLIENT_BUILD ? { [TEST_CLIENT_BUILD]: 2 } : { [TEST_CLIENT_BUILD]: 1, [OTHER_BUILD]: 1 }), both.by_build);
    assert.equal(both.outdated, 0);
    // One node wrote each interval's sample: never two in one interval.
    const all = await rows();
    const slots = all.map((r) => Math.floor(r.at / SAMPLE_MS));
    assert.equal(new Set(slots).size, slots.length, `one sample per interval: ${JSON.stringify(all.map((r) => [r.at, r.total]))}`);
    // The view shows the same history at either node (it is the shared database's).
    const atA = (await clientsView(a)).samples.find((s) => s.at === both.at);
    assert.deepEqual(atA && { total: atA.total, byBrowser: atA.byBrowser }, { total: 2, byBrowser: { 'Firefox 128': 1, 'Chrome 120': 1 } });
  } finally {
    await db.destroy();
    await Promise.all([onA.close(), onB.close()]);
  }
});

test("a snapshot in Redis not signed with the cluster secret, or another node's copied under a new name, is ignored", async () => {
  await nobodyListed();
  const client = await connect(b, CHROME_120, OTHER_BUILD);
  await eventually(async () => (await clientsView(a)).connected.length === 1 && (await clientsView(b)).connected.length === 1, "A lists B's client", DEADLINE_MS);
  const writer = createClient({ url: redis.url });
  await writer.connect();
  try {
    const now = Date.now();
    const forged = (node: string, name: string) =>
      JSON.stringify({
        node,
        at: now,
        omitted: 0,
        clients: [{ build: TEST_CLIENT_BUILD, browser: { family: 'firefox', name: 'Firefox', major: 128 }, meetingId: null, displayName: name, connectedAt: now }],
      });
    const put = async (node: string, envelope: string): Promise<void> => {
      await writer.set(`parley:clients:{${node}}`, envelope, { expiration: { type: 'PX', value: 60_000 } });
      await writer.zAdd('parley:clients:nodes', { score: Date.now(), value: node });
    };
    // Someone who can write to Redis invents clients: no MAC, a wrong one, one under another secret.
    const payload = forged('node-evil', 'Forged');
    await put('node-evil', JSON.stringify({ payload, mac: 'A'.repeat(43) }));
    await put('node-evil2', JSON.stringify({ payload: forged('node-evil2', 'Forged'), mac: hmac('not the cluster secret, not at all', `clients\n${forged('node-evil2', 'Forged')}`) }));
    await put('node-evil3', JSON.stringify({ payload: forged('node-evil3', 'Forged') }));
    await put('node-evil4', 'not json at all {');
    // …or copies B's genuine snapshot under another node's name, to count B's clients twice.
    const genuine = await writer.get('parley:clients:{node-b}');
    assert.ok(genuine);
    await put('node-copy', genuine);

    for (const node of [a, b]) {
      const view = await clientsView(node);
      assert.deepEqual(named(view, 'Forged'), [], `${node.name} lists no forged client`);
      assert.equal(view.connected.length, 1, `${node.name} lists B's client once: ${JSON.stringify(view.connected)}`);
      assert.deepEqual(view.nodes.map((n) => n.node).sort(), ['node-a', 'node-b']);
      assert.equal(view.partial, false);
    }
    // The same snapshot signed with the cluster secret is listed: what was refused above was the signature.
    const signed = forged('node-c', 'Signed');
    await put('node-c', JSON.stringify({ payload: signed, mac: hmac(config.secret, `clients\n${signed}`) }));
    const view = await clientsView(a);
    assert.equal(named(view, 'Signed').length, 1);
    assert.ok(view.nodes.some((n) => n.node === 'node-c'));
  } finally {
    for (const node of ['node-evil', 'node-evil2', 'node-evil3', 'node-evil4', 'node-copy', 'node-c']) {
      await writer.del(`parley:clients:{${node}}`);
      await writer.zRem('parley:clients:nodes', node);
    }
    await writer.close();
    await client.close();
  }
});

test('while Redis is unreachable a node lists its own clients and says the list is partial', async () => {
  await nobodyListed();
  const here = await connect(a, FIREFOX_128, TEST_CLIENT_BUILD);
  const there = await connect(b, CHROME_120, OTHER_BUILD);
  await eventually(async () => (await clientsView(a)).connected.length === 2, 'A lists both', DEADLINE_MS);
  await redis.stop();
  try {
    let view: AdminClientsView | undefined;
    await eventually(async () => (view = await clientsView(a)).partial, 'A says its list is partial', DEADLINE_MS);
    assert.ok(view);
    assert.deepEqual(view.nodes, [{ node: 'node-a', listed: 1, omitted: 0 }]);
    assert.deepEqual(view.connected.map((c) => c.browser), ['Firefox 128'], 'its own client only');
  } finally {
    redis = await startRedis(redis.port);
  }
  // Redis is back (empty): within a share or two both nodes' clients are listed again.
  await eventually(async () => {
    const view = await clientsView(a);
    return !view.partial && view.connected.length === 2;
  }, 'A lists both again once Redis is back', DEADLINE_MS);
  await Promise.all([here.close(), there.close()]);
});
