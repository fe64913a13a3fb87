/**
 * Entry point of Parley's media-encryption worker (`new Worker(new URL('./transform-worker.js',
 * import.meta.url), { type: 'module' })`). Loaded in a dedicated worker it installs itself; imported
 * anywhere else (Node tests) it only exports installTransformWorker.
 *
 * - `rtctransform` events (RTCRtpScriptTransform, options: TransformOptions) and, for browsers
 *   without it, 'streams' messages carrying createEncodedStreams()'s streams, are piped through
 *   the frame transformer.
 * - 'keys' messages install an epoch in the KeyRing; 'stats' messages are answered with the counters.
 */
import { isSFrameError } from './errors.js';
import { createFrameTransformer, createFrameTransformStream, createTransformCounters, snapshotCounters } from './frame-transformer.js';
import type { TransformCounters } from './frame-transformer.js';
import { KeyRing } from './key-ring.js';
import { parseTransformOptions, parseWorkerRequest } from './messages.js';
import type { TransformOptions, WorkerReply } from './messages.js';
import type { EncodedFrameLike, WorkerScopeLike } from './worker-types.js';

export interface TransformWorkerOptions {
  readonly keyRing?: KeyRing;
  /** How often to drop expired previous-epoch keys even when no frame arrives; null: never (tests). */
  readonly pruneIntervalMs?: number | null;
}

export interface TransformWorker {
  readonly keyRing: KeyRing;
  readonly counters: TransformCounters;
}

function errorReply(error: unknown, requestId?: number): WorkerReply {
  const id = requestId === undefined ? {} : { requestId };
  if (isSFrameError(error)) return { type: 'error', code: error.code, message: error.message, ...id };
  return { type: 'error', code: 'internal-error', message: error instanceof Error ? error.message : String(error), ...id };
}

/** Wires a worker scope to a KeyRing; returns both for tests. */
export function installTransformWorker(scope: WorkerScopeLike, options: TransformWorkerOptions = {}): TransformWorker {
  const keyRing = options.keyRing ?? new KeyRing();
  const counters = createTransformCounters();
  const post = (reply: WorkerReply): void => scope.postMessage(reply);

  const pipe = (readable: ReadableStream<EncodedFrameLike>, writable: WritableStream<EncodedFrameLike>, transform: TransformOptions): void => {
    readable
      .pipeThrough(createFrameTransformStream(createFrameTransformer(keyRing, transform, counters)))
      .pipeTo(writable)
      .catch((error: unknown) => post(errorReply(error)));
  };

  scope.addEventListener('rtctransform', (event) => {
    try {
      pipe(event.transformer.readable, event.transformer.writable, parseTransformOptions(event.transformer.options));
    } catch (error) {
      // No pipe: the stream carries no media rather than unencrypted media.
      post(errorReply(error));
    }
  });

  scope.addEventListener('message', (event) => {
    let request;
    try {
      request = parseWorkerRequest(event.data);
    } catch (error) {
      post(errorReply(error));
      return;
    }
    switch (request.type) {
      case 'keys': {
        const { epoch, requestId } = request;
        const id = requestId === undefined ? {} : { requestId };
        keyRing.setEpoch(request).then(
          () => post({ type: 'keys-applied', epoch, ...id }),
          (error: unknown) => post(errorReply(error, requestId)),
        );
        return;
      }
      case 'streams':
        pipe(request.readable, request.writable, request.options);
        return;
      case 'stats':
        post({ type: 'stats', counters: snapshotCounters(counters), ...(request.requestId === undefined ? {} : { requestId: request.requestId }) });
        return;
    }
  });

  const interval = options.pruneIntervalMs;
  if (interval !== null && interval !== undefined) setInterval(() => keyRing.prune(), interval);
  return { keyRing, counters };
}

/** True inside a dedicated worker (not in Node, not on a page). */
function inDedicatedWorker(): boolean {
  const scope = (globalThis as { DedicatedWorkerGlobalScope?: unknown }).DedicatedWorkerGlobalScope;
  return typeof scope === 'function' && globalThis instanceof scope;
}

if (inDedicatedWorker()) installTransformWorker(globalThis as unknown as WorkerScopeLike, { pruneIntervalMs: 1000 });
