/**
 * Connection limits over real sockets (M3): one address holds only so many sockets, lobby sockets
 * included; a socket that never says hello, or says hello and never joins, is closed; one waiting
 * in the lobby stays.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PROTOCOL_VERSION } from '@parley/protocol';
import { TEST_CLIENT_BUILD } from '../test-support/client-build.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ maxConnectionsPerAddress: 3, handshakeTimeoutSeconds: 0.5 });
});
after(async () => {
  await server.close();
});

const hello = (c: TestClient) => c.request('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild: TEST_CLIENT_BUILD });

test('one address may hold only so many sockets, lobby sockets included; others are unaffected', async () => {
  const meeting = await server.createMeeting();
  const waiting = await TestClient.connect(server.wsUrl, {}, '127.0.9.1');
  await hello(waiting);
  const joined = await waiting.request('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Waiting' });
  assert.equal(joined.status, 'waiting');
  const others = await Promise.all([TestClient.connect(server.wsUrl, {}, '127.0.9.1'), TestClient.connect(server.wsUrl, {}, '127.0.9.1')]);
  await assert.rejects(TestClient.connect(server.wsUrl, {}, '127.0.9.1'), /HTTP 429/);
  const elsewhere = await TestClient.connect(server.wsUrl, {}, '127.0.9.2');
  // Closing one frees its place (once the server has seen the close).
  await others[0]?.close();
  let again: TestClient | undefined;
  for (let tries = 0; !again && tries < 200; tries++) {
    again = await TestClient.connect(server.wsUrl, {}, '127.0.9.1').catch(async () => {
      await new Promise((r) => setTimeout(r, 25));
      return undefined;
    });
  }
  assert.ok(again, 'a freed place can be used');
  await Promise.all([waiting, others[1], elsewhere, again].map((c) => c?.close()));
});

test('a socket that never says hello, or says hello and never joins, is closed; one in the lobby stays', async () => {
  const meeting = await server.createMeeting();
  const silent = await TestClient.connect(server.wsUrl, {}, '127.0.10.1');
  const idle = await TestClient.connect(server.wsUrl, {}, '127.0.10.2');
  await hello(idle);
  const waiting = await TestClient.connect(server.wsUrl, {}, '127.0.10.3');
  await hello(waiting);
  assert.equal((await waiting.request('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Waiting' })).status, 'waiting');
  await Promise.all([silent.closed(), idle.closed()]);
  assert.equal(idle.messages.at(-1)?.type, 'bye');
  assert.equal(waiting.open, true, 'a socket waiting in the lobby is not idle');
  await waiting.close();
});
