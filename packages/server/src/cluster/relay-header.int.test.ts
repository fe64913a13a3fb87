/** Nobody talks their way into another client address: a single node refuses every relay header. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';
import { signRelay } from './relay-auth.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

test('a single node refuses a signaling upgrade that claims to be relayed, and takes the same client without it', async () => {
  await assert.rejects(TestClient.connect(server.wsUrl, { 'x-parley-relay': signRelay('s'.repeat(40), 'node-a', '198.51.100.9') }), /HTTP 403/);
  await assert.rejects(TestClient.connect(server.wsUrl, { 'x-parley-relay': 'garbage' }), /HTTP 403/);
  const plain = await TestClient.ready(server.wsUrl);
  assert.ok(plain.open);
  await plain.close();
});
