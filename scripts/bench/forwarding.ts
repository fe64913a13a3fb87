/**
 * Forwarding cost, Parley (mediasoup) against Janus 1.1.2 (VideoRoom), one point at a time: a fresh
 * server, one 720p30 simulcast publisher (three layers) and N non-decoding subscribers in peer
 * processes; over a steady window, packets received by all subscribers ÷ the server's CPU seconds
 * (all its processes), the subscribers' loss, the subscribers that never connected, and RSS per
 * subscriber ((server RSS with N − server RSS before them) / N).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpuBetween, machineBusySeconds, sampleTree, udpReceiveBufferErrors } from './proc.js';
import { startJanus } from './janus-server.js';
import { startParley } from './parley-server.js';
import type { LayerStat, PeerStats } from './peer-ipc.js';
import { PeerProcess } from './peers.js';
import { lostBetween, sleep, until } from './util.js';

export type System = 'parley' | 'janus';

export interface ForwardingPoint {
  system: System;
  n: number;
  hog: boolean;
  connected: number;
  packets: number;
  cpuSeconds: number;
  windowSeconds: number;
  pktsPerCpuSecond: number;
  /** Packets per second each subscriber received (audio + video), on average. */
  ppsPerSubscriber: number;
  videoPpsPerSubscriber: number;
  lossPercent: number;
  videoLossPercent: number;
  /** UDP datagrams the kernel dropped (full receive buffers, any socket on the machine) during the window. */
  udpDrops: number;
  rssBaseMiB: number;
  rssPerSubscriberMiB: number;
  serverCpuPercent: number;
  machineBusyPercent: number;
  /** Publisher's layers during the window: rid, packets/s, kbit/s, width. */
  layers: string;
  connectSeconds: number;
  /** Seconds until the publisher sent its 720p layer (capped at 30, BENCH_RAMP_S). */
  rampSeconds: number;
  error?: string;
}

const PER_PROCESS = 20;
export const WIDTH = 1280;
export const HEIGHT = 720;

function sum(stats: PeerStats[], f: (s: PeerStats) => number): number {
  return stats.reduce((a, s) => a + f(s), 0);
}

async function allStats(procs: PeerProcess[]): Promise<PeerStats[]> {
  return (await Promise.all(procs.map((p) => p.stats()))).flatMap((s) => s.peers);
}

function layerRates(a: LayerStat[], b: LayerStat[], seconds: number): string {
  return b
    .map((l) => {
      if (l.rid === 'bwe') return `bwe:${((l.bwe ?? 0) / 1000).toFixed(0)}k`;
      const before = a.find((x) => x.rid === l.rid);
      const pps = (l.packetsSent - (before?.packetsSent ?? 0)) / seconds;
      const kbps = (8 * (l.bytesSent - (before?.bytesSent ?? 0))) / seconds / 1000;
      const rtx = (l.retransmitted - (before?.retransmitted ?? 0)) / seconds;
      return `${l.rid}:${l.frameWidth}w/${pps.toFixed(0)}pps(rtx ${rtx.toFixed(0)})/${kbps.toFixed(0)}k`;
    })
    .join(' ');
}

export function startHog(): ChildProcess {
  return spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
}

export async function forwardingPoint(system: System, n: number, opts: { hog: boolean; windowSeconds: number; janusBinary: string }): Promise<ForwardingPoint> {
  const procs: PeerProcess[] = [];
  let hog: ChildProcess | undefined;
  const parley = system === 'parley' ? await startParley() : undefined;
  const janus = system === 'janus' ? await startJanus(opts.janusBinary) : undefined;
  const pid = parley?.pid ?? janus?.pid ?? 0;
  const point: ForwardingPoint = {
    system, n, hog: opts.hog, connected: 0, packets: 0, cpuSeconds: 0, windowSeconds: opts.windowSeconds, pktsPerCpuSecond: NaN, ppsPerSubscriber: NaN,
    videoPpsPerSubscriber: NaN, lossPercent: NaN, videoLossPercent: NaN, udpDrops: NaN, rssBaseMiB: NaN, rssPerSubscriberMiB: NaN, serverCpuPercent: NaN, machineBusyPercent: NaN, layers: '', connectSeconds: NaN, rampSeconds: NaN,
  };
  try {
    if (opts.hog) hog = startHog();
    let publisher: PeerProcess;
    let subscriberJob: (i: number, count: number) => ConstructorParameters<typeof PeerProcess>[0];
    if (parley) {
      const meeting = await parley.createMeeting();
      const layer = (process.env.BENCH_LAYER ?? 'high') as 'low' | 'medium' | 'high';
      const base = { role: 'parley' as const, wsUrl: parley.wsUrl, meetingId: meeting.id, passcode: meeting.passcode, width: WIDTH, height: HEIGHT, layer };
      publisher = new PeerProcess({ ...base, localAddress: '127.0.9.1', peers: [{ name: 'Publisher', audio: true, video: true }], concurrency: 1 });
      subscriberJob = (i, count) => ({
        ...base,
        localAddress: `127.0.10.${i + 1}`,
        peers: Array.from({ length: count }, (_, k) => ({ name: `Sub ${i * PER_PROCESS + k + 1}`, audio: false, video: false })),
        concurrency: 4,
      });
    } else if (janus) {
      const room = await janus.createRoom();
      publisher = new PeerProcess({ role: 'janus-publisher', url: janus.url, room, width: WIDTH, height: HEIGHT });
      subscriberJob = (_i, count) => ({ role: 'janus-subscribers', url: janus.url, room, feed, count, concurrency: 4 });
    } else throw new Error('no server');
    procs.push(publisher);
    const { feed, failures } = await publisher.ready(60_000);
    if (failures.length > 0) throw new Error(`publisher: ${failures.join('; ')}`);
    // Bandwidth estimation ramps the publisher up until it sends its top layer (bounded).
    const rampStart = performance.now();
    let previous = (await publisher.stats()).layers;
    let sending = 0;
    await until(async () => {
      const now = (await publisher.stats()).layers;
      const top = now.find((l) => l.frameWidth >= WIDTH);
      const before = previous.find((l) => l.rid === top?.rid);
      previous = now;
      sending = top !== undefined && before !== undefined && before.frameWidth >= WIDTH && top.packetsSent - before.packetsSent > 30 ? sending + 1 : 0;
      return sending >= 3;
    }, Number(process.env.BENCH_RAMP_S ?? 30) * 1000, 1000);
    point.rampSeconds = (performance.now() - rampStart) / 1000;
    await sleep(1000);
    const base = sampleTree(pid);
    point.rssBaseMiB = base.rssMiB;
    const connectStart = performance.now();
    const subs: PeerProcess[] = [];
    for (let i = 0; i * PER_PROCESS < n; i++) subs.push(new PeerProcess(subscriberJob(i, Math.min(PER_PROCESS, n - i * PER_PROCESS))));
    procs.push(...subs);
    await Promise.all(subs.map((s) => s.ready(120_000).catch(() => undefined)));
    // Connections get 60 s from the first subscriber's start to come up.
    await until(async () => (await allStats(subs)).filter((s) => s.connected).length >= n, Math.max(0, 60_000 - (performance.now() - connectStart)), 1000);
    point.connectSeconds = (performance.now() - connectStart) / 1000;
    await sleep(3000); // steady state: keyframes done, layers switched
    const s0 = await allStats(subs);
    const l0 = (await publisher.stats()).layers;
    const t0 = sampleTree(pid);
    const m0 = machineBusySeconds();
    const u0 = udpReceiveBufferErrors();
    await sleep(opts.windowSeconds * 1000);
    const t1 = sampleTree(pid);
    const m1 = machineBusySeconds();
    point.udpDrops = udpReceiveBufferErrors() - u0;
    const s1 = await allStats(subs);
    const l1 = (await publisher.stats()).layers;
    const seconds = (t1.at - t0.at) / 1000;
    point.windowSeconds = seconds;
    point.connected = s1.filter((s) => s.connected).length;
    const received = sum(s1, (s) => s.audioPackets + s.videoPackets) - sum(s0, (s) => s.audioPackets + s.videoPackets);
    const video = sum(s1, (s) => s.videoPackets) - sum(s0, (s) => s.videoPackets);
    const lost = lostBetween(s0, s1, (s) => s.lost);
    point.packets = received;
    point.cpuSeconds = cpuBetween(t0, t1);
    point.pktsPerCpuSecond = received / point.cpuSeconds;
    point.ppsPerSubscriber = received / n / seconds;
    point.videoPpsPerSubscriber = video / n / seconds;
    point.lossPercent = received + lost > 0 ? (100 * lost) / (received + lost) : NaN;
    const videoLost = lostBetween(s0, s1, (s) => s.videoLost);
    point.videoLossPercent = video + videoLost > 0 ? (100 * videoLost) / (video + videoLost) : NaN;
    point.rssPerSubscriberMiB = (t1.rssMiB - base.rssMiB) / n;
    point.serverCpuPercent = (100 * point.cpuSeconds) / seconds;
    point.machineBusyPercent = (100 * (m1.busy - m0.busy)) / (m1.total - m0.total);
    point.layers = layerRates(l0, l1, seconds);
  } catch (e) {
    point.error = e instanceof Error ? e.message : String(e);
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    hog?.kill('SIGKILL');
    await parley?.close();
    await janus?.close();
  }
  return point;
}
