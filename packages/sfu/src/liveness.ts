/**
 * Notices a client that went away without saying so. The SFU is ICE-lite, so it sends no consent
 * checks of its own and werift never reports a dead connection; but a live browser keeps sending
 * (media, RTCP, and an ICE consent check every few seconds, RFC 7675). Silence for
 * `disconnectedAfterMs` reports `disconnected`, for `failedAfterMs` `failed`; traffic revives it.
 */
import type { RTCPeerConnection } from 'werift';

export type Liveness = 'alive' | 'silent' | 'dead';

export interface LivenessOptions {
  disconnectedAfterMs: number;
  failedAfterMs: number;
  checkEveryMs: number;
}

export const DEFAULT_LIVENESS: LivenessOptions = { disconnectedAfterMs: 10_000, failedAfterMs: 30_000, checkEveryMs: 2_000 };

/** Packets and connectivity checks received so far on all of a connection's transports. */
export function receivedSoFar(pc: RTCPeerConnection): number {
  let total = 0;
  for (const transport of pc.dtlsTransports) {
    total += transport.packetsReceived;
    total += transport.iceTransport.connection.nominated?.requestsReceived ?? 0;
  }
  return total;
}

export class LivenessWatch {
  readonly #timer: NodeJS.Timeout;
  #lastCount: number;
  #lastChange: number;
  #reported: Liveness = 'alive';
  #stopped = false;

  constructor(count: () => number, report: (liveness: Liveness) => void, options: LivenessOptions = DEFAULT_LIVENESS, now: () => number = () => performance.now()) {
    this.#lastCount = count();
    this.#lastChange = now();
    this.#timer = setInterval(() => {
      if (this.#stopped) return;
      const current = count();
      if (current !== this.#lastCount) {
        this.#lastCount = current;
        this.#lastChange = now();
      }
      const silence = now() - this.#lastChange;
      const liveness: Liveness = silence >= options.failedAfterMs ? 'dead' : silence >= options.disconnectedAfterMs ? 'silent' : 'alive';
      if (liveness === this.#reported) return;
      this.#reported = liveness;
      report(liveness);
      if (liveness === 'dead') this.close();
    }, options.checkEveryMs);
    this.#timer.unref();
  }

  close(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }
}
