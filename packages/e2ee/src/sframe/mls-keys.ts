/**
 * SFrame keys from MLS (RFC 9605 §5.2). Per epoch the MLS side exports one secret,
 *
 *   sframe_epoch_secret = MLS-Exporter("SFrame 1.0 Base Key", "", AEAD.Nk)
 *
 * and that secret is the `base_key` for every KID of the epoch: senders are told apart by the KID,
 * which enters derive_key_salt's labels (§4.4.2), so each KID has its own sframe_key and salt. The
 * KID is
 *
 *   KID = (context << (S + E)) + (sender_index << E) + (epoch % (1 << E))
 *
 * Parley's choices: E = 4 (the RFC's example; the key ring keeps at most two epochs, far inside a
 * 16-epoch window); S as §5.2 defines it, the smallest value with group_size <= 1 << S, where
 * group_size is the MLS tree's leaf count (so every leaf index fits, blank leaves included); and one
 * context per media stream of a member (MediaContext), so two streams never share a key and CTR
 * space. S changes when the tree crosses a power of two: every member computes it from the same
 * epoch's tree, and a KID can only be parsed with the layout of its epoch.
 */
import type { Bytes } from './bytes.js';
import { SFrameError } from './errors.js';
import { toUint64 } from './header.js';
import { cipherSuite, PARLEY_CIPHER_SUITE } from './suites.js';

/** The MLS exporter label and context for SFrame (RFC 9605 §5.2); the length is the suite's AEAD.Nk. */
export const MLS_EXPORTER_LABEL = 'SFrame 1.0 Base Key';
export const MLS_EXPORTER_CONTEXT: Bytes = new Uint8Array(0);

/** Epoch bits in the KID (E). */
export const DEFAULT_EPOCH_BITS = 4;

/** Parley's per-member streams: the KID context field. */
export const MediaContext = { microphone: 0, camera: 1, screen: 2, screenAudio: 3 } as const;
export type MediaContextId = (typeof MediaContext)[keyof typeof MediaContext];
export const ALL_MEDIA_CONTEXTS: readonly MediaContextId[] = [0, 1, 2, 3];

/** How a KID is split: E epoch bits at the bottom, S index bits above, the context above those. */
export interface MlsKidLayout {
  readonly epochBits: number;
  readonly indexBits: number;
}

export interface ParsedMlsKid {
  /** epoch % 2^E */
  readonly epochLowBits: number;
  readonly leafIndex: number;
  readonly context: number;
}

/** The smallest S with groupSize <= 1 << S (RFC 9605 §5.2). */
export function indexBitsForGroupSize(groupSize: number): number {
  if (!Number.isSafeInteger(groupSize) || groupSize < 1 || groupSize > 2 ** 32) {
    throw new SFrameError('value-out-of-range', `group size ${groupSize} is not in 1..2^32`);
  }
  let s = 0;
  while (2 ** s < groupSize) s++;
  return s;
}

/** The KID layout for an epoch whose MLS tree has `groupSize` leaves. */
export function mlsKidLayout(groupSize: number, epochBits: number = DEFAULT_EPOCH_BITS): MlsKidLayout {
  return checkLayout({ epochBits, indexBits: indexBitsForGroupSize(groupSize) });
}

function checkLayout(layout: MlsKidLayout): MlsKidLayout {
  const { epochBits: e, indexBits: s } = layout;
  if (!Number.isInteger(e) || e < 1 || e > 32) throw new SFrameError('value-out-of-range', `epoch bits ${e} not in 1..32`);
  if (!Number.isInteger(s) || s < 0 || s > 32) throw new SFrameError('value-out-of-range', `index bits ${s} not in 0..32`);
  return layout;
}

/** KID = (context << (S + E)) + (leafIndex << E) + (epoch % 2^E), checking every field fits. */
export function mlsSenderKid(layout: MlsKidLayout, epoch: bigint | number, leafIndex: number, context: number): bigint {
  const { epochBits: e, indexBits: s } = checkLayout(layout);
  const ep = toUint64(epoch, 'epoch');
  if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex >= 2 ** s) {
    throw new SFrameError('value-out-of-range', `leaf index ${leafIndex} does not fit in ${s} bits`);
  }
  const ctx = toUint64(context, 'context');
  if (ctx >> BigInt(64 - s - e) !== 0n) throw new SFrameError('value-out-of-range', `context ${context} does not fit in ${64 - s - e} bits`);
  return (ctx << BigInt(s + e)) | (BigInt(leafIndex) << BigInt(e)) | (ep & ((1n << BigInt(e)) - 1n));
}

/** The fields of a KID made by mlsSenderKid with the same layout. */
export function parseMlsKid(layout: MlsKidLayout, kid: bigint | number): ParsedMlsKid {
  const { epochBits: e, indexBits: s } = checkLayout(layout);
  const k = toUint64(kid, 'KID');
  const context = k >> BigInt(s + e);
  if (context > BigInt(Number.MAX_SAFE_INTEGER)) throw new SFrameError('value-out-of-range', `KID ${k} has a context beyond 2^53`);
  return {
    epochLowBits: Number(k & ((1n << BigInt(e)) - 1n)),
    leafIndex: Number((k >> BigInt(e)) & ((1n << BigInt(s)) - 1n)),
    context: Number(context),
  };
}

function checkEpochSecret(epochSecret: Uint8Array, suite: number): void {
  const { nk, name } = cipherSuite(suite);
  if (epochSecret.length !== nk) {
    throw new SFrameError('invalid-key', `the epoch secret for ${name} is MLS-Exporter(..., AEAD.Nk = ${nk}) bytes, not ${epochSecret.length}`);
  }
}

export interface MlsSenderKey {
  readonly kid: bigint;
  /** The epoch secret itself: RFC 9605 §5.2 uses it as base_key for every KID of the epoch. */
  readonly baseKey: Bytes;
}

/** The KID and base key of one sender stream in an epoch. */
export function mlsSenderKey(
  epochSecret: Uint8Array,
  layout: MlsKidLayout,
  epoch: bigint | number,
  leafIndex: number,
  context: number,
  suite: number = PARLEY_CIPHER_SUITE,
): MlsSenderKey {
  checkEpochSecret(epochSecret, suite);
  return { kid: mlsSenderKid(layout, epoch, leafIndex, context), baseKey: new Uint8Array(epochSecret) };
}

export interface MlsEpochKeysInput {
  /** MLS-Exporter(MLS_EXPORTER_LABEL, "", AEAD.Nk) of this epoch, computed by the MLS side. */
  readonly epochSecret: Uint8Array;
  readonly epoch: bigint | number;
  /**
   * Leaf count of the epoch's ratchet tree (sets S). Default: the highest leaf index + 1. An RFC 9420
   * tree has a power-of-two leaf count whose right half holds a member, so that gives the same bits,
   * and every member computes it from the same tree.
   */
  readonly groupSize?: number;
  /** This member's leaf index: its send keys. */
  readonly ownLeafIndex: number;
  /** The other members' leaf indices: receive keys (own leaf is skipped if listed). */
  readonly memberLeafIndices: readonly number[];
  readonly contexts?: readonly number[];
  readonly epochBits?: number;
  readonly suite?: number;
}

export interface EpochKeys {
  readonly epoch: bigint;
  readonly layout: MlsKidLayout;
  readonly send: readonly { readonly context: number; readonly kid: bigint; readonly key: Bytes }[];
  readonly receive: readonly { readonly kid: bigint; readonly key: Bytes }[];
}

/** Every KID and base key of an epoch from one member's point of view: what the key ring takes. */
export function mlsEpochKeys(input: MlsEpochKeysInput): EpochKeys {
  const suite = input.suite ?? PARLEY_CIPHER_SUITE;
  checkEpochSecret(input.epochSecret, suite);
  const groupSize = input.groupSize ?? Math.max(input.ownLeafIndex, ...input.memberLeafIndices) + 1;
  const layout = mlsKidLayout(groupSize, input.epochBits ?? DEFAULT_EPOCH_BITS);
  const contexts = input.contexts ?? ALL_MEDIA_CONTEXTS;
  const key = (): Bytes => new Uint8Array(input.epochSecret);
  const send = contexts.map((context) => ({ context, kid: mlsSenderKid(layout, input.epoch, input.ownLeafIndex, context), key: key() }));
  const receive = [...new Set(input.memberLeafIndices)]
    .filter((leaf) => leaf !== input.ownLeafIndex)
    .flatMap((leaf) => contexts.map((context) => ({ kid: mlsSenderKid(layout, input.epoch, leaf, context), key: key() })));
  return { epoch: toUint64(input.epoch, 'epoch'), layout, send, receive };
}
