/**
 * Janus 1.1.2 as the peer to compare with: installed with apt when missing (as root), started with
 * the reference configuration (scripts/bench/janus-config, from ../shared/janus) copied to a temporary folder. The copy differs in what
 * a second instance on this machine needs: its configs folder, its HTTP port, HTTP bound to
 * 127.0.0.1, and ICE gathering on loopback (the shared file enforces eth0) so media stays on loopback.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, sleep } from './util.js';

/** Janus's configuration for the comparison (a copy of the project's reference configuration, kept here). */
const SHARED_CONFIG = new URL('./janus-config/', import.meta.url).pathname;

export interface JanusServer {
  url: string;
  pid: number;
  process: ChildProcess;
  createRoom(): Promise<number>;
  close(): Promise<void>;
}

/** Makes sure /usr/bin/janus exists: installs Debian's package when we are root, or says what to do. */
export function ensureJanus(): string {
  const found = spawnSync('sh', ['-c', 'command -v janus'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new Error('Janus is not installed and this bench is not running as root: run `sudo apt-get install -y janus` first (Janus 1.1.2 is the peer the forwarding numbers are compared with)');
  }
  console.log('# installing janus (apt-get install -y janus) ...');
  execFileSync('apt-get', ['install', '-y', 'janus'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  const installed = spawnSync('sh', ['-c', 'command -v janus'], { encoding: 'utf8' }).stdout.trim();
  if (!installed) throw new Error('apt-get install -y janus finished but no janus binary is on PATH');
  return installed;
}

export function janusVersion(binary: string): string {
  const out = spawnSync(binary, ['--version'], { encoding: 'utf8' });
  return (out.stdout + out.stderr).split('\n').find((l) => /janus/i.test(l))?.trim() ?? 'unknown';
}

interface JanusReply {
  janus: string;
  data?: { id: number };
  plugindata?: { data: Record<string, unknown> };
  error?: { reason: string };
}

export async function janusPost(url: string, body: Record<string, unknown>): Promise<JanusReply> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ transaction: Math.random().toString(36).slice(2), ...body }) });
  return (await res.json()) as JanusReply;
}

export async function startJanus(binary: string): Promise<JanusServer> {
  if (!existsSync(join(SHARED_CONFIG, 'janus.jcfg'))) throw new Error(`no Janus configuration at ${SHARED_CONFIG}`);
  const dir = await mkdtemp(join(tmpdir(), 'janus-bench-'));
  await cp(SHARED_CONFIG, dir, { recursive: true });
  const port = await freePort();
  const main = join(dir, 'janus.jcfg');
  await writeFile(main, (await readFile(main, 'utf8')).replace('JANUS_CONF_DIR', dir).replace(/ice_enforce_list = "[^"]*"/, 'ice_enforce_list = "lo"'));
  const http = join(dir, 'janus.transport.http.jcfg');
  await writeFile(http, (await readFile(http, 'utf8')).replace(/\bport = 8088/, `port = ${port}`).replace('#ip = "192.168.0.1"', 'ip = "127.0.0.1"'));
  const child = spawn(binary, ['-F', dir, '-C', main], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-8000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}/janus`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`janus exited (${child.exitCode}): ${output}`);
    const info = await janusPost(url, { janus: 'info' }).catch(() => undefined);
    if (info?.janus === 'server_info') break;
    if (i > 100) throw new Error(`janus did not answer on ${url}: ${output}`);
    await sleep(100);
  }
  let nextRoom = 1000;
  return {
    url,
    pid: child.pid ?? 0,
    process: child,
    async createRoom() {
      const room = nextRoom++;
      const session = (await janusPost(url, { janus: 'create' })).data?.id;
      const handle = (await janusPost(`${url}/${session}`, { janus: 'attach', plugin: 'janus.plugin.videoroom' })).data?.id;
      const reply = await janusPost(`${url}/${session}/${handle}`, {
        janus: 'message',
        body: { request: 'create', room, publishers: 3, videocodec: 'vp8', audiocodec: 'opus', bitrate: 0, fir_freq: 10, notify_joining: false },
      });
      const created = reply.plugindata?.data;
      if (created?.videoroom !== 'created') throw new Error(`janus room create: ${JSON.stringify(reply)}`);
      await janusPost(`${url}/${session}`, { janus: 'destroy' });
      return room;
    },
    async close() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, sleep(8000)]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
