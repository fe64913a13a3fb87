/** Small helpers shared by the bench's parts: waiting, statistics, ports, bounded waits. */
import { createServer } from 'node:net';

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function median(xs: number[]): number {
  const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? NaN) : ((s[mid - 1] ?? NaN) + (s[mid] ?? NaN)) / 2;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const address = s.address();
      s.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
    s.once('error', reject);
  });
}

/** Polls `check` until it holds or `timeoutMs` passes; returns whether it held. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(everyMs);
  }
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

export const fmt = (x: number, digits = 0): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');
export const log = (line: string): void => console.log(line);

/**
 * Packets lost between two samples of the same peers (aligned by index), never negative per peer.
 * libwebrtc's cumulative `packetsLost` goes down when a packet counted lost arrives later (a NACK
 * retransmission), so a window's plain difference can be negative (the "−0.52 % loss" of an earlier
 * run); clamping per peer counts such recoveries as no loss instead of letting them hide other
 * peers' real losses. So the figure is an upper bound of the window's unrecovered loss.
 */
export function lostBetween<T>(before: readonly T[], after: readonly T[], pick: (s: T) => number): number {
  return after.reduce((total, s, i) => {
    const earlier = before[i];
    return total + Math.max(0, pick(s) - (earlier === undefined ? 0 : pick(earlier)));
  }, 0);
}
