/**
 * Receiver-side anti-replay for one KID, RFC 3711 §3.3.2 adapted to the SFrame CTR as RFC 9605 §9.3
 * suggests: the highest CTR accepted so far and a bitmap of the `size` CTRs up to it. Newer CTRs (any
 * gap: a simulcast layer switch skips counters) and older ones inside the window that were not seen
 * (reordering) pass; a CTR seen before or older than the window does not.
 *
 * `check` is the cheap test before decrypting; `accept` is called only after the AEAD authenticated
 * the frame, so a forged frame never moves the window, and it re-checks because two decryptions of
 * the same frame can be in flight at once.
 */
import { SFrameError } from './errors.js';

export const DEFAULT_REPLAY_WINDOW = 128;

export class ReplayWindow {
  readonly size: number;
  #highest: bigint | null = null;
  /** Bit i set: CTR highest - i was accepted. */
  #seen = 0n;
  readonly #mask: bigint;

  constructor(size: number = DEFAULT_REPLAY_WINDOW) {
    if (!Number.isInteger(size) || size < 1 || size > 4096) throw new RangeError(`replay window size ${size} not in 1..4096`);
    this.size = size;
    this.#mask = (1n << BigInt(size)) - 1n;
  }

  /** Highest CTR accepted, or null before the first frame. */
  get highest(): bigint | null {
    return this.#highest;
  }

  /** Throws SFrameError 'replay' or 'replay-too-old' if `ctr` must be refused; changes nothing. */
  check(ctr: bigint): void {
    const highest = this.#highest;
    if (highest === null || ctr > highest) return;
    const age = highest - ctr;
    if (age >= BigInt(this.size)) {
      throw new SFrameError('replay-too-old', `CTR ${ctr} is ${age} behind ${highest}, outside the ${this.size}-frame window`);
    }
    if ((this.#seen >> age) & 1n) throw new SFrameError('replay', `CTR ${ctr} was already received`);
  }

  /** Records an authenticated `ctr` (throwing as `check` does if it meanwhile became a replay). */
  accept(ctr: bigint): void {
    this.check(ctr);
    const highest = this.#highest;
    if (highest === null) {
      this.#highest = ctr;
      this.#seen = 1n;
    } else if (ctr > highest) {
      const shift = ctr - highest;
      this.#seen = shift >= BigInt(this.size) ? 1n : ((this.#seen << shift) | 1n) & this.#mask;
      this.#highest = ctr;
    } else {
      this.#seen |= 1n << (highest - ctr);
    }
  }
}
