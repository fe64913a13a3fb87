/**
 * Rations guess checks. Each key (a client address, a meeting, an account) may fail `freeFailures`
 * times within `windowMs` with no wait. Past that, its checks take turns: one every
 * `backoffMs(excess)`, where `excess` counts the verified failures beyond the free ones plus the
 * turns already handed out (assumed to fail, so a queue of guesses cannot run faster). An attempt
 * whose turn is within `maxWaitMs` waits for it and is then checked like any other, so a right
 * secret is let in late rather than refused; only an attempt whose turn is further away is refused,
 * with the true wait.
 *
 * Only verified failures count. Attempts still being checked are neither failures nor free: while
 * in-flight checks could use up the free failures, newcomers wait for them to settle, so a burst of
 * parallel guesses cannot slip past the count and a burst of right secrets is never refused.
 */
export interface ThrottlePolicy {
  freeFailures: number;
  windowMs: number;
  /** The spacing between checks once `excess` (>= 1) failures are beyond the free ones. */
  backoffMs(excess: number): number;
  /** How long an attempt may wait for its turn before it is refused instead. */
  maxWaitMs: number;
}

interface KeyState {
  failures: number[];
  inFlight: number;
  /** Turns handed out in the slow lane and not yet settled. */
  queued: number;
  /** The latest check start or handed-out turn. */
  lastTurn: number;
  wake: (() => void)[];
}

/** A check in progress: settle it exactly once. */
export interface Ticket {
  readonly key: string;
  readonly state: KeyState;
  readonly queued: boolean;
  settled: boolean;
}

export type Turn = { ok: true; ticket: Ticket } | { ok: false; retryAfterMs: number };

export interface ThrottleClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

const realClock: ThrottleClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const MAX_KEYS = 50_000;

/** What the guess checks need of a throttle: this process's FailureThrottle, or one shared by every node (cluster/shared-throttle.ts). */
export interface GuessThrottle {
  acquire(key: string): Promise<Turn>;
  settle(ticket: Ticket, failed: boolean): void | Promise<void>;
  failures(key: string): number | Promise<number>;
}

/** Makes the throttle for one policy; `name` keeps different throttles' counts apart where they are shared. */
export type ThrottleFactory = (name: string, policy: ThrottlePolicy) => GuessThrottle;

/** One node: each throttle counts in this process. */
export const localThrottles: ThrottleFactory = (_name, policy) => new FailureThrottle(policy);

export class FailureThrottle implements GuessThrottle {
  readonly #policy: ThrottlePolicy;
  readonly #clock: ThrottleClock;
  readonly #keys = new Map<string, KeyState>();

  constructor(policy: ThrottlePolicy, clock: Partial<ThrottleClock> = {}) {
    this.#policy = policy;
    this.#clock = { ...realClock, ...clock };
  }

  /** Waits for `key`'s turn to have a secret checked, or says how long until it could have one. */
  async acquire(key: string): Promise<Turn> {
    const state = this.#state(key);
    for (;;) {
      const failures = this.#recent(state).length;
      const now = this.#clock.now();
      if (failures + state.inFlight < this.#policy.freeFailures) {
        state.inFlight += 1;
        state.lastTurn = Math.max(state.lastTurn, now);
        return { ok: true, ticket: { key, state, queued: false, settled: false } };
      }
      if (failures < this.#policy.freeFailures) {
        // In-flight checks may still succeed and leave free failures: wait for one to settle.
        await new Promise<void>((resolve) => state.wake.push(resolve));
        continue;
      }
      const excess = failures - this.#policy.freeFailures + 1 + state.queued;
      const turn = Math.max(now, state.lastTurn + this.#policy.backoffMs(excess));
      if (turn - now > this.#policy.maxWaitMs) return { ok: false, retryAfterMs: turn - now };
      state.lastTurn = turn;
      state.inFlight += 1;
      state.queued += 1;
      if (turn > now) await this.#clock.sleep(turn - now);
      return { ok: true, ticket: { key, state, queued: true, settled: false } };
    }
  }

  /** Ends a check: a verified failure counts, anything else (success, not checked after all) does not. */
  settle(ticket: Ticket, failed: boolean): void {
    if (ticket.settled) return;
    ticket.settled = true;
    const { state } = ticket;
    state.inFlight -= 1;
    if (ticket.queued) state.queued -= 1;
    if (failed) state.failures.push(this.#clock.now());
    const waiting = state.wake.splice(0);
    // Forget an idle key, but never one with waiters: they would count on a state nobody else sees.
    if (state.inFlight === 0 && state.failures.length === 0 && waiting.length === 0 && this.#keys.get(ticket.key) === state) this.#keys.delete(ticket.key);
    for (const wake of waiting) wake();
  }

  /** Verified failures of `key` inside the window. */
  failures(key: string): number {
    const state = this.#keys.get(key);
    return state ? this.#recent(state).length : 0;
  }

  /** Milliseconds until `key` could have a check without waiting; 0 if now. */
  retryAfter(key: string): number {
    const state = this.#keys.get(key);
    if (!state) return 0;
    const failures = this.#recent(state).length;
    if (failures + state.inFlight < this.#policy.freeFailures) return 0;
    if (failures < this.#policy.freeFailures) return 0;
    const excess = failures - this.#policy.freeFailures + 1 + state.queued;
    return Math.max(0, state.lastTurn + this.#policy.backoffMs(excess) - this.#clock.now());
  }

  #state(key: string): KeyState {
    let state = this.#keys.get(key);
    if (!state) {
      if (this.#keys.size >= MAX_KEYS) this.#prune();
      state = { failures: [], inFlight: 0, queued: 0, lastTurn: 0, wake: [] };
      this.#keys.set(key, state);
    }
    return state;
  }

  #recent(state: KeyState): number[] {
    const since = this.#clock.now() - this.#policy.windowMs;
    while (state.failures.length > 0 && (state.failures[0] ?? 0) <= since) state.failures.shift();
    return state.failures;
  }

  #prune(): void {
    for (const [key, state] of this.#keys) if (state.inFlight === 0 && this.#recent(state).length === 0) this.#keys.delete(key);
    if (this.#keys.size < MAX_KEYS) return;
    // Still full: forget the idle keys (in-flight tickets keep their own state and settle safely).
    for (const [key, state] of this.#keys) if (state.inFlight === 0) this.#keys.delete(key);
  }
}

/**
 * Per client address: 5 free failures an hour, then one check every 1 s, 2 s, 4 s, 8 s, then every
 * 10 s at most; an attempt waits up to 10 s for its turn (the web client waits 15 s for a reply). Colleagues behind one address with the
 * right passcode are slowed by someone else's guesses, not refused; a guesser gets at most 6 checks
 * a minute from the address (and the meeting's own budget below bounds all addresses together).
 */
export const ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  windowMs: 60 * 60_000,
  backoffMs: (excess) => Math.min(1000 * 2 ** (excess - 1), 10_000),
  maxWaitMs: 10_000,
};

/** Per meeting: 20 failures in 10 minutes, from anywhere, then one check per 10 minutes. */
export const MEETING_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  windowMs: 10 * 60_000,
  backoffMs: () => 10 * 60_000,
  maxWaitMs: 10_000,
};

/** Sign-in, per address (every account together): 10 free failures an hour, then spaced checks. */
export const SIGNIN_ADDRESS_POLICY: ThrottlePolicy = {
  freeFailures: 10,
  windowMs: 60 * 60_000,
  backoffMs: (excess) => Math.min(1000 * 2 ** (excess - 1), 60_000),
  maxWaitMs: 10_000,
};

/**
 * Sign-in, per account and address: 5 free failures an hour, then exponential spacing up to
 * 15 minutes. The account's owner from another address has their own budget: the guesser is
 * locked, not the account.
 */
export const SIGNIN_ACCOUNT_POLICY: ThrottlePolicy = {
  freeFailures: 5,
  windowMs: 60 * 60_000,
  backoffMs: (excess) => Math.min(1000 * 2 ** (excess - 1), 15 * 60_000),
  maxWaitMs: 10_000,
};

/**
 * Sign-in, per account from every address together: a slowdown only (at most one check every 2 s
 * past 20 failures), so a botnet cannot lock the owner out but cannot guess fast either.
 */
export const SIGNIN_ACCOUNT_GLOBAL_POLICY: ThrottlePolicy = {
  freeFailures: 20,
  windowMs: 60 * 60_000,
  backoffMs: () => 2000,
  maxWaitMs: 10_000,
};
