/**
 * SFrame (RFC 9605) for Parley's end-to-end encrypted media, over WebCrypto only: the header, the
 * cipher suites, SFrame contexts with replay protection, keys from MLS epochs, codec-aware frame
 * encryption, the epoch key ring and the transform worker's frame function. The worker entry point
 * itself is `./transform-worker.js` (not re-exported here: loading it in a worker installs it).
 */
export { SFrameError, isSFrameError } from './errors.js';
export type { SFrameErrorCode } from './errors.js';
export type { Bytes } from './bytes.js';
export { decodeHeader, encodeHeader, headerLength, MAX_HEADER_LENGTH, MAX_UINT64 } from './header.js';
export type { DecodedHeader, SFrameHeader } from './header.js';
export { ALL_CIPHER_SUITES, CipherSuite, cipherSuite, PARLEY_CIPHER_SUITE } from './suites.js';
export type { CipherSuiteId, CipherSuiteParams } from './suites.js';
export { deriveKeySalt } from './kdf.js';
export type { DerivedKeySalt } from './kdf.js';
export { aeadDecrypt, aeadEncrypt, deriveSFrameKey, importAeadKey, sframeDecrypt, sframeEncrypt, sframeNonce } from './crypto.js';
export type { AeadKey, SFrameKey } from './crypto.js';
export { DEFAULT_REPLAY_WINDOW, ReplayWindow } from './replay.js';
export { SFrameContext } from './context.js';
export type { AddKeyOptions, AddSendKeyOptions, DecryptResult, EncryptOptions, SFrameContextOptions, SFramePeek } from './context.js';
export {
  ALL_MEDIA_CONTEXTS,
  DEFAULT_EPOCH_BITS,
  indexBitsForGroupSize,
  MediaContext,
  MLS_EXPORTER_CONTEXT,
  MLS_EXPORTER_LABEL,
  mlsEpochKeys,
  mlsKidLayout,
  mlsSenderKey,
  mlsSenderKid,
  parseMlsKid,
} from './mls-keys.js';
export type { EpochKeys, MediaContextId, MlsEpochKeysInput, MlsKidLayout, MlsSenderKey, ParsedMlsKid } from './mls-keys.js';
export { clearPrefixLength, codecClearBytes, codecName, OPUS_CLEAR_BYTES, VP8_DELTA_FRAME_CLEAR_BYTES, VP8_KEY_FRAME_CLEAR_BYTES } from './codec.js';
export type { MediaKind } from './codec.js';
export { decryptFrame, encryptFrame } from './frame-crypto.js';
export type { DecryptedFrame, FrameInfo } from './frame-crypto.js';
export { DEFAULT_RETAIN_PREVIOUS_MS, KeyRing } from './key-ring.js';
export type { EpochKeysInput, KeyRingOptions, ReceiveKeyInput, SendKeyInput } from './key-ring.js';
export { createFrameTransformer, createFrameTransformStream, createTransformCounters, snapshotCounters } from './frame-transformer.js';
export type { FrameTransformer, TransformCounters } from './frame-transformer.js';
export { parseTransformOptions, parseWorkerRequest } from './messages.js';
export type { TransformOptions, WorkerReply, WorkerRequest } from './messages.js';
export type { EncodedFrameLike, EncodedFrameMetadataLike, RTCRtpScriptTransformerLike, RTCTransformEventLike, WorkerScopeLike } from './worker-types.js';
