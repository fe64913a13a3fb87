/**
 * Puts the media-encryption worker on every RTP sender and receiver of an end-to-end encrypted
 * meeting, through mediasoup-client's `onRtpSender`/`onRtpReceiver` callbacks. mediasoup-client calls
 * them synchronously right after it creates the transceiver (RTCPeerConnection.addTransceiver, or
 * setRemoteDescription for a receiver) and before it negotiates it, so the transform is in place
 * before the first frame can be encoded for the network: a sender has no negotiated m-section, hence
 * no RTP, until after the callback returned. Until the worker has the epoch's keys it drops every
 * outgoing frame (KeyRing: no send key), so nothing ever leaves in clear.
 *
 * Video is sent as VP8 and audio as Opus in such a meeting: which bytes of a frame stay clear (for
 * the SFU's and the depacketizer's sake) is decided per codec, and these are the two Parley encrypts.
 */
import type { MediaKind, TrackSource } from '@parley/protocol';
import type { types } from 'mediasoup-client';
import type { TransformMode } from './support.js';

/** The SFrame context (KID field) of each of a member's streams; see @parley/e2ee's MediaContext. */
export const SOURCE_CONTEXT: Record<TrackSource, number> = { microphone: 0, camera: 1, screen: 2, 'screen-audio': 3 };

/** The one codec per kind an encrypted meeting sends. */
export const E2EE_CODEC: Record<MediaKind, string> = { audio: 'audio/opus', video: 'video/VP8' };

/** The options of `new RTCRtpScriptTransform(worker, options)`, as @parley/e2ee's worker reads them. */
export type TransformOptions =
  | { operation: 'encrypt'; kind: MediaKind; codec: string; context: number }
  | { operation: 'decrypt'; kind: MediaKind; codec?: string };

/** What the media plane asks of an end-to-end encrypted meeting (absent in a standard one). */
export interface MediaE2ee {
  /** Extra RTCPeerConnection settings for every transport (the createEncodedStreams path needs one). */
  readonly peerConnectionSettings: Partial<RTCConfiguration> | undefined;
  /** The producer options for one source: the codec to use and the transform on its sender. */
  producerOptions(source: TrackSource, kind: MediaKind, codecs: readonly types.RtpCodecCapability[]): Pick<types.ProducerOptions, 'codec' | 'onRtpSender'>;
  /** The consumer options for one remote track: the transform on its receiver. */
  consumerOptions(kind: MediaKind, rtpParameters: types.RtpParameters): Pick<types.ConsumerOptions, 'onRtpReceiver'>;
}

/** The part of a Worker the transforms need (a fake one in tests). */
export interface TransformWorker {
  postMessage(message: unknown, transfer: Transferable[]): void;
}

/** The globals this module uses, injectable for tests. */
export interface TransformEnv {
  readonly RTCRtpScriptTransform?: new (worker: never, options: TransformOptions) => unknown;
}

/** Chromium's older API: the frame streams of a sender or receiver, made once, before negotiation. */
interface EncodedStreamsEndpoint {
  createEncodedStreams?: () => { readable: ReadableStream; writable: WritableStream };
  transform?: unknown;
}

/** The codec a remote track arrives in (its first media codec; RTX and FEC are not media). */
export function consumerCodec(rtpParameters: types.RtpParameters): string | undefined {
  return rtpParameters.codecs.find((c) => !/\/(rtx|red|ulpfec|flexfec-03)$/i.test(c.mimeType))?.mimeType;
}

/** The router's codec of `kind` that an encrypted meeting sends; throws if the router has none. */
export function e2eeCodec(kind: MediaKind, codecs: readonly types.RtpCodecCapability[]): types.RtpCodecCapability {
  const wanted = E2EE_CODEC[kind].toLowerCase();
  const codec = codecs.find((c) => c.kind === kind && c.mimeType.toLowerCase() === wanted);
  if (!codec) throw new Error(`this meeting is end-to-end encrypted and needs ${E2EE_CODEC[kind]}, which the server does not offer`);
  return codec;
}

export function createMediaE2ee(worker: TransformWorker, mode: TransformMode, env: TransformEnv = globalThis as TransformEnv): MediaE2ee {
  const attach = (endpoint: RTCRtpSender | RTCRtpReceiver, options: TransformOptions): void => {
    if (mode === 'script') {
      const Transform = env.RTCRtpScriptTransform;
      if (!Transform) throw new Error('RTCRtpScriptTransform is not available');
      (endpoint as EncodedStreamsEndpoint).transform = new Transform(worker as never, options);
      return;
    }
    const streams = (endpoint as EncodedStreamsEndpoint).createEncodedStreams;
    if (typeof streams !== 'function') throw new Error('createEncodedStreams is not available');
    const { readable, writable } = streams.call(endpoint);
    worker.postMessage({ type: 'streams', readable, writable, options }, [readable as unknown as Transferable, writable as unknown as Transferable]);
  };
  return {
    // Chromium's createEncodedStreams() works only on a connection made with this (non-standard) setting.
    peerConnectionSettings: mode === 'encoded-streams' ? ({ encodedInsertableStreams: true } as Partial<RTCConfiguration>) : undefined,
    producerOptions(source, kind, codecs) {
      const codec = e2eeCodec(kind, codecs);
      const options: TransformOptions = { operation: 'encrypt', kind, codec: codec.mimeType, context: SOURCE_CONTEXT[source] };
      // A throw here fails produce() before the transceiver is negotiated: it never sends.
      return { codec, onRtpSender: (sender) => attach(sender, options) };
    },
    consumerOptions(kind, rtpParameters) {
      const codec = consumerCodec(rtpParameters);
      const options: TransformOptions = { operation: 'decrypt', kind, ...(codec ? { codec } : {}) };
      return { onRtpReceiver: (receiver) => attach(receiver, options) };
    },
  };
}
