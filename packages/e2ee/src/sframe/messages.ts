/**
 * The messages between the page and the transform worker, and their validation: the worker trusts
 * nothing it is posted (a bad message is answered with an 'error' reply, never half applied).
 */
import type { MediaKind } from './codec.js';
import { SFrameError } from './errors.js';
import type { SFrameErrorCode } from './errors.js';
import type { TransformCounters } from './frame-transformer.js';
import { toUint64 } from './header.js';
import type { ReceiveKeyInput, SendKeyInput } from './key-ring.js';
import type { EncodedFrameLike } from './worker-types.js';

/** The options of `new RTCRtpScriptTransform(worker, options)` (and of a 'streams' message). */
export type TransformOptions =
  | {
      readonly operation: 'encrypt';
      readonly kind: MediaKind;
      /** MIME type, used when the frame's metadata has none. */
      readonly codec?: string;
      /** The MediaContext of the stream: which send key encrypts it. */
      readonly context: number;
    }
  | { readonly operation: 'decrypt'; readonly kind: MediaKind; readonly codec?: string };

/** Page → worker. */
export type WorkerRequest =
  | {
      /** An epoch's keys (from mlsEpochKeys): applied with KeyRing.setEpoch, answered by 'keys-applied'. */
      readonly type: 'keys';
      readonly epoch: bigint;
      readonly send: readonly SendKeyInput[];
      readonly receive: readonly ReceiveKeyInput[];
      readonly requestId?: number;
    }
  | {
      /** Fallback for browsers without RTCRtpScriptTransform: the streams of createEncodedStreams(), transferred. */
      readonly type: 'streams';
      readonly readable: ReadableStream<EncodedFrameLike>;
      readonly writable: WritableStream<EncodedFrameLike>;
      readonly options: TransformOptions;
    }
  | { readonly type: 'stats'; readonly requestId?: number };

/** Worker → page. */
export type WorkerReply =
  | { readonly type: 'keys-applied'; readonly epoch: bigint; readonly requestId?: number }
  | { readonly type: 'stats'; readonly counters: TransformCounters; readonly requestId?: number }
  | { readonly type: 'error'; readonly code: SFrameErrorCode; readonly message: string; readonly requestId?: number };

type Fields = Record<string, unknown>;

function invalid(message: string): SFrameError {
  return new SFrameError('invalid-message', message);
}

function record(value: unknown, what: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${what} is not an object`);
  return value as Fields;
}

function integer(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(`${what} is not a non-negative integer`);
  return value;
}

function uint64(value: unknown, what: string): bigint {
  if (typeof value !== 'bigint' && typeof value !== 'number') throw invalid(`${what} is not a number or bigint`);
  try {
    return toUint64(value, what);
  } catch (error) {
    throw invalid(error instanceof Error ? error.message : `${what} is out of range`);
  }
}

function keyBytes(value: unknown, what: string): Uint8Array {
  const bytes = value instanceof ArrayBuffer ? new Uint8Array(value) : value instanceof Uint8Array ? value : undefined;
  if (!bytes || bytes.length === 0) throw invalid(`${what} is not a non-empty Uint8Array or ArrayBuffer`);
  return new Uint8Array(bytes);
}

function list(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw invalid(`${what} is not an array`);
  if (value.length > 4096) throw invalid(`${what} has ${value.length} entries`);
  return value;
}

function requestId(m: Fields): { requestId?: number } {
  return m.requestId === undefined ? {} : { requestId: integer(m.requestId, 'requestId') };
}

function isStream(value: unknown, method: 'pipeThrough' | 'getWriter'): boolean {
  return typeof value === 'object' && value !== null && typeof (value as Fields)[method] === 'function';
}

/** Validates the transform options a page passed; SFrameError 'invalid-message' if they are wrong. */
export function parseTransformOptions(value: unknown): TransformOptions {
  const o = record(value, 'transform options');
  if (o.kind !== 'audio' && o.kind !== 'video') throw invalid(`kind ${String(o.kind)} is not 'audio' or 'video'`);
  if (o.codec !== undefined && typeof o.codec !== 'string') throw invalid('codec is not a string');
  const codec = o.codec === undefined ? {} : { codec: o.codec };
  if (o.operation === 'encrypt') return { operation: 'encrypt', kind: o.kind, context: integer(o.context, 'context'), ...codec };
  if (o.operation === 'decrypt') return { operation: 'decrypt', kind: o.kind, ...codec };
  throw invalid(`operation ${String(o.operation)} is not 'encrypt' or 'decrypt'`);
}

/** Validates a message posted to the worker; SFrameError 'invalid-message' if it is not one. */
export function parseWorkerRequest(value: unknown): WorkerRequest {
  const m = record(value, 'message');
  switch (m.type) {
    case 'keys':
      return {
        type: 'keys',
        epoch: uint64(m.epoch, 'epoch'),
        send: list(m.send, 'send').map((entry, i) => {
          const e = record(entry, `send[${i}]`);
          return { context: integer(e.context, `send[${i}].context`), kid: uint64(e.kid, `send[${i}].kid`), key: keyBytes(e.key, `send[${i}].key`) };
        }),
        receive: list(m.receive, 'receive').map((entry, i) => {
          const e = record(entry, `receive[${i}]`);
          return { kid: uint64(e.kid, `receive[${i}].kid`), key: keyBytes(e.key, `receive[${i}].key`) };
        }),
        ...requestId(m),
      };
    case 'streams':
      if (!isStream(m.readable, 'pipeThrough') || !isStream(m.writable, 'getWriter')) throw invalid('streams without a readable and a writable');
      return {
        type: 'streams',
        readable: m.readable as ReadableStream<EncodedFrameLike>,
        writable: m.writable as WritableStream<EncodedFrameLike>,
        options: parseTransformOptions(m.options),
      };
    case 'stats':
      return { type: 'stats', ...requestId(m) };
    default:
      throw invalid(`unknown message type ${String(m.type)}`);
  }
}
