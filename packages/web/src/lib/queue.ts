/**
 * A serial task queue: each task starts after the previous one settles, so negotiations and
 * signaling events are handled strictly in order. A failing task does not stop later ones.
 */
export class SerialQueue {
  #tail: Promise<unknown> = Promise.resolve();
  #closed = false;

  push<T>(task: () => Promise<T> | T): Promise<T> {
    if (this.#closed) return Promise.reject(new Error('queue closed'));
    const run = this.#tail.then(
      () => (this.#closed ? Promise.reject(new Error('queue closed')) : task()),
      () => (this.#closed ? Promise.reject(new Error('queue closed')) : task()),
    );
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Later tasks (queued or not) are rejected instead of run. */
  close(): void {
    this.#closed = true;
  }
}
