/**
 * How the session comes back after its socket drops: retries with backoff (0.5 s, 1, then every
 * 2 s, at once when the browser says it is back online) until the resume credential's window has passed, and which failures are worth a retry
 * (the server is away or restarting) and which end it (the credential is spent, the build is too
 * old, the person was removed). Pure and clock-injected, so it is tested without waiting.
 */
import type { Ending } from './meetingState.js';
import { SignalingError } from './signaling.js';

const FIRST_MS = 500;
/** A retry every 2 s at most costs the server one small request per waiting client, and caps the
 * time from a network's return to the next attempt. */
const CAP_MS = 2000;

/** The wait before retry number `attempt` (0-based). */
export function backoffMs(attempt: number): number {
  return Math.min(FIRST_MS * 2 ** Math.max(0, attempt), CAP_MS);
}

/** Codes after which another try may succeed: the server is away, restarting or busy. */
const RETRYABLE = new Set<SignalingError['code']>(['closed', 'timeout', 'invalid_reply', 'shutting_down', 'rate_limited', 'internal', 'meeting_full']);

export function isRetryable(code: SignalingError['code']): boolean {
  return RETRYABLE.has(code);
}

export type AttemptResult = 'done' | 'retry' | 'fatal';
export type RetryOutcome = 'done' | 'fatal' | 'expired' | 'stopped';

export interface RetryOptions {
  /** Epoch milliseconds after which no attempt starts. */
  deadline: number;
  attempt: () => Promise<AttemptResult>;
  wait: (ms: number) => Promise<void>;
  stopped: () => boolean;
  now?: () => number;
  /** Try once at once before backing off (a reload: nothing is known to be down). */
  immediate?: boolean;
}

/** Runs `attempt` with backoff until it is done or fatal, the deadline passes, or `stopped()`. */
export async function retryUntil(opts: RetryOptions): Promise<RetryOutcome> {
  const now = opts.now ?? Date.now;
  for (let n = 0; ; n++) {
    if (!(opts.immediate && n === 0)) await opts.wait(backoffMs(opts.immediate ? n - 1 : n));
    if (opts.stopped()) return 'stopped';
    if (now() > opts.deadline) return 'expired';
    const result = await opts.attempt();
    if (opts.stopped()) return 'stopped';
    if (result !== 'retry') return result;
  }
}

export const RESUME_EXPIRED: Ending = { code: 'resume_expired', message: 'Your connection to the meeting could not be restored in time.' };

export interface ResumeLoopOptions {
  windowSeconds: number;
  /** A reload: try at once. */
  immediate: boolean;
  /** One resume attempt; a rejection is judged by its code. */
  resume: () => Promise<void>;
  /** After a failed attempt (close its socket). */
  failed: () => void;
  wait: (ms: number) => Promise<void>;
  stopped: () => boolean;
  now?: () => number;
}

/** Resumes until it works (null) or cannot (the ending to show); `stopped` also gives null. */
export async function resumeLoop(opts: ResumeLoopOptions): Promise<Ending | null> {
  const now = opts.now ?? Date.now;
  let fatal: Ending = RESUME_EXPIRED;
  const outcome = await retryUntil({
    deadline: now() + opts.windowSeconds * 1000,
    immediate: opts.immediate,
    wait: opts.wait,
    stopped: opts.stopped,
    now,
    attempt: async () => {
      try {
        await opts.resume();
        return 'done';
      } catch (err) {
        opts.failed();
        const code = err instanceof SignalingError ? err.code : 'internal';
        if (isRetryable(code)) return 'retry';
        if (code !== 'resume_expired') fatal = { code, message: err instanceof Error ? err.message : String(err) };
        return 'fatal';
      }
    },
  });
  return outcome === 'fatal' ? fatal : outcome === 'expired' ? RESUME_EXPIRED : null;
}

/** `sleep(ms)`, cut short when the browser reports that the network is back (`online`). */
export function sleepOrOnline(sleep: (ms: number) => Promise<void>, ms: number, target: EventTarget | undefined = globalThis.window): Promise<void> {
  if (!target) return sleep(ms);
  let listener: (() => void) | undefined;
  const online = new Promise<void>((resolve) => {
    listener = () => resolve();
    target.addEventListener('online', listener, { once: true });
  });
  return Promise.race([sleep(ms), online]).finally(() => {
    if (listener) target.removeEventListener('online', listener);
  });
}
