/**
 * The one file that imports ts-mls. ts-mls is unaudited and has one maintainer, so everything the
 * rest of this module needs from an MLS library is named here; replacing the library means
 * rewriting this file, member.ts and the few signing/parsing calls in external-sender.ts and
 * inspect.ts, and nothing the server or the browser sees.
 *
 * We import ts-mls's modules by path, never its index: the index also loads ts-mls's "noble"
 * crypto provider, which needs @noble/hashes and @noble/curves (optional peer dependencies we do
 * not install). The modules used here run on WebCrypto (plus @hpke/core, which uses WebCrypto for
 * X25519 and AES-GCM) in Node 20 and in current browsers.
 */
import { getCiphersuiteImpl } from 'ts-mls/crypto/getCiphersuiteImpl.js';
import { getCiphersuiteFromName, type CiphersuiteImpl, type CiphersuiteName } from 'ts-mls/crypto/ciphersuite.js';
import { decodeMlsMessage, encodeMlsMessage, type MLSMessage } from 'ts-mls/message.js';
import { decodeRatchetTree, encodeRatchetTree, type RatchetTree } from 'ts-mls/ratchetTree.js';
import { greaseCapabilities, defaultGreaseConfig } from 'ts-mls/grease.js';
import type { Capabilities } from 'ts-mls/capabilities.js';
import type { Lifetime } from 'ts-mls/lifetime.js';
import type { LeafNode } from 'ts-mls/leafNode.js';
import { MlsError, type MlsErrorCode } from './errors.js';

export { createGroup, joinGroup, type ClientState } from 'ts-mls/clientState.js';
export { defaultClientConfig, type ClientConfig } from 'ts-mls/clientConfig.js';
export type { AuthenticationService } from 'ts-mls/authenticationService.js';
export { createCommit, type CreateCommitResult } from 'ts-mls/createCommit.js';
export { createApplicationMessage, createProposal } from 'ts-mls/createMessage.js';
export { processMessage } from 'ts-mls/processMessages.js';
export { proposeExternal } from 'ts-mls/externalProposal.js';
export { decodeExternalSender, encodeExternalSender, type ExternalSender as ExternalSenderEntry } from 'ts-mls/externalSender.js';
export { generateKeyPackage, makeKeyPackageRef, verifyKeyPackage, type KeyPackage, type PrivateKeyPackage } from 'ts-mls/keyPackage.js';
export { verifyLeafNodeSignature, verifyLeafNodeSignatureKeyPackage, type LeafNode } from 'ts-mls/leafNode.js';
export { extensionsSupportedByCapabilities, type Extension } from 'ts-mls/extension.js';
export { mlsExporter } from 'ts-mls/keySchedule.js';
export { decryptSenderData } from 'ts-mls/privateMessage.js';
export { emptyPskIndex } from 'ts-mls/pskIndex.js';
export { zeroOutUint8Array } from 'ts-mls/util/byteArray.js';
export { constantTimeEqual } from 'ts-mls/util/constantTimeCompare.js';
export type { IncomingMessageCallback } from 'ts-mls/incomingMessageAction.js';
export type { GroupInfo } from 'ts-mls/groupInfo.js';
export type { Proposal } from 'ts-mls/proposal.js';
export type { Credential } from 'ts-mls/credential.js';
export type { MLSMessage, RatchetTree, CiphersuiteImpl, CiphersuiteName };

/**
 * MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519 (RFC 9420 §17.1, the mandatory-to-implement suite).
 * Every primitive is in WebCrypto in Node 20 and in the browsers we target (Chromium 156, Firefox
 * 153 have Ed25519 and X25519), so no JS crypto fallback is loaded. AES-128-GCM also matches SFrame's
 * AES_128_GCM_SHA256_128 suite, whose key is exported from this group (RFC 9605 §5.2).
 */
export const CIPHER_SUITE = 'MLS_128_DHKEMX25519_AES128GCM_SHA256_Ed25519' satisfies CiphersuiteName;

let impl: Promise<CiphersuiteImpl> | undefined;

/** The cipher suite's implementation, built once (it imports WebCrypto keys lazily). */
export function suite(): Promise<CiphersuiteImpl> {
  impl ??= getCiphersuiteImpl(getCiphersuiteFromName(CIPHER_SUITE));
  return impl;
}

/** What our leaves support: MLS 1.0, our one suite, BasicCredential (plus GREASE, RFC 9420 §13.5). */
export function capabilities(): Capabilities {
  return greaseCapabilities(defaultGreaseConfig, {
    versions: ['mls10'],
    ciphersuites: [CIPHER_SUITE],
    extensions: [],
    proposals: [],
    credentials: ['basic'],
  });
}

/** A key package is used within seconds; the window only has to survive clock skew (RFC 9420 §7.2). */
export const KEY_PACKAGE_LIFETIME = { notBeforeSkewSeconds: 24 * 3600, validSeconds: 7 * 24 * 3600 };

export function keyPackageLifetime(nowMs: number): Lifetime {
  const now = BigInt(Math.floor(nowMs / 1000));
  return {
    notBefore: now - BigInt(KEY_PACKAGE_LIFETIME.notBeforeSkewSeconds),
    notAfter: now + BigInt(KEY_PACKAGE_LIFETIME.validSeconds),
  };
}

/** Decodes a whole MLSMessage (RFC 9420 §6); trailing bytes or any decoding failure is `code`. */
export function decodeMessage(bytes: Uint8Array, code: MlsErrorCode = 'mls_bad_message'): MLSMessage {
  let decoded: [MLSMessage, number] | undefined;
  try {
    decoded = decodeMlsMessage(bytes, 0);
  } catch (err) {
    throw new MlsError(code, 'not an MLSMessage', { cause: err });
  }
  if (decoded === undefined || decoded[1] !== bytes.length) throw new MlsError(code, 'not an MLSMessage');
  if (decoded[0].version !== 'mls10') throw new MlsError(code, 'not MLS 1.0');
  return decoded[0];
}

export function encodeMessage(message: MLSMessage): Uint8Array {
  return encodeMlsMessage(message);
}

/** Decodes a whole ratchet tree (RFC 9420 §12.4.3.3 ratchet_tree format). */
export function decodeTree(bytes: Uint8Array): RatchetTree {
  let decoded: [RatchetTree, number] | undefined;
  try {
    decoded = decodeRatchetTree(bytes, 0);
  } catch (err) {
    throw new MlsError('mls_bad_ratchet_tree', 'not a ratchet tree', { cause: err });
  }
  if (decoded === undefined || decoded[1] !== bytes.length) throw new MlsError('mls_bad_ratchet_tree', 'not a ratchet tree');
  return decoded[0];
}

export function encodeTree(tree: RatchetTree): Uint8Array {
  return encodeRatchetTree(tree);
}

/** The non-blank leaves of a tree with their leaf indices (leaves sit at even node indices). */
export function leavesOf(tree: RatchetTree): { leafIndex: number; leaf: LeafNode }[] {
  const out: { leafIndex: number; leaf: LeafNode }[] = [];
  tree.forEach((node, nodeIndex) => {
    if (node === undefined) return;
    if (node.nodeType === 'leaf') {
      if (nodeIndex % 2 !== 0) throw new MlsError('mls_bad_ratchet_tree', 'a leaf at a parent position');
      out.push({ leafIndex: nodeIndex / 2, leaf: node.leaf });
    } else if (nodeIndex % 2 === 0) {
      throw new MlsError('mls_bad_ratchet_tree', 'a parent at a leaf position');
    }
  });
  return out;
}

/** Every HPKE public key in a tree (leaves and parents), for uniqueness checks (RFC 9420 §7.9.1). */
export function hpkeKeysOf(tree: RatchetTree): Uint8Array[] {
  return tree.flatMap((node) => (node === undefined ? [] : [node.nodeType === 'leaf' ? node.leaf.hpkePublicKey : node.parent.hpkePublicKey]));
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
