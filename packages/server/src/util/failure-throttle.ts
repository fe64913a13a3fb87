/**
 * Throttles guessing. Each key (a client address, a meeting, an account) may fail `freeFailures`
 * times within `windowMs`; past that, every further attempt must wait `backoffMs(excess)` after the
 * latest failure. An attempt counts as a failure from the moment it starts (so a burst of parallel
 * guesses cannot slip past the count) and is taken back only if it succeeds.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  windowMs: number;
  /** The wait after the latest failure once `excess` (>= 1) failures are beyond the free ones. */
  backoffMs(excess: number): number;
}

const MAX_KEYS = 50_000;

export class FailureThrottle {
  readonly #policy: ThrottlePolicy;
  readonly #now: () => number;
  readonly #failures = new Map<string, number[]>();

  constructor(policy: ThrottlePolicy, now: () => number = Date.now) {
    this.#policy = policy;
    this.#now = now;
  }

  /** Milliseconds until `key` may try again; 0 if it may now. */
  retryAfter(key: string): number {
    const failures = this.#recent(key);
    const excess = failures.length - this.#policy.freeFailures + 1;
    if (excess <= 0) return 0;
    const last = failures[failures.length - 1] ?? 0;
    return Math.max(0, last + this.#policy.backoffMs(excess) - this.#now());
  }

  /** Failures of `key` inside the window (including attempts in flight). */
  failures(key: string): number {
    return this.#recent(key).length;
  }

  /** Records the start of an attempt; it stays a failure unless `succeeded` is called with the token. */
  begin(key: string): number {
    if (this.#failures.size >= MAX_KEYS) this.#prune();
    const at = this.#now();
    const list = this.#recent(key);
    list.push(at);
    this.#failures.set(key, list);
    return at;
  }

  /** Takes back the attempt begun at `token`. */
  succeeded(key: string, token: number): void {
    const list = this.#failures.get(key);
    const index = list?.lastIndexOf(token) ?? -1;
    if (list && index >= 0) list.splice(index, 1);
  }

  #recent(key: string): number[] {
    const since = this.#now() - this.#policy.windowMs;
    const list = (this.#failures.get(key) ?? []).filter((t) => t > since);
    if (list.length === 0) this.#failures.delete(key);
    else this.#failures.set(key, list);
    return list;
  }

  #prune(): void {
    for (const key of [...this.#failures.keys()]) this.#recent(key);
    if (this.#failures.size >= MAX_KEYS) this.#failures.clear();
  }
}

/** Per client address: 5 free failures an hour, then 1 s, 2 s, 4 s ... up to 15 minutes between attempts. */
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  windowMs: 60 * 60_000,
  backoffMs: (excess) => Math.min(1000 * 2 ** (excess - 1), 15 * 60_000),
};

/** Per meeting: 20 failures in 10 minutes, from anywhere, and it takes no guesses for 10 minutes. */
export const MEETING_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  windowMs: 10 * 60_000,
  backoffMs: () => 10 * 60_000,
};
