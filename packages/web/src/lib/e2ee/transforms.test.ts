/** The hooks that put the encryption worker on every sender and receiver, and the one codec per kind. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { types } from 'mediasoup-client';
import { consumerCodec, createMediaE2ee, type TransformOptions } from './transforms.js';

const codecs = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2, preferredPayloadType: 100 },
  { kind: 'video', mimeType: 'video/VP9', clockRate: 90000, preferredPayloadType: 101 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, preferredPayloadType: 102 },
] as types.RtpCodecCapability[];

class FakeTransform {
  readonly worker: unknown;
  readonly options: TransformOptions;
  constructor(worker: unknown, options: TransformOptions) {
    this.worker = worker;
    this.options = options;
  }
}

const worker = { postMessage: () => undefined };

test('a sender gets an encrypting transform for its source, and video must be VP8, audio Opus', () => {
  const e2ee = createMediaE2ee(worker, 'script', { RTCRtpScriptTransform: FakeTransform as never });
  assert.equal(e2ee.peerConnectionSettings, undefined);
  const camera = e2ee.producerOptions('camera', 'video', codecs);
  assert.equal(camera.codec?.mimeType, 'video/VP8');
  const sender = {} as RTCRtpSender & { transform: FakeTransform };
  camera.onRtpSender?.(sender);
  assert.equal(sender.transform.worker, worker);
  assert.deepEqual(sender.transform.options, { operation: 'encrypt', kind: 'video', codec: 'video/VP8', context: 1 });
  const mic = e2ee.producerOptions('microphone', 'audio', codecs);
  assert.equal(mic.codec?.mimeType, 'audio/opus');
  const micSender = {} as RTCRtpSender & { transform: FakeTransform };
  mic.onRtpSender?.(micSender);
  assert.deepEqual(micSender.transform.options, { operation: 'encrypt', kind: 'audio', codec: 'audio/opus', context: 0 });
  const screen = {} as RTCRtpSender & { transform: FakeTransform };
  e2ee.producerOptions('screen', 'video', codecs).onRtpSender?.(screen);
  assert.equal(screen.transform.options.operation === 'encrypt' && screen.transform.options.context, 2);
  assert.throws(() => e2ee.producerOptions('camera', 'video', codecs.filter((c) => c.mimeType !== 'video/VP8')), /needs video\/VP8/);
});

test('a receiver gets a decrypting transform with the codec its track arrives in', () => {
  const e2ee = createMediaE2ee(worker, 'script', { RTCRtpScriptTransform: FakeTransform as never });
  const rtpParameters = { codecs: [{ mimeType: 'video/rtx', payloadType: 97, clockRate: 90000 }, { mimeType: 'video/VP8', payloadType: 96, clockRate: 90000 }] } as types.RtpParameters;
  assert.equal(consumerCodec(rtpParameters), 'video/VP8');
  const receiver = {} as RTCRtpReceiver & { transform: FakeTransform };
  e2ee.consumerOptions('video', rtpParameters).onRtpReceiver?.(receiver);
  assert.deepEqual(receiver.transform.options, { operation: 'decrypt', kind: 'video', codec: 'video/VP8' });
});

test('without RTCRtpScriptTransform the encoded streams go to the worker, on connections made for them', () => {
  const posted: unknown[][] = [];
  const e2ee = createMediaE2ee({ postMessage: (m: unknown, t: Transferable[]) => posted.push([m, t]) }, 'encoded-streams', {});
  assert.deepEqual(e2ee.peerConnectionSettings, { encodedInsertableStreams: true });
  const readable = new ReadableStream();
  const writable = new WritableStream();
  const sender = { createEncodedStreams: () => ({ readable, writable }) } as unknown as RTCRtpSender;
  e2ee.producerOptions('camera', 'video', codecs).onRtpSender?.(sender);
  assert.deepEqual(posted, [[{ type: 'streams', readable, writable, options: { operation: 'encrypt', kind: 'video', codec: 'video/VP8', context: 1 } }, [readable, writable]]]);
  // A sender that cannot be given a transform fails produce() (it is never negotiated, so never sends).
  assert.throws(() => e2ee.producerOptions('camera', 'video', codecs).onRtpSender?.({} as RTCRtpSender), /createEncodedStreams/);
});
