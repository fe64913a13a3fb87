/** Starts a real Parley server on an ephemeral port with a throwaway data directory. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startParley, type RunningParley } from '../index.js';
import type { ParleyOptions } from '../config.js';

export interface TestServer extends RunningParley {
  readonly wsUrl: string;
  readonly dataDir: string;
  createMeeting(title?: string): Promise<{ id: string; passcode: string; joinUrl: string }>;
}

export async function startTestServer(options: ParleyOptions = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-test-'));
  const running = await startParley({ port: 0, host: '127.0.0.1', dataDir, logLevel: 'silent', ...options });
  return {
    ...running,
    dataDir,
    wsUrl: running.url.replace(/^http/, 'ws') + '/ws',
    async createMeeting(title?: string) {
      const res = await fetch(`${running.url}/api/meetings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(title ? { title } : {}),
      });
      if (res.status !== 201) throw new Error(`create meeting: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; passcode: string; joinUrl: string };
    },
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
