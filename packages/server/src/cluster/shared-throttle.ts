/**
 * FailureThrottle's rules (util/failure-throttle.ts) with the counts in Redis, so a guesser spread
 * over every node is throttled as one. Each decision is one Lua script (atomic in Redis, on Redis's
 * clock): the verified failures inside the window, the checks in flight, the turns handed out in the
 * slow lane and the latest turn, exactly as the in-process throttle keeps them. As there, only
 * verified failures count and an attempt whose turn is within `maxWaitMs` waits for it and is then
 * checked, so a right secret is let in late rather than refused. A node that dies mid-check cannot
 * leave its checks in flight forever: each expires after TICKET_TTL_MS. Keys are hashed: Redis never
 * holds client addresses or email addresses.
 */
import { createHash, randomBytes } from 'node:crypto';
import { ParleyError } from '@parley/protocol';
import type { GuessThrottle, ThrottlePolicy, Ticket, Turn } from '../util/failure-throttle.js';

/** What the throttle needs of Redis: EVAL. */
export interface ScriptRunner {
  eval(script: string, keys: string[], args: string[]): Promise<unknown>;
}

/** How long a check may stay in flight before it is assumed dead (a node that died mid-check). */
const TICKET_TTL_MS = 60_000;
/** How often an attempt that waits for in-flight checks to settle looks again. */
const POLL_MS = 100;
/** Backoffs precomputed per excess (the policies all level off well before this). */
const BACKOFF_STEPS = 32;

const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS: failures, in flight, queued, last turn. ARGV: ticket, free, window, max wait, ticket ttl, backoff 1..n. */
const ACQUIRE = `${NOW}
local free, window, maxWait, ttl = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
local failures = redis.call('ZCARD', KEYS[1])
local inflight = redis.call('ZCARD', KEYS[2])
local queued = redis.call('ZCARD', KEYS[3])
local last = tonumber(redis.call('GET', KEYS[4]) or '0')
local keep = window + ttl + maxWait
if failures + inflight < free then
  redis.call('ZADD', KEYS[2], now + ttl, ARGV[1])
  redis.call('PEXPIRE', KEYS[2], keep)
  redis.call('SET', KEYS[4], math.max(last, now), 'PX', keep)
  return {1, 0, 0}
end
if failures < free then return {2, 0, 0} end
local excess = failures - free + 1 + queued
local steps = #ARGV - 5
local backoff = tonumber(ARGV[5 + math.min(excess, steps)])
local turn = math.max(now, last + backoff)
if turn - now > maxWait then return {0, 0, turn - now} end
redis.call('SET', KEYS[4], turn, 'PX', keep)
redis.call('ZADD', KEYS[2], turn + ttl, ARGV[1])
redis.call('ZADD', KEYS[3], turn + ttl, ARGV[1])
redis.call('PEXPIRE', KEYS[2], keep)
redis.call('PEXPIRE', KEYS[3], keep)
return {1, 1, turn - now}`;

/** KEYS: failures, in flight, queued. ARGV: ticket, failed (1/0), window. */
const SETTLE = `${NOW}
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if ARGV[2] == '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[1])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
end
return 1`;

/** KEYS: failures. ARGV: window. */
const FAILURES = `${NOW}
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])`;

function numbers(reply: unknown): number[] {
  if (!Array.isArray(reply) || !reply.every((n) => typeof n === 'number')) throw new Error('unexpected throttle script reply');
  return reply as number[];
}

/** The Redis that counts is unreachable: refuse to check rather than check without counting. */
function unavailable(err: unknown): ParleyError {
  return Object.assign(new ParleyError('shutting_down', 'this server cannot reach its cluster right now; nothing was checked; retry in a moment'), { cause: err });
}

export class SharedThrottle implements GuessThrottle {
  readonly #redis: ScriptRunner;
  readonly #name: string;
  readonly #policy: ThrottlePolicy;
  readonly #backoffs: string[];
  readonly #tickets = new WeakMap<Ticket, string>();
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(redis: ScriptRunner, name: string, policy: ThrottlePolicy, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))) {
    this.#redis = redis;
    this.#name = name;
    this.#policy = policy;
    this.#backoffs = Array.from({ length: BACKOFF_STEPS }, (_, i) => String(Math.round(policy.backoffMs(i + 1))));
    this.#sleep = sleep;
  }

  async acquire(key: string): Promise<Turn> {
    const id = randomBytes(12).toString('base64url');
    const p = this.#policy;
    for (;;) {
      let reply: number[];
      try {
        reply = numbers(await this.#redis.eval(ACQUIRE, this.#keys(key), [id, String(p.freeFailures), String(p.windowMs), String(p.maxWaitMs), String(TICKET_TTL_MS), ...this.#backoffs]));
      } catch (err) {
        throw unavailable(err);
      }
      const [verdict = 0, queued = 0, waitMs = 0] = reply;
      if (verdict === 2) {
        // In-flight checks (on any node) may still succeed and leave free failures: wait for one to settle.
        await this.#sleep(POLL_MS);
        continue;
      }
      if (verdict === 0) return { ok: false, retryAfterMs: waitMs };
      if (queued === 1 && waitMs > 0) await this.#sleep(waitMs);
      const ticket: Ticket = { key, state: { failures: [], inFlight: 0, queued: 0, lastTurn: 0, wake: [] }, queued: queued === 1, settled: false };
      this.#tickets.set(ticket, id);
      return { ok: true, ticket };
    }
  }

  async settle(ticket: Ticket, failed: boolean): Promise<void> {
    const id = this.#tickets.get(ticket);
    if (ticket.settled || id === undefined) return;
    ticket.settled = true;
    await this.#redis.eval(SETTLE, this.#keys(ticket.key).slice(0, 3), [id, failed ? '1' : '0', String(this.#policy.windowMs)]);
  }

  async failures(key: string): Promise<number> {
    const reply = await this.#redis.eval(FAILURES, this.#keys(key).slice(0, 1), [String(this.#policy.windowMs)]);
    return typeof reply === 'number' ? reply : 0;
  }

  #keys(key: string): string[] {
    const hashed = createHash('sha256').update(`${this.#name}\n${key}`).digest('hex').slice(0, 32);
    // One hash tag, so the four keys of one throttle key live on one Redis Cluster slot.
    const base = `parley:throttle:{${hashed}}`;
    return [`${base}:failures`, `${base}:inflight`, `${base}:queued`, `${base}:last`];
  }
}
