/** One token bucket per key (a client address), forgetting idle keys so memory stays bounded. */
import type { TokenBucket } from '../signaling/rate-limiter.js';

const MAX_KEYS = 10_000;

export class KeyedLimiter {
  readonly #make: () => TokenBucket;
  #buckets = new Map<string, TokenBucket>();

  constructor(make: () => TokenBucket) {
    this.#make = make;
  }

  take(key: string): boolean {
    let bucket = this.#buckets.get(key);
    if (!bucket) {
      if (this.#buckets.size >= MAX_KEYS) this.#buckets = new Map();
      bucket = this.#make();
      this.#buckets.set(key, bucket);
    }
    return bucket.take();
  }
}
