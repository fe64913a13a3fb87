/**
 * What the delivery service may learn from MLS bytes without any group secret: the public header
 * of framed messages (RFC 9420 §6.2, §6.3), key packages (§10), the Welcome's recipients (§12.4.3)
 * and the public ratchet tree the committer sends along (§12.4.3.3). All of it is verified as far
 * as public data allows, so a bad key package is refused before it can wedge a commit.
 */
import { decodeIdentity, type Identity } from './identity.js';
import { MlsError, coded } from './errors.js';
import {
  CIPHER_SUITE,
  constantTimeEqual,
  decodeMessage,
  decodeTree,
  extensionsSupportedByCapabilities,
  hpkeKeysOf,
  leavesOf,
  makeKeyPackageRef,
  suite,
  verifyKeyPackage,
  verifyLeafNodeSignature,
  verifyLeafNodeSignatureKeyPackage,
  type Credential,
  type KeyPackage,
} from './mls-lib.js';

/** A key package is a few hundred bytes; refuse anything far larger before parsing it. */
export const MAX_KEY_PACKAGE_BYTES = 8 * 1024;

export interface KeyPackageInfo {
  readonly identity: Identity;
  /** The leaf's signature key: unique per member, it identifies the leaf in later trees. */
  readonly signatureKey: Uint8Array;
  readonly hpkeKey: Uint8Array;
  /** KeyPackageRef (RFC 9420 §5.2): how a Welcome names its recipient. */
  readonly ref: Uint8Array;
  /** Lifetime, in seconds since the Unix epoch (RFC 9420 §7.2). */
  readonly notBefore: number;
  readonly notAfter: number;
}

/** The identity in a BasicCredential; anything else is mls_bad_identity. */
export function identityOfCredential(credential: Credential): Identity {
  if (credential.credentialType !== 'basic') throw new MlsError('mls_bad_identity', 'not a BasicCredential');
  return decodeIdentity(credential.identity);
}

/**
 * Parses and verifies an MLSMessage(KeyPackage) (RFC 9420 §10.1): MLS 1.0, our cipher suite, a
 * valid leaf-node and key-package signature by the same key, a BasicCredential holding a valid
 * identity, capabilities that admit our suite and BasicCredential, and distinct init and
 * encryption keys. With `nowMs`, also its lifetime. Throws mls_bad_key_package.
 */
export async function inspectKeyPackage(bytes: Uint8Array, nowMs?: number): Promise<KeyPackageInfo> {
  if (bytes.length > MAX_KEY_PACKAGE_BYTES) throw new MlsError('mls_bad_key_package', 'key package too large');
  const message = decodeMessage(bytes, 'mls_bad_key_package');
  if (message.wireformat !== 'mls_key_package') throw new MlsError('mls_bad_key_package', 'not a key package');
  const kp = message.keyPackage;
  return coded('mls_bad_key_package', () => verifiedKeyPackage(kp, nowMs));
}

async function verifiedKeyPackage(kp: KeyPackage, nowMs: number | undefined): Promise<KeyPackageInfo> {
  const leaf = kp.leafNode;
  const fail = (why: string): never => {
    throw new MlsError('mls_bad_key_package', why);
  };
  if (kp.version !== 'mls10') fail('not MLS 1.0');
  if (kp.cipherSuite !== CIPHER_SUITE) fail('another cipher suite');
  if (leaf.leafNodeSource !== 'key_package') fail('leaf node is not from a key package');
  const caps = leaf.capabilities;
  if (!caps.versions.includes('mls10') || !caps.ciphersuites.includes(CIPHER_SUITE) || !caps.credentials.includes('basic')) {
    fail('capabilities do not include MLS 1.0, our cipher suite and BasicCredential');
  }
  if (!extensionsSupportedByCapabilities(leaf.extensions, caps)) fail('leaf extensions not in its capabilities');
  if (constantTimeEqual(kp.initKey, leaf.hpkePublicKey)) fail('init key equals encryption key');
  let identity: Identity;
  try {
    identity = identityOfCredential(leaf.credential);
  } catch {
    return fail('credential is not a valid Parley identity');
  }
  const cs = await suite();
  if (!(await verifyLeafNodeSignatureKeyPackage(leaf, cs.signature))) fail('leaf node signature invalid');
  if (!(await verifyKeyPackage(kp, cs.signature))) fail('key package signature invalid');
  const notBefore = Number(leaf.lifetime.notBefore);
  const notAfter = Number(leaf.lifetime.notAfter);
  if (nowMs !== undefined) {
    const now = Math.floor(nowMs / 1000);
    if (now < notBefore || now > notAfter) fail('outside its lifetime');
  }
  return {
    identity,
    signatureKey: leaf.signaturePublicKey,
    hpkeKey: leaf.hpkePublicKey,
    ref: await makeKeyPackageRef(kp, cs.hash),
    notBefore,
    notAfter,
  };
}

export type MessageContentType = 'commit' | 'application' | 'proposal';
export type MessageWireFormat = 'mls_public_message' | 'mls_private_message';

export interface MessageInfo {
  readonly groupId: Uint8Array;
  readonly epoch: number;
  readonly contentType: MessageContentType;
  readonly wireFormat: MessageWireFormat;
}

/**
 * The clear header of a PublicMessage or PrivateMessage (RFC 9420 §6.2, §6.3.1): group, epoch and
 * content type. Nothing here is authenticated to the DS; members authenticate it on receipt.
 */
export function inspectMessage(bytes: Uint8Array): MessageInfo {
  const message = decodeMessage(bytes);
  if (message.wireformat === 'mls_private_message') {
    const pm = message.privateMessage;
    return { groupId: pm.groupId, epoch: safeEpoch(pm.epoch), contentType: pm.contentType, wireFormat: message.wireformat };
  }
  if (message.wireformat === 'mls_public_message') {
    const c = message.publicMessage.content;
    return { groupId: c.groupId, epoch: safeEpoch(c.epoch), contentType: c.contentType, wireFormat: message.wireformat };
  }
  throw new MlsError('mls_bad_message', `a ${message.wireformat}, not a framed message`);
}

/** Epochs are counters from 0; as numbers they fit JSON and stay exact far beyond any meeting. */
export function safeEpoch(epoch: bigint): number {
  if (epoch < 0n || epoch > BigInt(Number.MAX_SAFE_INTEGER)) throw new MlsError('mls_bad_message', 'epoch out of range');
  return Number(epoch);
}

export interface WelcomeInfo {
  /** KeyPackageRefs of the recipients, one per added member (RFC 9420 §12.4.3.1). */
  readonly newMembers: Uint8Array[];
}

/** Parses an MLSMessage(Welcome): our cipher suite, and who it is for. Throws mls_bad_welcome. */
export function inspectWelcome(bytes: Uint8Array): WelcomeInfo {
  const message = decodeMessage(bytes, 'mls_bad_welcome');
  if (message.wireformat !== 'mls_welcome') throw new MlsError('mls_bad_welcome', 'not a Welcome');
  if (message.welcome.cipherSuite !== CIPHER_SUITE) throw new MlsError('mls_bad_welcome', 'another cipher suite');
  return { newMembers: message.welcome.secrets.map((s) => s.newMember) };
}

export interface TreeLeaf {
  readonly leafIndex: number;
  readonly identity: Identity;
  readonly signatureKey: Uint8Array;
}

export interface TreeInfo {
  readonly leaves: TreeLeaf[];
  /** Every HPKE public key in the tree, leaves and parents. */
  readonly hpkeKeys: Uint8Array[];
}

/**
 * Parses a public ratchet tree and verifies each leaf's signature (RFC 9420 §7.3: key-package
 * leaves stand alone, commit/update leaves are bound to `groupId` and their leaf index) and
 * credential. It does not check the tree hash: only members hold the GroupContext.
 */
export async function inspectRatchetTree(bytes: Uint8Array, groupId: Uint8Array): Promise<TreeInfo> {
  const tree = decodeTree(bytes);
  const cs = await suite();
  const leaves: TreeLeaf[] = [];
  for (const { leafIndex, leaf } of leavesOf(tree)) {
    const valid = await coded('mls_bad_ratchet_tree', () => {
      if (leaf.leafNodeSource === 'key_package') return verifyLeafNodeSignatureKeyPackage(leaf, cs.signature);
      return verifyLeafNodeSignature(leaf, groupId, leafIndex, cs.signature);
    });
    if (!valid) throw new MlsError('mls_bad_ratchet_tree', `leaf ${leafIndex} has an invalid signature`);
    let identity: Identity;
    try {
      identity = identityOfCredential(leaf.credential);
    } catch {
      throw new MlsError('mls_bad_ratchet_tree', `leaf ${leafIndex} does not hold a valid identity`);
    }
    leaves.push({ leafIndex, identity, signatureKey: leaf.signaturePublicKey });
  }
  return { leaves, hpkeKeys: hpkeKeysOf(tree) };
}

/**
 * The leaf index holding `participantId` in a public ratchet tree, or undefined. Decoding only:
 * use inspectRatchetTree for verified leaves. Throws mls_bad_ratchet_tree if two leaves claim it.
 */
export function leafIndexOf(ratchetTree: Uint8Array, participantId: string): number | undefined {
  const found: number[] = [];
  for (const { leafIndex, leaf } of leavesOf(decodeTree(ratchetTree))) {
    try {
      if (identityOfCredential(leaf.credential).participantId === participantId) found.push(leafIndex);
    } catch {
      // A leaf without a valid identity is nobody's.
    }
  }
  if (found.length > 1) throw new MlsError('mls_bad_ratchet_tree', `${found.length} leaves claim ${participantId}`);
  return found[0];
}
