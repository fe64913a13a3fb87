/**
 * What traffic nobody has authenticated may write to the permanent audit log, and how much.
 * Repeats (a throttled address trying again and again) are aggregated: the first of a window is
 * written at once, the rest are counted and written as one event with the count when the window
 * closes. Everything unauthenticated shares a budget of rows a minute; what the budget cannot take
 * is summed into one `audit.suppressed` event a minute, so an attacker cannot fill the disk.
 */
import type { AuditEvent, AuditLog } from './audit.js';
import { TokenBucket } from '../signaling/rate-limiter.js';
import { addressKey } from '../util/address.js';

export interface UntrustedAuditOptions {
  /** One aggregated event per action, address and meeting in this window. */
  windowMs?: number;
  /** Rows a minute unauthenticated traffic may write, all together. */
  rowsPerMinute?: number;
  now?: () => number;
}

interface Repeat {
  event: AuditEvent;
  count: number;
  since: number;
  until: number;
}

const MAX_REPEATS = 10_000;

export class UntrustedAudit {
  readonly #audit: Pick<AuditLog, 'append'>;
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #budget: TokenBucket;
  readonly #repeats = new Map<string, Repeat>();
  readonly #suppressed = new Map<string, number>();
  readonly #timer: NodeJS.Timeout;

  constructor(audit: Pick<AuditLog, 'append'>, options: UntrustedAuditOptions = {}) {
    this.#audit = audit;
    this.#windowMs = options.windowMs ?? 10 * 60_000;
    this.#now = options.now ?? Date.now;
    const perMinute = options.rowsPerMinute ?? 120;
    this.#budget = new TokenBucket(perMinute / 60, perMinute, this.#now());
    this.#timer = setInterval(() => void this.flush(false), 60_000);
    this.#timer.unref();
  }

  /** A single event (a checked failure), within the shared budget. */
  async append(event: AuditEvent): Promise<void> {
    if (this.#budget.take(this.#now())) await this.#audit.append(event);
    else this.#suppressed.set(event.action, (this.#suppressed.get(event.action) ?? 0) + 1);
  }

  /** A repeatable event (a throttled attempt): one per action, address and meeting and window, with a count. */
  async repeat(event: AuditEvent): Promise<void> {
    const key = `${event.action}\n${addressKey(event.clientAddress ?? '')}\n${event.meetingId ?? ''}`;
    const now = this.#now();
    const existing = this.#repeats.get(key);
    if (existing && now < existing.until) {
      existing.count += 1;
      return;
    }
    if (existing) await this.#close(key, existing);
    if (this.#repeats.size >= MAX_REPEATS) await this.flush(true);
    this.#repeats.set(key, { event, count: 1, since: now, until: now + this.#windowMs });
    await this.append({ ...event, details: { ...event.details, count: 1, aggregated: 'first of its window; the rest are counted when it closes' } });
  }

  /** Writes closed windows (all of them with `all`) and what the budget suppressed. */
  async flush(all = true): Promise<void> {
    const now = this.#now();
    for (const [key, repeat] of [...this.#repeats]) if (all || now >= repeat.until) await this.#close(key, repeat);
    if (this.#suppressed.size > 0) {
      const counts = Object.fromEntries(this.#suppressed);
      this.#suppressed.clear();
      await this.#audit.append({ action: 'audit.suppressed', details: { counts, reason: 'unauthenticated events over the budget' } });
    }
  }

  /** Stops the timer and writes everything pending. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.flush(true);
  }

  async #close(key: string, repeat: Repeat): Promise<void> {
    this.#repeats.delete(key);
    if (repeat.count <= 1) return;
    await this.append({
      ...repeat.event,
      details: { ...repeat.event.details, count: repeat.count, since: repeat.since, until: Math.min(this.#now(), repeat.until), aggregated: 'window closed' },
    });
  }
}
