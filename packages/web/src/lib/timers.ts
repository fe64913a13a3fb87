/** Timers owned by one object: all cleared at once when it closes (a cleared sleep never resolves). */
export class Timers {
  readonly #pending = new Set<ReturnType<typeof setTimeout>>();

  after(ms: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.#pending.delete(timer);
      run();
    }, ms);
    this.#pending.add(timer);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  clear(): void {
    for (const timer of this.#pending) clearTimeout(timer);
    this.#pending.clear();
  }
}
