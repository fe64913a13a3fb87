/**
 * CPU and memory of a server as the kernel counts them: utime+stime and VmRSS from /proc for a
 * process and all its descendants (Parley's Node process and its mediasoup-worker children; Janus
 * is one process with threads, which /proc/<pid>/stat already sums).
 */
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface Stat {
  pid: number;
  ppid: number;
  ticks: number;
}

function readStat(pid: number): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state(3) ppid(4) ... utime(14) stime(15): indexes shift by 3.
    return { pid, ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

function rssKiB(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** `root` and every live descendant. */
export function processTree(root: number): number[] {
  const all: Stat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = readStat(Number(name));
    if (s) all.push(s);
  }
  const tree = [root];
  for (let i = 0; i < tree.length; i++) for (const s of all) if (s.ppid === tree[i]) tree.push(s.pid);
  return tree;
}

export interface TreeSample {
  at: number;
  /** CPU seconds (user+system) per pid. */
  cpu: Map<number, number>;
  rssMiB: number;
  pids: number[];
}

export function sampleTree(root: number): TreeSample {
  const pids = processTree(root);
  const cpu = new Map<number, number>();
  let rss = 0;
  for (const pid of pids) {
    const s = readStat(pid);
    if (!s) continue;
    cpu.set(pid, s.ticks / TICKS_PER_SECOND);
    rss += rssKiB(pid);
  }
  return { at: performance.now(), cpu, rssMiB: rss / 1024, pids };
}

/** CPU seconds the tree used between two samples (a process that appeared in between counts from zero). */
export function cpuBetween(a: TreeSample, b: TreeSample): number {
  let total = 0;
  for (const [pid, seconds] of b.cpu) total += seconds - (a.cpu.get(pid) ?? 0);
  return total;
}

/** CPU seconds the whole machine spent busy (all cores), from /proc/stat: to see whether we were starved. */
export function machineBusySeconds(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const v = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.reduce((a, b) => a + b, 0);
  return { busy: (total - idle) / TICKS_PER_SECOND, total: total / TICKS_PER_SECOND };
}

/** The kernel's count of UDP datagrams dropped for a full receive buffer (all sockets, /proc/net/snmp). */
export function udpReceiveBufferErrors(): number {
  const lines = readFileSync('/proc/net/snmp', 'utf8').split('\n').filter((l) => l.startsWith('Udp:'));
  const names = (lines[0] ?? '').split(/\s+/);
  const values = (lines[1] ?? '').split(/\s+/);
  return Number(values[names.indexOf('RcvbufErrors')] ?? 0);
}
