// The transform worker's per-frame function and its thin worker glue, run in Node with fake frames,
// real WHATWG streams and a fake worker scope.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from './bytes.js';
import { isSFrameError } from './errors.js';
import { createFrameTransformer, createTransformCounters } from './frame-transformer.js';
import type { TransformCounters } from './frame-transformer.js';
import { KeyRing } from './key-ring.js';
import { parseTransformOptions, parseWorkerRequest } from './messages.js';
import type { WorkerReply } from './messages.js';
import { MediaContext, mlsEpochKeys } from './mls-keys.js';
import { installTransformWorker } from './transform-worker.js';
import type { EncodedFrameLike, RTCTransformEventLike, WorkerScopeLike } from './worker-types.js';

const members = [0, 1];
const secret = (epoch: number): Uint8Array => Uint8Array.from({ length: 16 }, (_, i) => epoch + i);
const keysFor = (epoch: number, own: number, epochSecret = secret(epoch)) =>
  mlsEpochKeys({ epochSecret, epoch, groupSize: 2, ownLeafIndex: own, memberLeafIndices: members });

function videoFrame(length: number, type: 'key' | 'delta', seed = 3): EncodedFrameLike & { readonly original: string } {
  const bytes = Uint8Array.from({ length }, (_, i) => (i * seed + 11) & 0xff);
  return { data: bytes.buffer, type, getMetadata: () => ({ mimeType: 'video/VP8' }), original: toHex(bytes) };
}

async function rings(epochSecretForBob?: Uint8Array) {
  const alice = new KeyRing();
  const bob = new KeyRing();
  await alice.setEpoch(keysFor(1, 0));
  await bob.setEpoch(keysFor(1, 1, epochSecretForBob));
  return { alice, bob };
}

describe('createFrameTransformer', () => {
  it('encrypts a frame and the receiving side decrypts it back', async () => {
    const { alice, bob } = await rings();
    const counters = createTransformCounters();
    const encrypt = createFrameTransformer(alice, { operation: 'encrypt', kind: 'video', context: MediaContext.camera }, counters);
    const decrypt = createFrameTransformer(bob, { operation: 'decrypt', kind: 'video' }, counters);
    for (const frame of [videoFrame(30_000, 'key'), videoFrame(5_000, 'delta'), videoFrame(2, 'delta')]) {
      assert.equal(await encrypt(frame), true);
      assert.notEqual(toHex(new Uint8Array(frame.data)), frame.original);
      assert.equal(await decrypt(frame), true);
      assert.equal(toHex(new Uint8Array(frame.data)), frame.original);
    }
    assert.deepEqual(counters, { encrypted: 3, decrypted: 3, dropped: 0, empty: 0, lastErrorCode: null, droppedByCode: {} });
  });

  it('uses the codec from the options when the frame metadata has none', async () => {
    const { alice, bob } = await rings();
    const bytes = Uint8Array.from([0xfc, 1, 2, 3, 4, 5]);
    const frame: EncodedFrameLike = { data: bytes.slice().buffer };
    assert.ok(await createFrameTransformer(alice, { operation: 'encrypt', kind: 'audio', codec: 'audio/opus', context: 0 })(frame));
    assert.equal(new Uint8Array(frame.data)[0], 0xfc, 'the Opus TOC byte stays in clear');
    assert.ok(await createFrameTransformer(bob, { operation: 'decrypt', kind: 'audio', codec: 'audio/opus' })(frame));
    assert.equal(toHex(new Uint8Array(frame.data)), toHex(bytes));
  });

  it('drops and counts a frame under the wrong key, a replayed one, and one of an unknown sender', async () => {
    const { alice, bob } = await rings(secret(99));
    const counters = createTransformCounters();
    const encrypt = createFrameTransformer(alice, { operation: 'encrypt', kind: 'video', context: MediaContext.camera });
    const decrypt = createFrameTransformer(bob, { operation: 'decrypt', kind: 'video' }, counters);
    const frame = videoFrame(1000, 'delta');
    await encrypt(frame);
    assert.equal(await decrypt(frame), false);
    assert.deepEqual(counters, { encrypted: 0, decrypted: 0, dropped: 1, empty: 0, lastErrorCode: 'auth-failed', droppedByCode: { 'auth-failed': 1 } });

    const right = await rings();
    const okCounters = createTransformCounters();
    const decryptRight = createFrameTransformer(right.bob, { operation: 'decrypt', kind: 'video' }, okCounters);
    const sealed = videoFrame(1000, 'delta');
    await createFrameTransformer(right.alice, { operation: 'encrypt', kind: 'video', context: 1 })(sealed);
    const copy = sealed.data.slice(0);
    assert.equal(await decryptRight(sealed), true);
    assert.equal(await decryptRight({ ...sealed, data: copy }), false);
    assert.equal(okCounters.lastErrorCode, 'replay');
    assert.equal(await decryptRight(videoFrame(1000, 'delta')), false, 'an unencrypted frame');
    assert.deepEqual([okCounters.decrypted, okCounters.dropped], [1, 2]);
  });

  it('encrypts an empty frame; on receipt passes a 0-byte frame on untouched, counted as empty', async () => {
    const { alice, bob } = await rings();
    const counters = createTransformCounters();
    const frame: EncodedFrameLike = { data: new ArrayBuffer(0) };
    assert.ok(await createFrameTransformer(alice, { operation: 'encrypt', kind: 'audio', codec: 'audio/opus', context: 0 }, counters)(frame));
    assert.ok(frame.data.byteLength > 16, 'header and tag');
    const decrypt = createFrameTransformer(bob, { operation: 'decrypt', kind: 'audio', codec: 'audio/opus' }, counters);
    assert.ok(await decrypt(frame));
    assert.equal(frame.data.byteLength, 0);
    const empty: EncodedFrameLike = { data: new ArrayBuffer(0) };
    assert.ok(await decrypt(empty));
    assert.deepEqual([counters.encrypted, counters.decrypted, counters.empty, counters.dropped], [1, 1, 1, 0]);
  });

  it('drops a frame it cannot encrypt instead of sending it in clear', async () => {
    const counters = createTransformCounters();
    const frame = videoFrame(100, 'key');
    assert.equal(await createFrameTransformer(new KeyRing(), { operation: 'encrypt', kind: 'video', context: 1 }, counters)(frame), false);
    assert.deepEqual([counters.dropped, counters.lastErrorCode], [1, 'no-send-key']);
  });
});

describe('worker messages', () => {
  it('accepts well-formed messages and options', () => {
    const keys = parseWorkerRequest({ type: 'keys', epoch: 3, send: [{ context: 1, kid: 19n, key: new Uint8Array(16) }], receive: [{ kid: 35, key: new ArrayBuffer(16) }], requestId: 4 });
    assert.equal(keys.type, 'keys');
    assert.deepEqual(parseWorkerRequest({ type: 'stats' }), { type: 'stats' });
    assert.deepEqual(parseTransformOptions({ operation: 'encrypt', kind: 'video', context: 2, codec: 'video/VP8' }), {
      operation: 'encrypt', kind: 'video', context: 2, codec: 'video/VP8',
    });
  });

  it('refuses malformed ones with invalid-message', () => {
    const bad: unknown[] = [
      null, 'keys', { type: 'nope' },
      { type: 'keys', epoch: -1, send: [], receive: [] },
      { type: 'keys', epoch: 1, send: [{ context: 1, kid: 2, key: new Uint8Array(0) }], receive: [] },
      { type: 'keys', epoch: 1, send: [], receive: [{ kid: 2n ** 64n, key: new Uint8Array(16) }] },
      { type: 'keys', epoch: 1, send: {}, receive: [] },
      { type: 'streams', readable: {}, writable: {}, options: { operation: 'decrypt', kind: 'video' } },
      { type: 'stats', requestId: 'x' },
    ];
    for (const m of bad) assert.throws(() => parseWorkerRequest(m), (e) => isSFrameError(e, 'invalid-message'), JSON.stringify(m, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)));
    for (const o of [undefined, { operation: 'encrypt', kind: 'video' }, { operation: 'decrypt', kind: 'data' }, { operation: 'sign', kind: 'audio' }]) {
      assert.throws(() => parseTransformOptions(o), (e) => isSFrameError(e, 'invalid-message'));
    }
  });
});

/** A fake DedicatedWorkerGlobalScope: dispatch by hand, replies collected. */
function fakeScope() {
  const listeners = new Map<string, (event: never) => void>();
  const replies: WorkerReply[] = [];
  let wake: (() => void) | undefined;
  const scope: WorkerScopeLike = {
    addEventListener(type: string, listener: (event: never) => void) {
      listeners.set(type, listener);
    },
    postMessage(message: unknown) {
      replies.push(message as WorkerReply);
      wake?.();
    },
  };
  const fire = (type: string, event: unknown): void => (listeners.get(type) as ((e: unknown) => void) | undefined)?.(event);
  const nextReply = async (): Promise<WorkerReply> => {
    while (replies.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    const reply = replies.shift();
    assert.ok(reply);
    return reply;
  };
  return { scope, fire, nextReply };
}

/** Runs `frames` through an rtctransform with `options`; resolves with what came out. */
async function throughTransform(fire: (type: string, event: unknown) => void, options: unknown, frames: EncodedFrameLike[]): Promise<EncodedFrameLike[]> {
  const out: EncodedFrameLike[] = [];
  let done!: () => void;
  const finished = new Promise<void>((resolve) => (done = resolve));
  const readable = new ReadableStream<EncodedFrameLike>({
    start(controller) {
      for (const f of frames) controller.enqueue(f);
      controller.close();
    },
  });
  const writable = new WritableStream<EncodedFrameLike>({ write: (f) => void out.push(f), close: () => done() });
  const event: RTCTransformEventLike = { transformer: { readable, writable, options } };
  fire('rtctransform', event);
  await finished;
  return out;
}

describe('transform worker glue', () => {
  it('applies keys, encrypts and decrypts rtctransform streams, drops bad frames and reports counters', async () => {
    const sender = fakeScope();
    const receiver = fakeScope();
    installTransformWorker(sender.scope, { pruneIntervalMs: null });
    installTransformWorker(receiver.scope, { pruneIntervalMs: null });
    sender.fire('message', { data: { type: 'keys', ...keysFor(5, 0), requestId: 1 } });
    receiver.fire('message', { data: { type: 'keys', ...keysFor(5, 1), requestId: 2 } });
    assert.deepEqual(await sender.nextReply(), { type: 'keys-applied', epoch: 5n, requestId: 1 });
    assert.deepEqual(await receiver.nextReply(), { type: 'keys-applied', epoch: 5n, requestId: 2 });

    const frames = [videoFrame(3000, 'key'), videoFrame(800, 'delta'), videoFrame(900, 'delta')];
    const originals = frames.map((f) => f.original);
    const sealed = await throughTransform(sender.fire, { operation: 'encrypt', kind: 'video', context: MediaContext.camera }, frames);
    assert.equal(sealed.length, 3);
    const tampered = { ...videoFrame(10, 'delta'), data: (sealed[1]?.data ?? new ArrayBuffer(0)).slice(0) };
    const view = new Uint8Array(tampered.data);
    view[100] = (view[100] ?? 0) ^ 0x40;
    const replayed = { ...videoFrame(10, 'delta'), data: (sealed[2]?.data ?? new ArrayBuffer(0)).slice(0) };
    const incoming = [sealed[0], tampered, sealed[1], sealed[2], replayed].filter((f) => f !== undefined);
    const opened = await throughTransform(receiver.fire, { operation: 'decrypt', kind: 'video' }, incoming);
    assert.deepEqual(opened.map((f) => toHex(new Uint8Array(f.data))), originals, 'the tampered and the replayed frame were dropped');

    sender.fire('message', { data: { type: 'stats', requestId: 7 } });
    receiver.fire('message', { data: { type: 'stats' } });
    const sent = (await sender.nextReply()) as Extract<WorkerReply, { type: 'stats' }>;
    const received = (await receiver.nextReply()) as Extract<WorkerReply, { type: 'stats' }>;
    assert.equal(sent.requestId, 7);
    assert.deepEqual(sent.counters, { encrypted: 3, decrypted: 0, dropped: 0, empty: 0, lastErrorCode: null, droppedByCode: {} } satisfies TransformCounters);
    assert.deepEqual(received.counters, { encrypted: 0, decrypted: 3, dropped: 2, empty: 0, lastErrorCode: 'replay', droppedByCode: { 'auth-failed': 1, replay: 1 } });
  });

  it('answers a bad message or bad transform options with an error and pipes nothing', async () => {
    const { scope, fire, nextReply } = fakeScope();
    installTransformWorker(scope, { pruneIntervalMs: null });
    fire('message', { data: { type: 'keys', epoch: 'one' } });
    assert.equal(((await nextReply()) as Extract<WorkerReply, { type: 'error' }>).code, 'invalid-message');
    fire('message', { data: { type: 'keys', epoch: 2, send: [{ context: 0, kid: 1, key: new Uint8Array(16) }], receive: [{ kid: 1, key: new Uint8Array(16) }], requestId: 9 } });
    assert.deepEqual(await nextReply().then((r) => [r.type, (r as { code?: string }).code, r.requestId]), ['error', 'key-role-conflict', 9]);
    const readable = new ReadableStream<EncodedFrameLike>();
    fire('rtctransform', { transformer: { readable, writable: new WritableStream(), options: { operation: 'encrypt', kind: 'video' } } });
    assert.equal(((await nextReply()) as Extract<WorkerReply, { type: 'error' }>).code, 'invalid-message');
    assert.equal(readable.locked, false, 'no pipe was set up');
  });

  it('takes createEncodedStreams() streams in a streams message', async () => {
    const { scope, fire, nextReply } = fakeScope();
    const { keyRing } = installTransformWorker(scope, { pruneIntervalMs: null });
    await keyRing.setEpoch(keysFor(1, 0));
    const out: EncodedFrameLike[] = [];
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const frame = videoFrame(500, 'delta');
    const readable = new ReadableStream<EncodedFrameLike>({ start: (c) => (c.enqueue(frame), c.close()) });
    const writable = new WritableStream<EncodedFrameLike>({ write: (f) => void out.push(f), close: () => done() });
    fire('message', { data: { type: 'streams', readable, writable, options: { operation: 'encrypt', kind: 'video', context: 0 } } });
    await finished;
    assert.equal(out.length, 1);
    fire('message', { data: { type: 'stats' } });
    assert.equal(((await nextReply()) as Extract<WorkerReply, { type: 'stats' }>).counters.encrypted, 1);
  });
});
