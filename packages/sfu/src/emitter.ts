/**
 * A minimal typed event emitter: the event map is the contract (see SfuEvents). A throwing
 * listener is isolated so it cannot break media forwarding or another listener.
 */
type Listener<A extends unknown[]> = (...args: A) => void;
type ListenerSets<Events> = { [E in keyof Events]?: Set<Listener<Events[E] & unknown[]>> };

export class TypedEmitter<Events extends { [E in keyof Events]: unknown[] }> {
  #listeners: ListenerSets<Events> = {};
  readonly #onListenerError: (error: unknown) => void;

  constructor(onListenerError: (error: unknown) => void = () => undefined) {
    this.#onListenerError = onListenerError;
  }

  on<E extends keyof Events>(event: E, listener: Listener<Events[E]>): void {
    const set = (this.#listeners[event] ??= new Set());
    set.add(listener);
  }

  off<E extends keyof Events>(event: E, listener: Listener<Events[E]>): void {
    this.#listeners[event]?.delete(listener);
  }

  emit<E extends keyof Events>(event: E, ...args: Events[E]): void {
    const set = this.#listeners[event];
    if (!set) return;
    for (const listener of [...set]) {
      try {
        listener(...args);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  }

  removeAllListeners(): void {
    this.#listeners = {};
  }
}
