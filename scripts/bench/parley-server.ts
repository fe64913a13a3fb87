/**
 * Parley's real server as its own process (`node packages/server/dist/main.js`, env PORT, HOST,
 * PARLEY_DATA_DIR), so /proc measures it (and its mediasoup workers) alone. The first admin is
 * created through the printed setup link, as a person would; meetings through the HTTP API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateMeetingResponse, MeetingSettingsPatch, SessionInfo } from '@parley/protocol';
import { freePort, withTimeout } from './util.js';

const root = new URL('../..', import.meta.url).pathname;

export interface ParleyServer {
  url: string;
  wsUrl: string;
  pid: number;
  process: ChildProcess;
  createMeeting(settings?: MeetingSettingsPatch): Promise<CreateMeetingResponse>;
  close(): Promise<void>;
}

export const OPEN_DOORS: MeetingSettingsPatch = { lobby: false, joinBeforeHost: true };

export async function startParley(extraEnv: Record<string, string> = {}): Promise<ParleyServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'packages/server/dist/main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const token = await withTimeout(
    new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /\/setup#token=(\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child.once('exit', (code) => reject(new Error(`server exited (${code}) before printing its setup link: ${stderr}`)));
    }),
    60_000,
    'Parley server start',
  );
  const setup = await fetch(`${url}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token, email: 'bench@parley.test', displayName: 'Bench Admin', password: 'correct horse battery staple' }),
  });
  if (setup.status !== 201) throw new Error(`setup: HTTP ${setup.status} ${await setup.text()}`);
  const cookie = /parley_session=([^;]+)/.exec(setup.headers.get('set-cookie') ?? '')?.[1] ?? '';
  const csrfToken = ((await setup.json()) as SessionInfo).csrfToken ?? '';
  return {
    url,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    pid: child.pid ?? 0,
    process: child,
    async createMeeting(settings = OPEN_DOORS) {
      const res = await fetch(`${url}/api/meetings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: `parley_session=${cookie}`, 'x-csrf-token': csrfToken },
        body: JSON.stringify({ title: 'Bench', settings }),
      });
      if (res.status !== 201) throw new Error(`create meeting: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as CreateMeetingResponse;
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 12_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
