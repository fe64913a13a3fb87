/**
 * `npm run soak -- --minutes N [--concurrency C] [--seed S]`: join/leave/publish churn against a real
 * Parley server (in a child process, loopback only) for N minutes: guests join a meeting, some
 * publish a microphone and a camera through mediasoup-client over wrtc (test-support/media-peer.ts),
 * then most `leave` and the rest drop their socket (kept for the 5 s resume window, then let go).
 * Prints a line a minute (churn, server RSS, open file descriptors, rooms, SFU peers and tracks)
 * and a summary; exits non-zero if rooms or SFU peers are left over once everyone is gone.
 */
import { parseArgs } from 'node:util';
import { Rng } from '../packages/server/src/test-support/fuzz.js';
import { TestMedia, eventually } from '../packages/server/src/test-support/media-peer.js';
import { TestClient } from '../packages/server/src/test-support/ws-client.js';
import { startChildServer } from './server-child.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    concurrency: { type: 'string', default: '6' },
    seed: { type: 'string', default: '1' },
  },
});
const minutes = Number(values.minutes);
const concurrency = Number(values.concurrency);
if (!(minutes > 0) || !Number.isSafeInteger(concurrency) || concurrency < 1) {
  console.error('usage: npm run soak -- --minutes N [--concurrency C] [--seed S]');
  process.exit(2);
}
const rng = new Rng(Number(values.seed));
const RESUME_SECONDS = 5;
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const server = await startChildServer({ resumeSeconds: RESUME_SECONDS, logLevel: 'silent' });
const meeting = await server.createMeeting({ title: 'Soak', settings: { lobby: false, joinBeforeHost: true } });
console.log(`soak: server pid ${server.pid} at ${server.url}; ${minutes} min, ${concurrency} churners, meeting ${meeting.id}`);

const counts = { joins: 0, published: 0, leaves: 0, drops: 0, errors: 0 };
const errorSamples: string[] = [];

/** One guest's visit: join, maybe publish, stay a moment, leave or drop. */
async function visit(n: number, r: Rng): Promise<void> {
  const client = await TestClient.ready(server.wsUrl);
  let media: TestMedia | undefined;
  try {
    const result = await client.request('join', { meetingId: meeting.id, ...(meeting.passcode ? { passcode: meeting.passcode } : {}), displayName: `Soak ${n}` });
    if (result.status !== 'admitted') throw new Error(`not admitted: ${result.reason}`);
    counts.joins += 1;
    if (r.chance(0.5)) {
      media = await new TestMedia(client, result.state).setup();
      await media.publish('microphone');
      if (r.chance(0.5)) await media.publish('camera');
      counts.published += 1;
    }
    await sleep(r.range(500, 3000));
    if (r.chance(0.75)) {
      await client.request('leave', {});
      counts.leaves += 1;
    } else {
      counts.drops += 1;
    }
  } finally {
    media?.close();
    await client.close();
  }
}

const started = Date.now();
const deadline = started + minutes * 60_000;
let n = 0;
const churner = async (): Promise<void> => {
  const r = rng.fork();
  while (Date.now() < deadline) {
    try {
      await visit(++n, r);
    } catch (err) {
      counts.errors += 1;
      if (errorSamples.length < 10) errorSamples.push(String(err));
      await sleep(500);
    }
  }
};

interface Sample {
  minute: number;
  rss: number;
  fds: number | null;
  rooms: number;
  peers: number;
  tracks: number;
  workerRss: number;
}
const samples: Sample[] = [];
const sample = async (minute: number): Promise<Sample> => {
  const [probe, sfu] = await Promise.all([server.probe(), server.sfuStats()]);
  const s = { minute, rss: probe.rss, fds: probe.fds, rooms: probe.rooms, peers: sfu.peers, tracks: sfu.tracks, workerRss: sfu.workerRss };
  samples.push(s);
  console.log(
    `  ${String(minute).padStart(3)} min: joins ${counts.joins}, publishing ${counts.published}, leaves ${counts.leaves}, drops ${counts.drops}, errors ${counts.errors}; ` +
      `RSS ${mb(s.rss)}, fds ${s.fds}, rooms ${s.rooms}, SFU peers ${s.peers}, tracks ${s.tracks}, worker RSS ${mb(s.workerRss)}`,
  );
  return s;
};

await sample(0);
let minute = 0;
const ticker = setInterval(() => void sample(++minute).catch(() => undefined), 60_000);
await Promise.all(Array.from({ length: concurrency }, async (_, i) => {
  await sleep(i * 200);
  await churner();
}));
clearInterval(ticker);

// Everyone has gone: dropped sockets' places expire after the resume window, and then nothing may be left.
let settled = true;
try {
  await eventually(async () => {
    const [probe, sfu] = await Promise.all([server.probe(), server.sfuStats()]);
    return probe.rooms === 0 && sfu.peers === 0 && sfu.tracks === 0;
  }, 'no rooms or SFU peers left', (RESUME_SECONDS + 30) * 1000);
} catch {
  settled = false;
}
const end = await sample(Math.round((Date.now() - started) / 60_000));
const first = samples[0];
const exitCode = server.exitCode();
await server.close();

const rss = samples.map((s) => s.rss);
console.log('\nsoak summary');
console.log(`  ${((Date.now() - started) / 60_000).toFixed(1)} min; visits ${n}: joins ${counts.joins}, publishing ${counts.published}, leaves ${counts.leaves}, drops ${counts.drops}, errors ${counts.errors}`);
for (const e of errorSamples) console.log(`    ${e}`);
console.log(`  server RSS: ${mb(first?.rss ?? 0)} at start, ${mb(Math.max(...rss))} max, ${mb(end.rss)} at end`);
console.log(`  open fds: ${first?.fds} at start, ${Math.max(...samples.map((s) => s.fds ?? 0))} max, ${end.fds} at end`);
console.log(`  SFU worker RSS: ${mb(first?.workerRss ?? 0)} at start, ${mb(end.workerRss)} at end`);
console.log(`  left over once everyone had gone: rooms ${end.rooms}, SFU peers ${end.peers}, tracks ${end.tracks}`);
const passed = settled && counts.joins > 0 && exitCode === null;
if (exitCode !== null) console.log(`  the server exited (${String(exitCode)})`);
console.log(passed ? '\nPASS' : '\nFAIL');
process.exit(passed ? 0 : 1);
