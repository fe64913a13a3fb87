/**
 * Which microphones a room forwards. With more microphones than `limit`, only the `limit` most
 * recent loud speakers are forwarded; in silence the last speakers stay (so a pause in speech does
 * not reshuffle who is heard), and a free place goes to a microphone that has not spoken yet.
 * Pure bookkeeping: the room applies the verdict to consumers.
 */
export class LoudestAudio {
  readonly #limit: number;
  /** Microphone track IDs in production order. */
  readonly #microphones: string[] = [];
  /** The forwarded set when limited, most recent speaker first; at most `limit` long. */
  #loudest: string[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  /** Whether every microphone is forwarded (few enough of them, or no limit). */
  get unlimited(): boolean {
    return this.#limit <= 0 || this.#microphones.length <= this.#limit;
  }

  forwards(trackId: string): boolean {
    return this.unlimited || this.#loudest.includes(trackId);
  }

  add(trackId: string): void {
    if (this.#microphones.includes(trackId)) return;
    this.#microphones.push(trackId);
    this.#fill();
  }

  remove(trackId: string): void {
    const at = this.#microphones.indexOf(trackId);
    if (at < 0) return;
    this.#microphones.splice(at, 1);
    this.#loudest = this.#loudest.filter((id) => id !== trackId);
    this.#fill();
  }

  /** The observer's report: loud microphones, loudest first. Returns whether the verdict changed. */
  speaking(trackIds: readonly string[]): boolean {
    const before = this.#loudest.join('\n');
    const loud = trackIds.filter((id) => this.#microphones.includes(id));
    this.#loudest = [...loud, ...this.#loudest.filter((id) => !loud.includes(id))].slice(0, Math.max(0, this.#limit));
    return before !== this.#loudest.join('\n');
  }

  #fill(): void {
    for (const id of this.#microphones) {
      if (this.#loudest.length >= this.#limit) return;
      if (!this.#loudest.includes(id)) this.#loudest.push(id);
    }
  }
}
