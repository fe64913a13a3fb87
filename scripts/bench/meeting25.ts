/**
 * A 25-person Parley meeting on this machine: 25 Node participants in 5 peer processes, all
 * sending audio, 9 of them also camera video with simulcast, every one receiving every track
 * (not decoded; subscribers ask for the `low` layer, as a 25-tile grid would). Measures the
 * server's CPU (all its processes, % of one core), its RSS, and the participants' loss.
 */
import { cpuBetween, machineBusySeconds, sampleTree, udpReceiveBufferErrors } from './proc.js';
import { startParley } from './parley-server.js';
import type { PeerStats } from './peer-ipc.js';
import { PeerProcess } from './peers.js';
import { lostBetween, sleep, until } from './util.js';

export interface MeetingResult {
  participants: number;
  videos: number;
  connected: number;
  fullyReceiving: number;
  serverCpuPercent: number;
  machineBusyPercent: number;
  rssMiB: number;
  lossPercent: number;
  videoLossPercent: number;
  udpDrops: number;
  ppsPerParticipant: number;
  setupSeconds: number;
  windowSeconds: number;
  width: number;
  height: number;
  error?: string;
}

export async function meeting25(opts: { participants: number; videos: number; width: number; height: number; windowSeconds: number }): Promise<MeetingResult> {
  const server = await startParley();
  const procs: PeerProcess[] = [];
  const r: MeetingResult = {
    participants: opts.participants, videos: opts.videos, connected: 0, fullyReceiving: 0, serverCpuPercent: NaN, machineBusyPercent: NaN, rssMiB: NaN,
    lossPercent: NaN, videoLossPercent: NaN, udpDrops: NaN, ppsPerParticipant: NaN, setupSeconds: NaN, windowSeconds: opts.windowSeconds, width: opts.width, height: opts.height,
  };
  try {
    const meeting = await server.createMeeting();
    const groups = 5;
    const started = performance.now();
    for (let g = 0; g < groups; g++) {
      const peers = [];
      for (let i = g; i < opts.participants; i += groups) peers.push({ name: `P${i + 1}`, audio: true, video: i < opts.videos });
      procs.push(
        new PeerProcess({ role: 'parley', wsUrl: server.wsUrl, meetingId: meeting.id, passcode: meeting.passcode, localAddress: `127.0.12.${g + 1}`, peers, width: opts.width, height: opts.height, layer: 'low', concurrency: 2 }),
      );
    }
    await Promise.all(procs.map((p) => p.ready(180_000).catch(() => undefined)));
    const stats = async (): Promise<PeerStats[]> => (await Promise.all(procs.map((p) => p.stats()))).flatMap((s) => s.peers);
    await until(async () => (await stats()).filter((s) => s.connected && s.videoPackets > 0).length >= opts.participants, 90_000, 1000);
    r.setupSeconds = (performance.now() - started) / 1000;
    await sleep(5000);
    const s0 = await stats();
    const t0 = sampleTree(server.pid);
    const m0 = machineBusySeconds();
    const u0 = udpReceiveBufferErrors();
    await sleep(opts.windowSeconds * 1000);
    const t1 = sampleTree(server.pid);
    const m1 = machineBusySeconds();
    const s1 = await stats();
    const seconds = (t1.at - t0.at) / 1000;
    r.windowSeconds = seconds;
    r.connected = s1.filter((s) => s.connected).length;
    r.fullyReceiving = s1.filter((s, i) => s.videoPackets > (s0[i]?.videoPackets ?? 0) && s.audioPackets > (s0[i]?.audioPackets ?? 0)).length;
    const total = (xs: PeerStats[], f: (s: PeerStats) => number): number => xs.reduce((a, s) => a + f(s), 0);
    const received = total(s1, (s) => s.audioPackets + s.videoPackets) - total(s0, (s) => s.audioPackets + s.videoPackets);
    const lost = lostBetween(s0, s1, (s) => s.lost);
    r.lossPercent = received + lost > 0 ? (100 * lost) / (received + lost) : NaN;
    const video = total(s1, (s) => s.videoPackets) - total(s0, (s) => s.videoPackets);
    const videoLost = lostBetween(s0, s1, (s) => s.videoLost);
    r.videoLossPercent = video + videoLost > 0 ? (100 * videoLost) / (video + videoLost) : NaN;
    r.udpDrops = udpReceiveBufferErrors() - u0;
    r.ppsPerParticipant = received / opts.participants / seconds;
    r.serverCpuPercent = (100 * cpuBetween(t0, t1)) / seconds;
    r.machineBusyPercent = (100 * (m1.busy - m0.busy)) / (m1.total - m0.total);
    r.rssMiB = t1.rssMiB;
  } catch (e) {
    r.error = e instanceof Error ? e.message : String(e);
  } finally {
    await Promise.all(procs.map((p) => p.stop()));
    await server.close();
  }
  return r;
}
