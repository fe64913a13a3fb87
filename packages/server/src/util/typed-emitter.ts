/** A minimal typed event emitter: an event map of argument tuples is the contract. */
type Listeners<E extends { [K in keyof E]: unknown[] }> = { [K in keyof E]?: Set<(...args: E[K]) => void> };

export class TypedEmitter<E extends { [K in keyof E]: unknown[] }> {
  #listeners: Listeners<E> = {};

  on<K extends keyof E>(event: K, listener: (...args: E[K]) => void): this {
    (this.#listeners[event] ??= new Set()).add(listener);
    return this;
  }

  off<K extends keyof E>(event: K, listener: (...args: E[K]) => void): this {
    this.#listeners[event]?.delete(listener);
    return this;
  }

  protected emit<K extends keyof E>(event: K, ...args: E[K]): void {
    for (const listener of [...(this.#listeners[event] ?? [])]) listener(...args);
  }

  protected removeAllListeners(): void {
    this.#listeners = {};
  }
}
