/**
 * Minimal local types for WebRTC Encoded Transform (W3C webrtc-encoded-transform) as a dedicated
 * worker sees it. TypeScript's lib.dom has no RTCRtpScriptTransformer or RTCTransformEvent (they
 * live in lib.webworker, which this package does not load), and the frame types differ across lib
 * versions; these are the few members used here, which both the RTCRtpScriptTransform path and the
 * older createEncodedStreams() path provide.
 */

/** What getMetadata() reports; only mimeType is used (Chromium and Safari provide it). */
export interface EncodedFrameMetadataLike {
  readonly mimeType?: string;
}

/** RTCEncodedVideoFrame / RTCEncodedAudioFrame: `data` is replaced by the transformed bytes. */
export interface EncodedFrameLike {
  data: ArrayBuffer;
  /** Video frames: 'key', 'delta' or 'empty'; absent on audio frames. */
  readonly type?: string;
  getMetadata?(): EncodedFrameMetadataLike;
}

/** RTCRtpScriptTransformer: the frame streams of one sender or receiver, and the page's options. */
export interface RTCRtpScriptTransformerLike {
  readonly readable: ReadableStream<EncodedFrameLike>;
  readonly writable: WritableStream<EncodedFrameLike>;
  readonly options?: unknown;
}

/** The `rtctransform` event fired in the worker for each `new RTCRtpScriptTransform(worker, options)`. */
export interface RTCTransformEventLike {
  readonly transformer: RTCRtpScriptTransformerLike;
}

/** The part of DedicatedWorkerGlobalScope the worker glue uses (a fake one in tests). */
export interface WorkerScopeLike {
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
  addEventListener(type: 'rtctransform', listener: (event: RTCTransformEventLike) => void): void;
  postMessage(message: unknown): void;
}
