/**
 * Waits for behaviour instead of timing it: retries `check` until it returns without throwing
 * (or returns a value other than `false`), or the deadline passes, then rethrows the last failure.
 */
export async function eventually<T>(check: () => T | Promise<T>, { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {}): Promise<Exclude<T, false>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== false) return value as Exclude<T, false>;
      last = new Error(`${what} still false`);
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw last instanceof Error ? last : new Error(String(last));
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** Resolves with the arguments of the first call of `register`'s listener that satisfies `match`. */
export function nextEvent<A extends unknown[]>(
  register: (listener: (...args: A) => void) => () => void,
  match: (...args: A) => boolean = () => true,
  timeoutMs = 20_000,
): Promise<A> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      stop();
      reject(new Error('event did not come'));
    }, timeoutMs);
    const stop = register((...args) => {
      if (!match(...args)) return;
      clearTimeout(timer);
      stop();
      resolve(args);
    });
  });
}
