/**
 * Tells the server once, per media setup, that this client decoded its first remote video frame:
 * the server times join-to-first-frame on its own clock (`parley_join_first_frame_seconds`). It
 * polls the recv transport's inbound video stats from the first remote video track on, and gives up
 * after two minutes (nobody may show video at all).
 */
const POLL_MS = 250;
const GIVE_UP_MS = 120_000;

export class FirstFrameWatch {
  readonly #stats: () => Promise<RTCStatsReport>;
  readonly #report: () => Promise<unknown>;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #startedAt: number | undefined;
  #done = false;

  constructor(stats: () => Promise<RTCStatsReport>, report: () => Promise<unknown>) {
    this.#stats = stats;
    this.#report = report;
  }

  /** A remote video track arrived: start watching (once). */
  start(): void {
    if (this.#done || this.#startedAt !== undefined) return;
    this.#startedAt = Date.now();
    this.#schedule();
  }

  stop(): void {
    this.#done = true;
    clearTimeout(this.#timer);
  }

  #schedule(): void {
    this.#timer = setTimeout(() => void this.#check(), POLL_MS);
  }

  async #check(): Promise<void> {
    if (this.#done) return;
    let decoded = false;
    try {
      (await this.#stats()).forEach((s: { type?: string; kind?: string; framesDecoded?: number }) => {
        if (s.type === 'inbound-rtp' && s.kind === 'video' && (s.framesDecoded ?? 0) > 0) decoded = true;
      });
    } catch {
      // The transport closed meanwhile: stop() follows.
    }
    if (this.#done) return;
    if (decoded) {
      this.#done = true;
      this.#report().catch(() => undefined);
      return;
    }
    if (Date.now() - (this.#startedAt ?? 0) > GIVE_UP_MS) this.stop();
    else this.#schedule();
  }
}
