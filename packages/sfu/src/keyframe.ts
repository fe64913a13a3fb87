/**
 * Throttles keyframe requests (PLI) for one published track: at most one per interval. A request
 * that arrives inside the interval is not dropped but deferred to the interval's end (trailing
 * edge), because the late request is usually the one that matters: a subscriber asks when it is
 * added and again when its connection is up, and only the second keyframe can reach it.
 */
export class KeyframeThrottle {
  readonly #intervalMs: number;
  readonly #send: () => void;
  readonly #now: () => number;
  #last = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(send: () => void, intervalMs = 500, now: () => number = () => performance.now()) {
    this.#send = send;
    this.#intervalMs = intervalMs;
    this.#now = now;
  }

  request(): void {
    if (this.#closed || this.#timer) return;
    const wait = this.#last + this.#intervalMs - this.#now();
    if (wait <= 0) {
      this.#fire();
      return;
    }
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#fire();
    }, wait);
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #fire(): void {
    if (this.#closed) return;
    this.#last = this.#now();
    this.#send();
  }
}
