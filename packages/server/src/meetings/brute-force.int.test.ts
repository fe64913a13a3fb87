/**
 * Brute force against one meeting over real sockets: from one address, and from fifty (distinct
 * loopback addresses), a guesser gets only a small, bounded number of passcode checks; the meeting
 * then stops taking guesses and its hosts are alerted; every failure is recorded.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ServerMessage } from '@parley/protocol';
import { joinAdmitted } from '../test-support/join.js';
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

test('one address: five guesses, then backoff; every failure is recorded', async () => {
  const meeting = await server.createMeeting();
  const attacker = await TestClient.connect(server.wsUrl, {}, '127.0.0.77');
  await attacker.request('hello', { protocolVersion: 1, clientBuild: 'brute' });
  const outcomes: Outcome[] = [];
  const deadline = Date.now() + 4000;
  while (Date.now() < deadline && outcomes.length < 200) {
    outcomes.push(await guess(attacker, meeting.id));
    await new Promise((r) => setTimeout(r, 40)); // stay under the socket's message rate limit
  }
  const checked = outcomes.filter((o) => o === 'denied').length;
  const throttled = outcomes.filter((o) => o === 'throttled').length;
  console.log(`one address, 4 s: ${outcomes.length} attempts, ${checked} passcodes checked, ${throttled} throttled`);
  assert.ok(checked >= 5, 'the first guesses are checked (and fail)');
  assert.ok(checked <= 8, `at most 5 free guesses plus backoff in 4 s, got ${checked}`);
  assert.ok(throttled > 0);
  assert.equal(outcomes.filter((o) => o === 'other').length, 0);
  assert.equal(await auditCount(meeting.id, 'join.denied'), checked, 'every checked guess is recorded');
  assert.equal(await auditCount(meeting.id, 'passcode.throttled'), throttled, 'every throttled attempt is recorded');
  await attacker.close();
});

test('fifty addresses: the meeting takes twenty guesses, then none, and its host is alerted', async () => {
  const meeting = await server.createMeeting({ settings: { joinBeforeHost: true } });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const attackers = await Promise.all(
    Array.from({ length: 50 }, async (_, i) => {
      const client = await TestClient.connect(server.wsUrl, {}, `127.0.1.${i + 1}`);
      await client.request('hello', { protocolVersion: 1, clientBuild: 'brute' });
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
  await legit.request('hello', { protocolVersion: 1, clientBuild: 'x' });
  const refused = await legit.requestRaw('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Late' });
  assert.equal(refused.type === 'error' && refused.code, 'rate_limited');
  // ...but its host (signed in) still gets in, and was alerted.
  const alert = await host.client.waitFor((m: ServerMessage) => m.type === 'alert', 2000, 0);
  assert.equal(alert.type === 'alert' && alert.kind, 'passcode-guessing');
  assert.equal(await auditCount(meeting.id, 'meeting.guessing-lockout'), 1);
  assert.equal(await auditCount(meeting.id, 'join.denied'), checked);
  await Promise.all([...attackers, legit, host.client].map((c) => c.close()));
});

test('an unknown meeting and a wrong passcode get the same answer', async () => {
  const meeting = await server.createMeeting();
  const client = await TestClient.connect(server.wsUrl, {}, '127.0.3.1');
  await client.request('hello', { protocolVersion: 1, clientBuild: 'x' });
  const wrong = await client.requestRaw('join', { meetingId: meeting.id, passcode: 'nottheone', displayName: 'E' });
  const unknown = await client.requestRaw('join', { meetingId: 'zzzz-zzzz-zzzz-zzzz', passcode: 'nottheone', displayName: 'E' });
  assert.deepEqual({ ...wrong, id: 0 }, { ...unknown, id: 0 });
  await client.close();
});
