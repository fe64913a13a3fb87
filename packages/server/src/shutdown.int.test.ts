/** `npm start`'s process: SIGTERM tells every client, closes sockets and the database, and exits cleanly. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTestDatabase } from './test-support/database.js';
import { TestClient } from './test-support/ws-client.js';

test('SIGTERM: clients get bye (shutdown), sockets close, the process exits 0', async () => {
  const database = await createTestDatabase('parley-sigterm-');
  const main = fileURLToPath(new URL('./main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...database.env, PARLEY_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /Parley is running at (http:\/\/[^"\s]+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`exited early (${code}): ${out}`)));
    });
    const client = await TestClient.ready(url.replace('http', 'ws') + '/ws');
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const bye = await client.waitFor((m) => m.type === 'bye', 15_000, 0);
    assert.equal(bye.type === 'bye' && bye.reason, 'shutdown');
    assert.equal(await client.closed(), 1001);
    assert.equal(await exited, 0);
  } finally {
    child.kill('SIGKILL');
    await database.drop();
  }
});
