/** A token bucket: `rate` tokens per second, at most `burst` saved up. */
export class TokenBucket {
  readonly #rate: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;

  constructor(rate: number, burst: number, now = Date.now()) {
    this.#rate = rate;
    this.#burst = burst;
    this.#tokens = burst;
    this.#last = now;
  }

  /** Takes one token if there is one. */
  take(now = Date.now()): boolean {
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#rate);
    this.#last = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }
}

/**
 * A socket's message rate: 30 messages a second, bursts of 60. A message over the rate is refused
 * (a strike); strikes expire at 10 a second, and only a socket that keeps up more than 100 unexpired
 * strikes is abusive and closed. A client that is bursty but slow on average is never closed.
 */
export class RateGuard {
  readonly #messages: TokenBucket;
  readonly #strikes: TokenBucket;

  constructor(now = Date.now()) {
    this.#messages = new TokenBucket(30, 60, now);
    this.#strikes = new TokenBucket(10, 100, now);
  }

  frame(now = Date.now()): 'ok' | 'refused' | 'abusive' {
    if (this.#messages.take(now)) return 'ok';
    return this.#strikes.take(now) ? 'refused' : 'abusive';
  }
}
