/**
 * Host headers (L9): a DNS-rebinding page (foreign Host, matching Origin) gets neither HTTP nor a
 * WebSocket, with or without PARLEY_PUBLIC_URL; the listening address, localhost and the public
 * URL's host are served.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from '../test-support/server.js';

let plain: TestServer;
let proxied: TestServer;
before(async () => {
  plain = await startTestServer();
  proxied = await startTestServer({ publicUrl: 'https://meet.example.org' });
});
after(async () => {
  await Promise.all([plain.close(), proxied.close()]);
});

function get(server: TestServer, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: '/api/health', headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function upgrade(server: TestServer, host: string): Promise<number> {
  const ws = new WebSocket(server.wsUrl, { headers: { host, origin: `http://${host}` } });
  return new Promise((resolve) => {
    ws.once('open', () => {
      ws.close();
      resolve(101);
    });
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    ws.once('error', () => resolve(0));
  });
}

test('without a public URL: only the listening address (or localhost) on its port is served', async () => {
  const port = new URL(plain.url).port;
  assert.equal((await get(plain, `127.0.0.1:${port}`)).status, 200);
  assert.equal((await get(plain, `localhost:${port}`)).status, 200);
  const foreign = await get(plain, `rebind.attacker.example:${port}`);
  assert.equal(foreign.status, 403);
  assert.equal((JSON.parse(foreign.body) as { error: { code: string } }).error.code, 'forbidden');
  assert.equal((await get(plain, `127.0.0.1:${Number(port) + 1}`)).status, 403, 'another port');
  assert.equal(await upgrade(plain, `rebind.attacker.example:${port}`), 403, 'a rebinding WebSocket handshake is refused');
  assert.equal(await upgrade(plain, `127.0.0.1:${port}`), 101);
});

test('with a public URL: its host is served too; foreign hosts are not', async () => {
  assert.equal((await get(proxied, 'meet.example.org')).status, 200);
  assert.equal((await get(proxied, 'evil.example.org')).status, 403);
});
