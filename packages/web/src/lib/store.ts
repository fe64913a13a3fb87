/** A tiny reducer store read by React through useSyncExternalStore. One per meeting session. */
import { useSyncExternalStore } from 'react';

export class Store<S, A> {
  #state: S;
  readonly #reduce: (state: S, action: A) => S;
  readonly #listeners = new Set<() => void>();

  constructor(reduce: (state: S, action: A) => S, initial: S) {
    this.#reduce = reduce;
    this.#state = initial;
  }

  getState = (): S => this.#state;

  dispatch(action: A): void {
    const next = this.#reduce(this.#state, action);
    if (next === this.#state) return;
    this.#state = next;
    for (const l of [...this.#listeners]) l();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  };
}

/** Subscribes a component to the whole state of `store`. */
export function useStoreState<S, A>(store: Store<S, A>): S {
  return useSyncExternalStore(store.subscribe, store.getState);
}
