/**
 * `npm run bench` (= `npm run build && node --import tsx scripts/bench.ts`): Parley's media numbers
 * on this machine, side by side with Janus 1.1.2 where there is a peer to compare with. Sections
 * (run all by default; choose with `-- --only forwarding,first-frame` or `-- --skip recovery`, or
 * BENCH_ONLY / BENCH_SKIP):
 *  forwarding   one 720p30 simulcast publisher and N = 10, 40, 80 non-decoding WebRTC subscribers,
 *               Parley against Janus, interleaved, repeated (`--reps 2`), plus N = 40 under a CPU
 *               hog (`--no-hog` to leave it out); ends with the one `forwarding:` line for N = 40.
 *  first-frame  join → first decoded frame with Node clients (10 runs).
 *  meeting      a 25-person meeting (all audio, 9 simulcast videos): server CPU and loss.
 *  passcode     passcode guessing against the throttle, and refusal times.
 *  recovery     blip, reload and restart times printed by tests/browser/cross-browser.test.ts.
 *  e2ee         SFrame encrypt + decrypt per frame in Chromium (in a Worker), and the join time of a
 *               sensitive (end-to-end encrypted) meeting against a standard one (tests/browser/e2ee.test.ts).
 * Nothing is asserted; tests prove behaviour, this measures it. The pieces live in scripts/bench/.
 */
import { forwardingPoint, HEIGHT, WIDTH, type ForwardingPoint, type System } from './bench/forwarding.js';
import { joinToFirstFrame } from './bench/first-frame.js';
import { ensureJanus, janusVersion } from './bench/janus-server.js';
import { meeting25, type MeetingResult } from './bench/meeting25.js';
import { bruteForce, refusalTimes, type BruteForce } from './bench/passcode.js';
import { recoveryTimes, type Recovery } from './bench/recovery.js';
import { e2eeJoinTimes, sframeInChromium } from './bench/e2ee.js';
import { fmt, log, median } from './bench/util.js';

/** BENCH_SYSTEMS=parley (or janus) measures one side only, for a quick look. */
const SYSTEMS = (['parley', 'janus'] as const).filter((s) => !process.env.BENCH_SYSTEMS || process.env.BENCH_SYSTEMS.split(',').includes(s));
const SECTIONS = ['forwarding', 'first-frame', 'meeting', 'passcode', 'recovery', 'e2ee'] as const;
type Section = (typeof SECTIONS)[number];

function parseArgs(argv: string[]): { sections: Set<Section>; reps: number; hog: boolean; windowSeconds: number; ns: number[] } {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : argv.find((a) => a.startsWith(`${flag}=`))?.slice(flag.length + 1);
  };
  const list = (s: string | undefined): string[] => (s ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const only = list(value('--only') ?? process.env.BENCH_ONLY);
  const skip = list(value('--skip') ?? process.env.BENCH_SKIP);
  for (const name of [...only, ...skip]) if (!(SECTIONS as readonly string[]).includes(name)) throw new Error(`unknown section "${name}" (${SECTIONS.join(', ')})`);
  const sections = new Set<Section>(SECTIONS.filter((s) => (only.length === 0 || only.includes(s)) && !skip.includes(s)));
  const ns = list(value('--n')).map(Number).filter((n) => n > 0);
  return {
    sections,
    reps: Math.max(1, Math.min(5, Number(value('--reps') ?? 2))),
    hog: !argv.includes('--no-hog'),
    windowSeconds: Math.max(5, Math.min(60, Number(value('--window') ?? 12))),
    ns: ns.length > 0 ? ns : [10, 40, 80],
  };
}

const args = parseArgs(process.argv.slice(2));
const startedAt = Date.now();
const elapsed = (): string => `${((Date.now() - startedAt) / 60_000).toFixed(1)} min`;
const table: string[][] = [];

function printTable(rows: string[][]): void {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, c.length)), []);
  const numeric = (c: string): boolean => /^[-\d.,/%n/a ]+$/.test(c);
  for (const r of rows) log(r.map((c, i) => (i > 0 && numeric(c) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

function describePoint(p: ForwardingPoint): string {
  if (p.error) return `# ${p.system} N=${p.n}${p.hog ? ' +hog' : ''}: FAILED ${p.error}`;
  return (
    `# ${p.system.padEnd(6)} N=${String(p.n).padStart(2)}${p.hog ? ' +hog' : '     '} ${fmt(p.pktsPerCpuSecond).padStart(7)} pkts/CPU-s  connected ${p.connected}/${p.n}  loss ${fmt(p.lossPercent, 2)}% (video ${fmt(p.videoLossPercent, 2)}%, kernel UDP drops ${fmt(p.udpDrops)})  ` +
    `${fmt(p.ppsPerSubscriber)} pkts/s per subscriber (video ${fmt(p.videoPpsPerSubscriber)})  server CPU ${fmt(p.serverCpuPercent)}%  machine ${fmt(p.machineBusyPercent)}% busy  ` +
    `RSS base ${fmt(p.rssBaseMiB, 1)} MiB, ${fmt(p.rssPerSubscriberMiB, 2)} MiB/subscriber  connect ${fmt(p.connectSeconds, 1)} s  ramp ${fmt(p.rampSeconds, 0)} s  publisher ${p.layers}`
  );
}

async function forwardingSection(): Promise<void> {
  log(`\n## forwarding: one ${WIDTH}x${HEIGHT}@30 simulcast publisher (3 layers) + audio, N non-decoding subscribers (other processes); window ${args.windowSeconds} s; ${args.reps} reps, interleaved`);
  const janusBinary = ensureJanus();
  log(`# janus: ${janusBinary} (${janusVersion(janusBinary)}), configuration scripts/bench/janus-config (copied; own port, ICE on lo)`);
  const points: ForwardingPoint[] = [];
  const plan: { system: System; n: number; hog: boolean }[] = [];
  for (const n of args.ns) for (let rep = 0; rep < args.reps; rep++) for (const system of SYSTEMS) plan.push({ system, n, hog: false });
  if (args.hog && args.ns.includes(40)) for (const system of SYSTEMS) plan.push({ system, n: 40, hog: true });
  for (const step of plan) {
    const p = await forwardingPoint(step.system, step.n, { hog: step.hog, windowSeconds: args.windowSeconds, janusBinary });
    points.push(p);
    log(`${describePoint(p)}   [${elapsed()}]`);
  }
  const group = (system: System, n: number, hog: boolean): ForwardingPoint[] => points.filter((p) => p.system === system && p.n === n && p.hog === hog && !p.error);
  const rows: string[][] = [['point', 'system', 'pkts/CPU-s (median)', 'runs', 'connected', 'loss % (median)', 'pkts/s per sub', 'video pkts/s per sub', 'server CPU %', 'MiB/sub', 'base MiB']];
  for (const n of args.ns) {
    for (const hog of [false, true]) {
      for (const system of ['parley', 'janus'] as const) {
        const g = group(system, n, hog);
        if (g.length === 0 && (hog ? !(args.hog && n === 40) : false)) continue;
        if (hog && !(args.hog && n === 40)) continue;
        rows.push([
          `N=${n}${hog ? ' +hog' : ''}`, system, fmt(median(g.map((p) => p.pktsPerCpuSecond))), `${g.length}`,
          `${g.reduce((a, p) => a + p.connected, 0)}/${g.reduce((a, p) => a + p.n, 0)}`, fmt(median(g.map((p) => p.lossPercent)), 2),
          fmt(median(g.map((p) => p.ppsPerSubscriber))), fmt(median(g.map((p) => p.videoPpsPerSubscriber))), fmt(median(g.map((p) => p.serverCpuPercent))),
          fmt(median(g.map((p) => p.rssPerSubscriberMiB)), 2), fmt(median(g.map((p) => p.rssBaseMiB)), 1),
        ]);
      }
    }
  }
  log('');
  printTable(rows);
  for (const row of rows.slice(1)) table.push([`forwarding ${row[0]} ${row[1]}`, `${row[2]} pkts/CPU-s, connected ${row[4]}, loss ${row[5]}%, ${row[6]} pkts/s/sub, ${row[9]} MiB/sub`]);
  const p40 = group('parley', 40, false);
  const j40 = group('janus', 40, false);
  const all40 = points.filter((p) => p.system === 'parley' && p.n === 40 && !p.hog);
  const parley = median(p40.map((p) => p.pktsPerCpuSecond));
  const janus = median(j40.map((p) => p.pktsPerCpuSecond));
  log(
    `forwarding: parley ${fmt(parley)} janus ${fmt(janus)} ratio ${fmt(parley / janus, 2)} connected ${p40.reduce((a, p) => a + p.connected, 0)}/${all40.length * 40} loss ${fmt(median(p40.map((p) => p.lossPercent)), 2)}%`,
  );
}

async function firstFrameSection(): Promise<void> {
  log('\n## join → first frame: Node client (mediasoup-client over wrtc, RTCVideoSink), time from `join` sent to the first decoded frame; publisher 720p simulcast');
  const times = await joinToFirstFrame(10);
  const ok = times.filter((t) => Number.isFinite(t));
  log(`# runs (ms): ${times.map((t) => fmt(t)).join(', ')}`);
  const line = `p50 ${fmt(median(ok))} ms, worst ${fmt(Math.max(...ok))} ms, ${ok.length}/${times.length} got a frame within 20 s`;
  log(`join → first frame: ${line}`);
  table.push(['join → first frame (10 runs)', line]);
}

async function meetingSection(): Promise<void> {
  const width = 640;
  const height = 360;
  log(`\n## 25-person meeting on Parley: 25 Node participants (5 processes), all audio, 9 with ${width}x${height} simulcast camera, all receiving everything (layer 'low', not decoded)`);
  const r: MeetingResult = await meeting25({ participants: 25, videos: 9, width, height, windowSeconds: 20 });
  if (r.error) log(`# FAILED: ${r.error}`);
  const line =
    `server CPU ${fmt(r.serverCpuPercent)}% of one core (machine ${fmt(r.machineBusyPercent)}% busy), loss ${fmt(r.lossPercent, 2)}% (video ${fmt(r.videoLossPercent, 2)}%, kernel UDP drops ${fmt(r.udpDrops)}), connected ${r.connected}/${r.participants}, ` +
    `receiving audio+video ${r.fullyReceiving}/${r.participants}, ${fmt(r.ppsPerParticipant)} pkts/s per participant, server RSS ${fmt(r.rssMiB)} MiB, up in ${fmt(r.setupSeconds, 1)} s`;
  log(`meeting 25: ${line}`);
  table.push(['25-person meeting', line]);
}

async function passcodeSection(): Promise<void> {
  log('\n## passcode guessing against one meeting (throttle: 5 free failures/h per address then 1,2,4,8,10 s turns; 20/10 min per meeting)');
  const refusals = await refusalTimes(20);
  const rline = `unknown meeting ${fmt(refusals.unknown, 1)} ms, wrong passcode ${fmt(refusals.wrong, 1)} ms (worst ${fmt(refusals.worstUnknown, 1)} / ${fmt(refusals.worstWrong, 1)} ms)`;
  log(`refusal time, median of 20: ${rline}`);
  table.push(['passcode refusal time', rline]);
  for (const addresses of [1, 50]) {
    const r: BruteForce = await bruteForce(addresses, 30);
    const line = `${r.attempts} attempts, ${r.checked} passcodes checked, ${r.throttled} refused unchecked (rate_limited)`;
    log(`passcode brute force, ${r.seconds} s, ${addresses} address${addresses > 1 ? 'es' : ''}: ${line}`);
    table.push([`brute force ${r.seconds} s, ${addresses} addr`, line]);
  }
}

async function recoverySection(): Promise<void> {
  log('\n## recovery: tests/browser/cross-browser.test.ts (Chromium + Firefox) in its own network namespace');
  const r: Recovery = await recoveryTimes(9 * 60_000);
  for (const line of r.lines) log(line);
  log(`# ${r.note ?? ''}${r.passed ? '' : ' (some lines may be missing)'}`);
  table.push(['recovery (browser test)', r.lines.filter((l) => !l.includes('handlers')).map((l) => l.replace(/^#\s*/, '')).join('; ') || (r.note ?? 'none')]);
}

async function e2eeSection(): Promise<void> {
  log('\n## e2ee: SFrame (AES_128_GCM_SHA256_128) encrypt + decrypt per frame in Chromium, in a Worker');
  for (const r of await sframeInChromium()) {
    const line = `${fmt(r.totalMs, 3)} ms (encrypt ${fmt(r.encryptMs, 3)}, decrypt ${fmt(r.decryptMs, 3)}), ${r.iterations} frames`;
    log(`${r.name} (${r.frameBytes} B, ${r.suite}): ${line}`);
    if (r.suite.includes('GCM')) table.push([`sframe ${r.name}`, line]);
  }
  log('\n## e2ee: join times, tests/browser/e2ee.test.ts (Chromium + Firefox)');
  const j: Recovery = await e2eeJoinTimes(12 * 60_000);
  for (const line of j.lines) log(line);
  log(`# ${j.note ?? ''}`);
  table.push(['e2ee join (browser test)', j.lines.filter((l) => l.startsWith('# join')).map((l) => l.replace(/^#\s*/, '')).join('; ') || (j.note ?? 'none')]);
}

const run: Record<Section, () => Promise<void>> = {
  forwarding: forwardingSection,
  'first-frame': firstFrameSection,
  meeting: meetingSection,
  passcode: passcodeSection,
  recovery: recoverySection,
  e2ee: e2eeSection,
};

log(`# bench: sections ${[...args.sections].join(', ')}; ${new Date().toISOString()}; load average at start ${(await import('node:os')).loadavg().map((l) => l.toFixed(2)).join(' ')}`);
for (const section of SECTIONS) {
  if (!args.sections.has(section)) continue;
  try {
    await run[section]();
  } catch (e) {
    log(`# ${section} FAILED: ${e instanceof Error ? e.message : String(e)}`);
    table.push([section, `FAILED: ${e instanceof Error ? e.message : String(e)}`]);
  }
}
log(`\n## summary (${elapsed()})`);
printTable([['measure', 'result'], ...table]);
process.exit(0);
