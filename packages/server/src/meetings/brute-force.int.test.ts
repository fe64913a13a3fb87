/**
 * Brute force against one meeting over real sockets: from one address, and from fifty (distinct
 * loopback addresses), a guesser gets only a small, bounded number of passcode checks; the meeting
 * then stops taking guesses and its hosts are alerted; every failure is recorded. People with the
 * right passcode are never refused for arriving together or for someone else's guesses.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ServerMessage } from '@parley/protocol';
import { joinAdmitted } from '../test-support/join.js';
import { TEST_CLIENT_BUILD } from '../test-support/client-build.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

type Outcome = 'denied' | 'throttled' | 'other';

async function guess(client: TestClient, meetingId: string): Promise<Outcome> {
  const reply = await client.requestRaw('join', { meetingId, passcode: randomBytes(4).toString('hex'), displayName: 'Mallory' });
  if (reply.type !== 'error') return 'other';
  return reply.code === 'meeting_access_denied' ? 'denied' : reply.code === 'rate_limited' ? 'throttled' : 'other';
}

async function auditCount(meetingId: string, action: string): Promise<number> {
  const rows = await server.server.audit.forMeeting(meetingId);
  return rows.filter((r) => r.action === action).length;
}

test('one address: five free guesses, then a few turns; a burst beyond them is refused, truthfully; every attempt is recorded', async () => {
  const meeting = await server.createMeeting();
  const connect = async (): Promise<TestClient> => {
    const client = await TestClient.connect(server.wsUrl, {}, '127.0.0.77');
    await client.request('hello', { protocolVersion: 1, clientBuild: TEST_CLIENT_BUILD });
    return client;
  };
  const attacker = await connect();
  const first: Outcome[] = [];
  for (let i = 0; i < 5; i++) first.push(await guess(attacker, meeting.id));
  assert.deepEqual(first, ['denied', 'denied', 'denied', 'denied', 'denied'], 'the first five guesses are checked (and fail)');
  // Ten more at once (ten sockets): three get turns (1 s, 3 s, 7 s away), the rest are refused now.
  const burst = await Promise.all(Array.from({ length: 10 }, connect));
  const replies = await Promise.all(burst.map((c) => c.requestRaw('join', { meetingId: meeting.id, passcode: randomBytes(4).toString('hex'), displayName: 'Mallory' }, 60_000)));
  const outcomes = replies.map((r) => (r.type !== 'error' ? 'other' : r.code === 'meeting_access_denied' ? 'denied' : r.code === 'rate_limited' ? 'throttled' : 'other'));
  const checked = 5 + outcomes.filter((o) => o === 'denied').length;
  const throttled = outcomes.filter((o) => o === 'throttled').length;
  console.log(`one address: 15 attempts, ${checked} passcodes checked, ${throttled} throttled`);
  assert.equal(checked, 8, 'five free guesses and three turns');
  assert.equal(throttled, 7);
  assert.equal(outcomes.filter((o) => o === 'other').length, 0);
  const refusal = replies.find((r) => r.type === 'error' && r.code === 'rate_limited');
  assert.match(refusal?.type === 'error' ? refusal.message : '', /not checked; retry in \d+ s/);
  assert.equal(await auditCount(meeting.id, 'join.denied'), checked, 'every checked guess is recorded');
  await Promise.all([attacker, ...burst].map((c) => c.close()));
});

test('people with the right passcode arriving together are all let in (H1), thirty addresses and ten behind one', async () => {
  const meeting = await server.createMeeting({ settings: { joinBeforeHost: true } });
  const clients = await Promise.all([
    ...Array.from({ length: 30 }, (_, i) => TestClient.connect(server.wsUrl, {}, `127.0.4.${i + 1}`)),
    ...Array.from({ length: 10 }, () => TestClient.connect(server.wsUrl, {}, '127.0.5.1')),
  ]);
  await Promise.all(clients.map((c) => c.request('hello', { protocolVersion: 1, clientBuild: TEST_CLIENT_BUILD })));
  const replies = await Promise.all(clients.map((c, i) => c.requestRaw('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: `Attendee ${i}` }, 60_000)));
  const refused = replies.filter((r) => r.type === 'error');
  assert.deepEqual(refused, [], 'nobody with the right passcode is refused');
  await Promise.all(clients.map((c) => c.close()));
});

test('a colleague’s right passcode is let in after someone at the same address guessed wrong five times (L2)', async () => {
  const meeting = await server.createMeeting({ settings: { joinBeforeHost: true } });
  const mallory = await TestClient.connect(server.wsUrl, {}, '127.0.6.1');
  await mallory.request('hello', { protocolVersion: 1, clientBuild: TEST_CLIENT_BUILD });
  for (let i = 0; i < 5; i++) assert.equal(await guess(mallory, meeting.id), 'denied');
  const colleague = await TestClient.connect(server.wsUrl, {}, '127.0.6.1');
  await colleague.request('hello', { protocolVersion: 1, clientBuild: TEST_CLIENT_BUILD });
  const reply = await colleague.requestRaw('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Colleague' }, 60_000);
  assert.equal(reply.type, 'result', JSON.stringify(reply));
  await Promise.all([mallory.close(), colleague.close()]);
});

test('fifty addresses: the meeting takes twenty guesses, then none, and its host is alerted', async () => {
  const meeting = await server.createMeeting({ settings: { joinBeforeHost: true } });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const attackers = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const client = await TestClient.connect(server.wsUrl, {}, `127.0.1.${i + 1}`);
      await client.request('hello', { protocolVersion: 1, clientBuild: TEST_CLIENT_BUILD });
      return client;
    }),
  );
  const outcomes = (await Promise.all(attackers.map(async (client) => [await guess(client, meeting.id), await guess(client, meeting.id), await guess(client, meeting.id)]))).flat();
  const checked = outcomes.filter((o) => o === 'denied').length;
  console.log(`fifty addresses: ${outcomes.length} attempts, ${checked} passcodes checked, ${outcomes.length - checked} throttled`);
  assert.ok(checked <= 20, `at most 20 guesses per meeting, got ${checked}`);
  assert.equal(outcomes.filter((o) => o === 'other').length, 0);

  // The meeting now refuses even the right passcode from a fresh address, for a while.
  const legit = await TestClient.connect(server.wsUrl, {}, '127.0.2.1');
  await legit.request('hello', { protocolVersion: 1, clientBuild: TEST_CLIENT_BUILD });
  const refused = await legit.requestRaw('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Late' });
  assert.equal(refused.type === 'error' && refused.code, 'rate_limited');
  // ...but its host (signed in) still gets in, and was alerted.
  const alert = await host.client.waitFor((m: ServerMessage) => m.type === 'alert', 15_000, 0);
  assert.equal(alert.type === 'alert' && alert.kind, 'passcode-guessing');
  assert.equal(await auditCount(meeting.id, 'meeting.guessing-lockout'), 1);
  assert.equal(await auditCount(meeting.id, 'join.denied'), checked);
  await Promise.all([...attackers, legit, host.client].map((c) => c.close()));
});

test('throttled attempts cannot fill the audit log: one event per address and window, with the count (M2)', async () => {
  const meeting = await server.createMeeting();
  const sockets = await Promise.all(
    Array.from({ length: 4 }, async (_, i) => {
      const client = await TestClient.connect(server.wsUrl, {}, `127.0.11.${i + 1}`);
      await client.request('hello', { protocolVersion: 1, clientBuild: TEST_CLIENT_BUILD });
      return client;
    }),
  );
  // Twenty wrong guesses (five from each address) use up the meeting's budget; then everything is throttled.
  for (let i = 0; i < 5; i++) await Promise.all(sockets.map((c) => guess(c, meeting.id)));
  const outcomes = await Promise.all(
    sockets.map(async (c) => {
      const mine: Outcome[] = [];
      for (let i = 0; i < 50; i++) {
        mine.push(await guess(c, meeting.id));
        await new Promise((r) => setTimeout(r, 40)); // stay under the socket's message rate limit
      }
      return mine;
    }),
  );
  assert.ok(outcomes.flat().every((o) => o === 'throttled'));
  assert.equal(await auditCount(meeting.id, 'passcode.throttled'), 4, 'one event per address so far');
  await server.server.untrustedAudit.flush();
  const rows = (await server.server.audit.forMeeting(meeting.id)).filter((r) => r.action === 'passcode.throttled');
  assert.equal(rows.length, 8, 'and one more per address when its window closes');
  const counts = rows.map((r) => (JSON.parse(r.details) as { count: number }).count);
  assert.equal(Math.max(...counts), 50, 'the closing event carries the count');
  await Promise.all(sockets.map((c) => c.close()));
});

test('an unknown meeting and a wrong passcode get the same answer', async () => {
  const meeting = await server.createMeeting();
  const client = await TestClient.connect(server.wsUrl, {}, '127.0.3.1');
  await client.request('hello', { protocolVersion: 1, clientBuild: TEST_CLIENT_BUILD });
  const wrong = await client.requestRaw('join', { meetingId: meeting.id, passcode: 'nottheone', displayName: 'E' });
  const unknown = await client.requestRaw('join', { meetingId: 'zzzz-zzzz-zzzz-zzzz', passcode: 'nottheone', displayName: 'E' });
  assert.deepEqual({ ...wrong, id: 0 }, { ...unknown, id: 0 });
  await client.close();
});
