/**
 * NeedsSender tells the server what this client's view needs of each remote video
 * (`setSubscription`): only changes, only for tracks that have a consumer, and debounced, so paging
 * through a large grid or a burst of active-speaker changes sends one message per track that
 * changed, not one per render. reset() forgets what was sent (new transports start from defaults).
 */
import type { Need } from '../layout.js';

const DEBOUNCE_MS = 250;

export interface NeedsSenderHooks {
  /** Sends one track's need; rejects if the server refused. */
  send: (trackId: string, need: Need) => Promise<void>;
  /** Whether the server can take a need for this track now (its consumer exists). */
  ready: (trackId: string) => boolean;
}

export class NeedsSender {
  readonly #hooks: NeedsSenderHooks;
  readonly #debounceMs: number;
  #wanted = new Map<string, Need>();
  readonly #sent = new Map<string, Need>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(hooks: NeedsSenderHooks, debounceMs = DEBOUNCE_MS) {
    this.#hooks = hooks;
    this.#debounceMs = debounceMs;
  }

  /** The view's needs now (every remote video track). */
  update(needs: Map<string, Need>): void {
    this.#wanted = needs;
    this.#schedule();
  }

  /** A consumer appeared (or transports were replaced): send what is now possible. */
  poke(): void {
    this.#schedule();
  }

  reset(): void {
    this.#sent.clear();
    this.#schedule();
  }

  /** Sends every changed need now. */
  flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#closed) return;
    for (const trackId of this.#sent.keys()) if (!this.#wanted.has(trackId)) this.#sent.delete(trackId);
    for (const [trackId, need] of this.#wanted) {
      if (!this.#hooks.ready(trackId) || sameNeed(this.#sent.get(trackId), need)) continue;
      this.#sent.set(trackId, need);
      this.#hooks.send(trackId, need).catch(() => {
        // Not applied: forget it, so the next change tries again.
        if (this.#sent.get(trackId) === need) this.#sent.delete(trackId);
      });
    }
  }

  close(): void {
    this.#closed = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }

  #schedule(): void {
    if (this.#closed || this.#timer) return;
    this.#timer = setTimeout(() => this.flush(), this.#debounceMs);
  }
}

export function sameNeed(a: Need | undefined, b: Need): boolean {
  return a !== undefined && a.hidden === b.hidden && a.layer === b.layer;
}
