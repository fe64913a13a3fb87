/**
 * `npm run bench`: Parley's numbers on this machine, printed as a table.
 *  1. Join → first remote video frame: five runs; each starts a fresh server, two guests are already
 *     in and sending, the third clicks Join; the time until its page decodes a remote video frame.
 *  2. The server (SFU included) while three participants exchange audio and video for 20 s: its
 *     CPU and memory read from /proc, and packets forwarded per CPU-second (packets received by all
 *     subscribers, from getStats, divided by the server's CPU seconds).
 *  3. Passcode brute force for 60 s against one meeting: guesses checked from one address and from
 *     fifty (distinct loopback addresses).
 * Nothing here is asserted; tests prove behaviour, this measures it. Needs the build (npm run build).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import {
  createMeetingViaApi,
  inboundStats,
  joinFromPreJoin,
  launchBrowser,
  newParticipant,
  setupAdminViaApi,
  sleep,
  type Participant,
  type TestServer,
} from '../tests/browser/helpers.js';

const root = new URL('..', import.meta.url).pathname;
const OPEN_DOORS = { lobby: false, joinBeforeHost: true };

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

interface SpawnedServer extends TestServer {
  process: ChildProcess;
}

/** The real server as its own process (`node packages/server/dist/main.js`), so /proc measures only it. */
async function spawnServer(): Promise<SpawnedServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, 'packages/server/dist/main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', PARLEY_DATA_DIR: dataDir, PARLEY_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const setupUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /(http:\/\/\S+\/setup#token=\S+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}) before printing its setup link`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    setupUrl: setupUrl.replace(/^http:\/\/[^/]+/, `http://127.0.0.1:${port}`),
    process: child,
    async close() {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function procSample(pid: number): Promise<{ cpuSeconds: number; rssMiB: number }> {
  const stat = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(stat[11]) + Number(stat[12]); // utime + stime (fields 14 and 15)
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, rssMiB: rssKiB / 1024 };
}

async function remoteVideoDecoded(p: Participant): Promise<boolean> {
  const stats = await inboundStats(p.page);
  return [...stats.values()].some((s) => s.kind === 'video' && s.framesDecoded > 0);
}

async function packetsReceived(people: Participant[]): Promise<number> {
  let total = 0;
  for (const p of people) for (const s of (await inboundStats(p.page)).values()) total += s.packetsReceived;
  return total;
}

async function enter(server: TestServer, browser: Awaited<ReturnType<typeof launchBrowser>>, joinUrl: string, name: string) {
  const p = await newParticipant(browser, name);
  await p.page.goto(joinUrl);
  const { clickedAt } = await joinFromPreJoin(p.page, name);
  return { p, clickedAt };
}

async function meeting(server: TestServer): Promise<string> {
  const host = await setupAdminViaApi(server, { email: 'bench@parley.test', displayName: 'Bench Admin' });
  return (await createMeetingViaApi(server, host, { title: 'Bench', settings: OPEN_DOORS })).joinUrl;
}

async function joinToFirstFrame(runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const server = await spawnServer();
    const browser = await launchBrowser();
    try {
      const joinUrl = await meeting(server);
      await enter(server, browser, joinUrl, 'Ann');
      await enter(server, browser, joinUrl, 'Bob');
      await sleep(1500);
      const third = await enter(server, browser, joinUrl, 'Cy');
      while (!(await remoteVideoDecoded(third.p))) await sleep(20);
      times.push(Date.now() - third.clickedAt);
    } finally {
      await browser.close();
      await server.close();
    }
  }
  return times;
}

async function forwardingCost(seconds: number) {
  const server = await spawnServer();
  const browser = await launchBrowser();
  try {
    const joinUrl = await meeting(server);
    const people: Participant[] = [];
    for (const name of ['Ann', 'Bob', 'Cy']) people.push((await enter(server, browser, joinUrl, name)).p);
    await sleep(5000); // let video ramp up
    const pid = server.process.pid ?? 0;
    const before = { ...(await procSample(pid)), packets: await packetsReceived(people) };
    await sleep(seconds * 1000);
    const after = { ...(await procSample(pid)), packets: await packetsReceived(people) };
    const cpu = after.cpuSeconds - before.cpuSeconds;
    const packets = after.packets - before.packets;
    return { seconds, cpuPercent: (100 * cpu) / seconds, rssMiB: after.rssMiB, packets, packetsPerSecond: packets / seconds, packetsPerCpuSecond: packets / cpu };
  } finally {
    await browser.close();
    await server.close();
  }
}

async function guess(ws: WebSocket, meetingId: string, id: number): Promise<string> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const m = JSON.parse(String(data)) as { id?: number; type: string; code?: string };
      if (m.id !== id) return;
      ws.off('message', onMessage);
      resolve(m.type === 'error' ? (m.code ?? 'error') : m.type);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'join', id, meetingId, passcode: randomBytes(4).toString('hex'), displayName: 'M' }));
  });
}

async function attacker(wsUrl: string, localAddress: string): Promise<WebSocket> {
  const ws = new WebSocket(wsUrl, { localAddress });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'hello', id: 1, protocolVersion: 1, clientBuild: 'bench' }));
  await new Promise((r) => ws.once('message', r));
  return ws;
}

/** Guesses as fast as the socket's own rate limit allows, for `seconds`, from `addresses`. */
async function bruteForce(addresses: number, seconds: number): Promise<{ attempts: number; checked: number }> {
  const server = await spawnServer();
  try {
    const host = await setupAdminViaApi(server, { email: 'bench@parley.test', displayName: 'Bench Admin' });
    const { id } = await createMeetingViaApi(server, host, {});
    const wsUrl = server.url.replace('http', 'ws') + '/ws';
    const sockets = await Promise.all(Array.from({ length: addresses }, (_, i) => attacker(wsUrl, addresses === 1 ? '127.0.0.9' : `127.0.4.${i + 1}`)));
    const deadline = Date.now() + seconds * 1000;
    let attempts = 0;
    let checked = 0;
    await Promise.all(
      sockets.map(async (ws) => {
        for (let n = 2; Date.now() < deadline; n++) {
          const outcome = await guess(ws, id, n);
          attempts += 1;
          if (outcome === 'meeting_access_denied') checked += 1;
          await sleep(addresses === 1 ? 50 : 500);
        }
      }),
    );
    for (const ws of sockets) ws.close();
    return { attempts, checked };
  } finally {
    await server.close();
  }
}

/** Time to be refused for an unknown meeting and for a wrong passcode (fresh addresses, so no throttling). */
async function refusalTimes(samples: number): Promise<{ unknown: number[]; wrong: number[] }> {
  const server = await spawnServer();
  try {
    const host = await setupAdminViaApi(server, { email: 'bench@parley.test', displayName: 'Bench Admin' });
    const { id } = await createMeetingViaApi(server, host, {});
    const wsUrl = server.url.replace('http', 'ws') + '/ws';
    const times = { unknown: [] as number[], wrong: [] as number[] };
    for (let i = 0; i < samples * 2; i++) {
      const ws = await attacker(wsUrl, `127.0.5.${i + 1}`);
      const kind = i % 2 === 0 ? 'unknown' : 'wrong';
      const started = performance.now();
      await guess(ws, kind === 'unknown' ? `zzzz-zzzz-zzzz-${String(1000 + i).slice(-4).replace(/[01]/g, '2')}` : id, 2);
      times[kind].push(performance.now() - started);
      ws.close();
    }
    return times;
  } finally {
    await server.close();
  }
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

const firstFrame = await joinToFirstFrame(5);
console.log(`join → first remote video frame (3 participants, loopback, 5 runs): median ${median(firstFrame)} ms, worst ${Math.max(...firstFrame)} ms  [${firstFrame.join(', ')}]`);
const cost = await forwardingCost(20);
console.log(
  `server while 3 participants exchange audio+video for ${cost.seconds} s: CPU ${cost.cpuPercent.toFixed(1)}% of one core, RSS ${cost.rssMiB.toFixed(0)} MiB, ` +
    `${cost.packetsPerSecond.toFixed(0)} packets/s forwarded, ${cost.packetsPerCpuSecond.toFixed(0)} forwarded packets per CPU-second`,
);
const refusals = await refusalTimes(20);
console.log(
  `refusal time, median of 20: unknown meeting ${median(refusals.unknown).toFixed(1)} ms, wrong passcode ${median(refusals.wrong).toFixed(1)} ms ` +
    `(worst ${Math.max(...refusals.unknown).toFixed(1)} / ${Math.max(...refusals.wrong).toFixed(1)} ms)`,
);
for (const addresses of [1, 50]) {
  const r = await bruteForce(addresses, 60);
  console.log(`passcode brute force, 60 s, ${addresses} address${addresses > 1 ? 'es' : ''}: ${r.attempts} attempts, ${r.checked} passcodes checked (${r.checked} guesses/minute)`);
}
