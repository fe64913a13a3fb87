/**
 * Signs of disruption: a burst of joins, one person's repeated forbidden attempts, rapid renames.
 * Counts events in sliding windows and says when a threshold is crossed, at most once a minute per
 * sign and person, so moderators get one alert, not a flood.
 */
export type DisruptionSign = 'join-burst' | 'forbidden-burst' | 'rename-burst';

interface Threshold {
  count: number;
  windowMs: number;
}

export const THRESHOLDS: Record<DisruptionSign, Threshold> = {
  'join-burst': { count: 8, windowMs: 20_000 },
  'forbidden-burst': { count: 3, windowMs: 60_000 },
  'rename-burst': { count: 3, windowMs: 60_000 },
};
const ALERT_QUIET_MS = 60_000;

export class DisruptionDetector {
  readonly #events = new Map<string, number[]>();
  readonly #alerted = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Records one event; true when it crosses the sign's threshold and no alert went out lately. */
  record(sign: DisruptionSign, who = 'room'): boolean {
    const key = `${sign}:${who}`;
    const now = this.#now();
    const { count, windowMs } = THRESHOLDS[sign];
    const events = (this.#events.get(key) ?? []).filter((t) => t > now - windowMs);
    events.push(now);
    this.#events.set(key, events);
    if (events.length < count) return false;
    const last = this.#alerted.get(key);
    if (last !== undefined && now - last < ALERT_QUIET_MS) return false;
    this.#alerted.set(key, now);
    return true;
  }

  forget(who: string): void {
    for (const key of [...this.#events.keys()]) if (key.endsWith(`:${who}`)) this.#events.delete(key);
  }
}
