/**
 * A serial queue of async actions: one writer per room. Each action starts only after the previous
 * one settled, so room state is never mutated by two interleaved actions.
 */
export class ActionQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;
  #length = 0;

  /** Runs `action` after every action queued before it; resolves or rejects with its outcome. */
  push<T>(action: () => Promise<T> | T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('queue closed'));
    this.#length += 1;
    const run = this.#tail.then(action);
    this.#tail = run.then(
      () => this.#settle(),
      () => this.#settle(),
    );
    return run;
  }

  /** Actions queued or running. */
  get length(): number {
    return this.#length;
  }

  /** Refuses new actions; those already queued still run. Resolves when they have. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#tail;
  }

  #settle(): void {
    this.#length -= 1;
  }
}
