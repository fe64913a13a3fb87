/**
 * GET /metrics over real HTTP against real servers: who may scrape (the allow list, the token, the
 * trusted-proxy rules) and who gets a plain 404; the text parses as Prometheus exposition format
 * and says what the server knows after real joins over WebSocket and real media through the SFU;
 * throttled passcode guesses and alerts are counted; no secret ever appears in it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { ServerMessage } from '@parley/protocol';
import { configFromEnv, resolveConfig } from '../config.js';
import { TEST_CLIENT_BUILD } from '../test-support/client-build.js';
import { join, joinAdmitted } from '../test-support/join.js';
import { TestMedia, eventually } from '../test-support/media-peer.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';

const TOKEN = 'metrics-token-' + randomBytes(12).toString('hex');

// --- a small parser of the Prometheus text format (version 0.0.4) ---------------------------------

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

interface Exposition {
  samples: Sample[];
  types: Map<string, string>;
}

const NAME = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const SAMPLE = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"(?:,|$)/y;

/** Parses the whole text or throws on the first line that is not valid exposition format. */
function parse(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      const meta = new RegExp(`^# (HELP|TYPE) (${NAME}) (.*)$`).exec(line);
      if (!meta) throw new Error(`bad comment line: ${line}`);
      if (meta[1] === 'TYPE') {
        assert.match(meta[3] ?? '', /^(counter|gauge|histogram|summary|untyped)$/, line);
        types.set(meta[2] ?? '', meta[3] ?? '');
      }
      continue;
    }
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`bad sample line: ${line}`);
    const labels: Record<string, string> = {};
    const labelText = m[2] ?? '';
    LABEL.lastIndex = 0;
    while (LABEL.lastIndex < labelText.length) {
      const l = LABEL.exec(labelText);
      if (!l) throw new Error(`bad labels: ${line}`);
      labels[l[1] ?? ''] = (l[2] ?? '').replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    // Values are Go floats: Prometheus reads NaN and Inf in any case (prom-client writes `Nan`).
    const text = (m[3] ?? '').toLowerCase();
    const value = text === '+inf' || text === 'inf' ? Infinity : text === '-inf' ? -Infinity : text === 'nan' ? NaN : Number(text);
    if (Number.isNaN(value) && text !== 'nan') throw new Error(`bad value: ${line}`);
    samples.push({ name: m[1] ?? '', labels, value });
  }
  return { samples, types };
}

/** The value of the one sample with this name and (at least) these labels; undefined if none. */
function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}): number | undefined {
  const found = exposition.samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  assert.ok(found.length <= 1, `${name} ${JSON.stringify(labels)} matches ${found.length} samples`);
  return found[0]?.value;
}

async function scrape(server: TestServer, headers: Record<string, string> = {}): Promise<{ res: Response; text: string }> {
  const res = await fetch(`${server.url}/metrics`, { headers });
  return { res, text: await res.text() };
}

async function metrics(server: TestServer): Promise<Exposition> {
  const { res, text } = await scrape(server);
  assert.equal(res.status, 200, text);
  return parse(text);
}

/** What the server answers for a path it does not have: a refused scrape must look the same. */
async function assertLooksUnknown(server: TestServer, headers: Record<string, string> = {}): Promise<void> {
  const { res, text } = await scrape(server, headers);
  assert.equal(res.status, 404, `scrape with ${JSON.stringify(headers)} was let in`);
  const unknown = await fetch(`${server.url}/no-such-page`);
  assert.equal(res.headers.get('content-type'), unknown.headers.get('content-type'));
  assert.deepEqual(JSON.parse(text), { error: { code: 'not_found', message: 'no route for GET /metrics' } });
  assert.deepEqual(await unknown.json(), { error: { code: 'not_found', message: 'no route for GET /no-such-page' } });
}

// --- tests ----------------------------------------------------------------------------------------

test('from 127.0.0.1: 200 Prometheus text that parses and counts meetings, participants, the lobby, sockets, messages and media', async () => {
  const server = await startTestServer({ mediaWorkers: 1 });
  const media: TestMedia[] = [];
  try {
    const { res, text } = await scrape(server);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const empty = parse(text);
    assert.equal(valueOf(empty, 'parley_meetings_live'), 0);
    assert.equal(valueOf(empty, 'parley_participants', { role: 'host' }), 0);
    assert.equal(empty.types.get('parley_throttled_total'), 'counter');
    assert.equal(empty.types.get('parley_meetings_live'), 'gauge');
    assert.equal(empty.types.get('parley_media_setup_seconds'), 'histogram');
    assert.equal(empty.types.get('parley_join_first_frame_seconds'), 'histogram');
    assert.ok((valueOf(empty, 'parley_process_cpu_user_seconds_total') ?? -1) >= 0, 'process metrics, prefixed parley_');
    assert.equal(valueOf(empty, 'parley_sfu_up'), 1);
    assert.equal(valueOf(empty, 'parley_sfu_workers'), 1);
    const worker = empty.samples.find((s) => s.name === 'parley_sfu_worker_cpu_seconds_total');
    assert.deepEqual(Object.keys(worker?.labels ?? {}).sort(), ['pid', 'worker']);
    assert.ok((worker?.value ?? -1) >= 0);
    assert.ok((valueOf(empty, 'parley_sfu_worker_resident_memory_bytes', { worker: '0' }) ?? 0) > 0, 'worker RSS');

    // A meeting with its host (the administrator) and a guest, over real sockets.
    const meeting = await server.createMeeting({ settings: OPEN_DOORS });
    const host = await joinAdmitted(server, meeting, 'Host', server.admin);
    const guest = await joinAdmitted(server, meeting, 'Guest');
    // Another meeting whose joiner waits (its host is not there, or its lobby holds them).
    const other = await server.createMeeting();
    const waiting = await join(server, other, 'Waiter');
    assert.equal(waiting.result.status, 'waiting');
    const status = waiting.result.status === 'waiting' && waiting.result.reason === 'lobby' ? 'waiting' : 'waiting-for-host';
    guest.client.sendRaw('{not json');
    await guest.client.waitFor((m) => m.type === 'error' && m.code === 'bad_request');

    const joined = await metrics(server);
    assert.equal(valueOf(joined, 'parley_meetings_live'), 2);
    assert.equal(valueOf(joined, 'parley_participants', { role: 'host' }), 1);
    assert.equal(valueOf(joined, 'parley_participants', { role: 'guest' }), 1);
    assert.equal(valueOf(joined, 'parley_participants', { role: 'participant' }), 0);
    assert.equal(valueOf(joined, 'parley_lobby_waiting', { status }), 1);
    assert.equal(valueOf(joined, 'parley_participants_reconnecting'), 0);
    assert.equal(valueOf(joined, 'parley_signaling_connections'), 3);
    assert.equal(valueOf(joined, 'parley_signaling_messages_received_total', { type: 'hello' }), 3);
    assert.equal(valueOf(joined, 'parley_signaling_messages_received_total', { type: 'join' }), 3);
    assert.equal(valueOf(joined, 'parley_signaling_messages_received_total', { type: 'invalid' }), 1);
    assert.equal(valueOf(joined, 'parley_signaling_errors_sent_total', { code: 'bad_request' }), 1);

    // Media: both set it up; the host's microphone reaches the guest through the SFU.
    const hostMedia = await new TestMedia(host.client, host.state).setup();
    media.push(hostMedia);
    const guestMedia = await new TestMedia(guest.client, guest.state).setup();
    media.push(guestMedia);
    const mic = await hostMedia.publish('microphone');
    await guestMedia.waitForMedia(mic.trackId, 20);
    let flowing = await metrics(server);
    await eventually(async () => {
      flowing = await metrics(server);
      return (valueOf(flowing, 'parley_sfu_forwarded_packets_total') ?? 0) > 0 && (valueOf(flowing, 'parley_sfu_received_packets_total') ?? 0) > 0;
    }, 'forwarded and received packets counted');
    assert.equal(valueOf(flowing, 'parley_participants_with_media'), 2);
    assert.equal(valueOf(flowing, 'parley_sfu_peers'), 2);
    assert.equal(valueOf(flowing, 'parley_sfu_tracks'), 1);
    assert.equal(valueOf(flowing, 'parley_sfu_subscriptions'), 1);
    assert.equal(valueOf(flowing, 'parley_media_setup_seconds_count', { after: 'join' }), 2);
    // Join to first frame: timed on the server when the client reports it, once per admission.
    assert.equal(valueOf(flowing, 'parley_join_first_frame_seconds_count', { after: 'join' }) ?? 0, 0);
    await guest.client.request('firstFrame', {});
    await guest.client.request('firstFrame', {});
    const framed = await metrics(server);
    assert.equal(valueOf(framed, 'parley_join_first_frame_seconds_count', { after: 'join' }), 1, 'a second report is not counted');
    assert.ok((valueOf(framed, 'parley_join_first_frame_seconds_sum', { after: 'join' }) ?? 0) > 0);
    assert.ok((valueOf(flowing, 'parley_sfu_forwarded_bytes_total') ?? 0) > (valueOf(flowing, 'parley_sfu_forwarded_packets_total') ?? 0), 'bytes exceed packets');
    // Totals only grow between scrapes.
    await guestMedia.waitForMedia(mic.trackId, 20);
    const later = await metrics(server);
    for (const name of ['parley_sfu_forwarded_packets_total', 'parley_sfu_received_packets_total', 'parley_sfu_forwarded_bytes_total']) {
      assert.ok((valueOf(later, name) ?? 0) >= (valueOf(flowing, name) ?? 0), `${name} went down`);
    }
    assert.ok((valueOf(later, 'parley_sfu_forwarded_packets_total') ?? 0) > (valueOf(flowing, 'parley_sfu_forwarded_packets_total') ?? 0), 'more forwarded since');

    // The guest's socket drops without leaving: they are kept, reconnecting.
    guestMedia.close();
    await guest.client.close();
    await eventually(async () => valueOf(await metrics(server), 'parley_participants_reconnecting') === 1, 'the guest reconnecting');
    assert.equal(valueOf(await metrics(server), 'parley_signaling_connections'), 2);
    await Promise.all([host.client.close(), waiting.client.close()]);
  } finally {
    for (const m of media) m.close();
    await server.close();
  }
});

test('with metricsAllow elsewhere: 127.0.0.1 gets the 404 of an unknown path; the token gets in, a wrong one does not, nor a forged X-Forwarded-For', async () => {
  const server = await startTestServer({ mediaWorkers: 1, metricsAllow: ['10.9.9.9'], metricsToken: TOKEN });
  try {
    await assertLooksUnknown(server);
    await assertLooksUnknown(server, { 'x-forwarded-for': '10.9.9.9' });
    await assertLooksUnknown(server, { authorization: `Bearer ${TOKEN}x` });
    await assertLooksUnknown(server, { authorization: `Bearer ${TOKEN.slice(0, -1)}` });
    await assertLooksUnknown(server, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` });
    await assertLooksUnknown(server, { authorization: TOKEN });
    const { res, text } = await scrape(server, { authorization: `Bearer ${TOKEN}` });
    assert.equal(res.status, 200);
    assert.equal(valueOf(parse(text), 'parley_meetings_live'), 0);
    // The token works from anywhere, forwarded or not.
    assert.equal((await scrape(server, { authorization: `bearer ${TOKEN}`, 'x-forwarded-for': '203.0.113.7' })).res.status, 200);
  } finally {
    await server.close();
  }
});

test('behind a proxy: the trusted proxy’s client address is what is matched; an untrusted forwarded request is not local', async () => {
  // A proxy on this machine that Parley trusts (PARLEY_TRUST_PROXY=true): the client it names counts.
  const proxied = await startTestServer({ mediaWorkers: 1, trustProxy: true, metricsAllow: ['10.9.9.0/24'] });
  try {
    assert.equal((await scrape(proxied, { 'x-forwarded-for': '10.9.9.9' })).res.status, 200);
    await assertLooksUnknown(proxied, { 'x-forwarded-for': '203.0.113.7' });
    await assertLooksUnknown(proxied, { 'x-forwarded-for': '10.9.9.9, 203.0.113.7' });
  } finally {
    await proxied.close();
  }
  // The default allow list (loopback) with no trusted proxy: a request a local proxy forwarded is
  // someone else's, not this machine's.
  const direct = await startTestServer({ mediaWorkers: 1 });
  try {
    assert.equal((await scrape(direct)).res.status, 200, 'a local scraper gets in');
    await assertLooksUnknown(direct, { 'x-forwarded-for': '203.0.113.7' });
    await assertLooksUnknown(direct, { 'x-forwarded-for': '127.0.0.1' });
    await assertLooksUnknown(direct, { forwarded: 'for=203.0.113.7' });
    await assertLooksUnknown(direct, { 'x-real-ip': '203.0.113.7' });
  } finally {
    await direct.close();
  }
});

test('throttled passcode guesses, wrong passcodes and sign-ins, and the guessing alert are counted; no secret is in the scrape', async () => {
  const server = await startTestServer({ mediaWorkers: 1, metricsToken: TOKEN });
  try {
    const meeting = await server.createMeeting({ settings: { joinBeforeHost: true } });
    assert.ok(meeting.passcode);
    const host = await joinAdmitted(server, meeting, 'Host', server.admin);
    const guesser = async (address: string): Promise<TestClient> => {
      const client = await TestClient.connect(server.wsUrl, {}, address);
      await client.request('hello', { protocolVersion: 1, clientBuild: TEST_CLIENT_BUILD });
      return client;
    };
    const guess = (client: TestClient, passcode = randomBytes(4).toString('hex')): Promise<ServerMessage> =>
      client.requestRaw('join', { meetingId: meeting.id, passcode, displayName: 'Mallory' }, 60_000);
    const before = await metrics(server);
    assert.equal(valueOf(before, 'parley_throttled_total', { kind: 'passcode', scope: 'meeting' }), 0);

    // Twenty wrong guesses (five from each of four addresses) use up the meeting's budget...
    const sockets = await Promise.all(['127.0.21.1', '127.0.21.2', '127.0.21.3', '127.0.21.4'].map(guesser));
    for (let i = 0; i < 5; i++) {
      const replies = await Promise.all(sockets.map((c) => guess(c)));
      assert.ok(replies.every((r) => r.type === 'error' && r.code === 'meeting_access_denied'), JSON.stringify(replies));
    }
    // ...so the next guess, even the right passcode from a fresh address, is refused unchecked.
    const late = await guesser('127.0.21.5');
    const refused = await guess(late, meeting.passcode);
    assert.equal(refused.type === 'error' && refused.code, 'rate_limited');
    await host.client.waitFor((m) => m.type === 'alert' && m.kind === 'passcode-guessing', 15_000, 0);

    // A wrong password at sign-in.
    const signIn = await server.api('POST', '/api/auth/sign-in', { email: server.admin.email, password: 'not the password at all' });
    assert.equal(signIn.status, 401);

    const { res, text } = await scrape(server);
    assert.equal(res.status, 200);
    const after = parse(text);
    assert.equal(valueOf(after, 'parley_throttled_total', { kind: 'passcode', scope: 'meeting' }), 1);
    assert.equal(valueOf(after, 'parley_throttled_total', { kind: 'passcode', scope: 'address' }), 0);
    assert.equal(valueOf(after, 'parley_guess_failures_total', { kind: 'passcode' }), 20);
    assert.equal(valueOf(after, 'parley_guess_failures_total', { kind: 'signin' }), 1);
    assert.equal(valueOf(after, 'parley_alerts_total', { kind: 'passcode-guessing', attempted: 'none' }), 1);
    assert.equal(valueOf(after, 'parley_signaling_errors_sent_total', { code: 'rate_limited' }), 1);
    assert.equal(valueOf(after, 'parley_signaling_errors_sent_total', { code: 'meeting_access_denied' }), 20);

    // Nothing secret: not the passcode, the token, the session cookie or CSRF token, the participant's tokens.
    const secrets = [
      meeting.passcode,
      TOKEN,
      server.admin.cookie.replace('parley_session=', ''),
      server.admin.csrfToken,
      host.state.participantToken,
      host.state.resume.token,
      server.admin.email,
    ];
    for (const secret of secrets) assert.ok(secret.length >= 8 && !text.includes(secret), `the scrape contains a secret (${secret.slice(0, 3)}…)`);
    assert.ok(!text.includes(meeting.id), 'nor a meeting ID');
    await Promise.all([...sockets, late, host.client].map((c) => c.close()));
  } finally {
    await server.close();
  }
});

test('PARLEY_METRICS_ALLOW takes addresses, CIDR ranges or none; PARLEY_METRICS_TOKEN must be long enough; the default is loopback', () => {
  assert.deepEqual(resolveConfig({}).metricsAllow, ['127.0.0.1', '::1']);
  assert.deepEqual(configFromEnv({ PARLEY_METRICS_ALLOW: '10.0.0.0/8, ::1,192.168.1.7' }).metricsAllow, ['10.0.0.0/8', '::1', '192.168.1.7']);
  assert.deepEqual(resolveConfig(configFromEnv({ PARLEY_METRICS_ALLOW: 'none' })).metricsAllow, []);
  assert.deepEqual(resolveConfig(configFromEnv({ PARLEY_METRICS_ALLOW: '' })).metricsAllow, ['127.0.0.1', '::1']);
  assert.throws(() => resolveConfig(configFromEnv({ PARLEY_METRICS_ALLOW: 'prometheus.internal' })));
  assert.throws(() => resolveConfig(configFromEnv({ PARLEY_METRICS_ALLOW: '10.0.0.0/40' })));
  assert.equal(resolveConfig(configFromEnv({ PARLEY_METRICS_TOKEN: TOKEN })).metricsToken, TOKEN);
  assert.equal(resolveConfig(configFromEnv({})).metricsToken, undefined);
  assert.throws(() => resolveConfig(configFromEnv({ PARLEY_METRICS_TOKEN: 'short' })));
  assert.throws(() => resolveConfig(configFromEnv({ PARLEY_METRICS_TOKEN: 'has a space in the middle of it' })));
});
