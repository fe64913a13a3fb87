/** Starts the media-encryption worker (one per meeting session); Vite bundles frame-worker.ts as its own module. */
export function startFrameWorker(): Worker {
  return new Worker(new URL('./frame-worker.ts', import.meta.url), { type: 'module' });
}
