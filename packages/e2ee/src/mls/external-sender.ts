/**
 * The server's side of MLS: the group's one external sender (RFC 9420 §12.1.8.1). It signs Add
 * and Remove proposals (§12.1.1, §12.1.3) for people the server admitted or removed, and holds no
 * group secret: it cannot read application messages, derive media keys or commit.
 */
import { encodeIdentity, type Identity } from './identity.js';
import { MlsError } from './errors.js';
import {
  CIPHER_SUITE,
  decodeMessage,
  encodeExternalSender,
  encodeMessage,
  proposeExternal,
  suite,
  type Extension,
  type GroupInfo,
  type Proposal,
} from './mls-lib.js';
import { identityOfCredential } from './inspect.js';

/** The BasicCredential identity of the server's external-sender entry. */
export const EXTERNAL_SENDER_IDENTITY = 'parley-server';

/**
 * The group context extensions every Parley group has: exactly one `external_senders` extension
 * naming the server. ts-mls 1.6.4 encodes one ExternalSender per extension (RFC 9420 §12.1.8.1
 * says a vector in one extension; ts-mls 2.x changed to that), and it finds the sender by its
 * position among the extensions, so the server must be the first and only entry.
 */
export function groupExtensions(externalSender: Uint8Array): Extension[] {
  return [{ extensionType: 'external_senders', extensionData: externalSender }];
}

export class ExternalSender {
  readonly signaturePublicKey: Uint8Array;
  readonly #signKey: Uint8Array;
  readonly #entry: Uint8Array;

  private constructor(signaturePublicKey: Uint8Array, signKey: Uint8Array) {
    this.signaturePublicKey = signaturePublicKey;
    this.#signKey = signKey;
    this.#entry = encodeExternalSender({
      signaturePublicKey,
      credential: { credentialType: 'basic', identity: new TextEncoder().encode(EXTERNAL_SENDER_IDENTITY) },
    });
  }

  /** A fresh Ed25519 signature key pair (WebCrypto), kept in memory only. */
  static async generate(): Promise<ExternalSender> {
    const cs = await suite();
    const { signKey, publicKey } = await cs.signature.keygen();
    return new ExternalSender(publicKey, signKey);
  }

  /** The ExternalSender struct (signature key + credential) for the group's external_senders extension. */
  externalSenderBytes(): Uint8Array {
    return this.#entry.slice();
  }

  /**
   * An Add proposal for `keyPackage` (MLSMessage(KeyPackage) bytes, already checked with
   * inspectKeyPackage). Its authenticated_data is the joiner's canonical identity, so every member
   * can check the proposal adds the person the server announced.
   */
  async proposeAdd(groupId: Uint8Array, epoch: number, keyPackage: Uint8Array): Promise<Uint8Array> {
    const message = decodeMessage(keyPackage, 'mls_bad_key_package');
    if (message.wireformat !== 'mls_key_package') throw new MlsError('mls_bad_key_package', 'not a key package');
    const identity = identityOfCredential(message.keyPackage.leafNode.credential);
    return this.#propose(groupId, epoch, { proposalType: 'add', add: { keyPackage: message.keyPackage } }, identity);
  }

  /**
   * A Remove proposal for the leaf at `leafIndex`, which must hold `target`; the identity goes in
   * authenticated_data and every member checks it against that leaf before accepting.
   */
  async proposeRemove(groupId: Uint8Array, epoch: number, leafIndex: number, target: Identity): Promise<Uint8Array> {
    if (!Number.isSafeInteger(leafIndex) || leafIndex < 0 || leafIndex > 0xffffffff) throw new RangeError('leafIndex out of range');
    return this.#propose(groupId, epoch, { proposalType: 'remove', remove: { removed: leafIndex } }, target);
  }

  async #propose(groupId: Uint8Array, epoch: number, proposal: Proposal, target: Identity): Promise<Uint8Array> {
    if (!Number.isSafeInteger(epoch) || epoch < 0) throw new RangeError('epoch out of range');
    const message = await proposeExternal(
      placeholderGroupInfo(groupId, epoch, this.#entry),
      proposal,
      this.signaturePublicKey,
      this.#signKey,
      await suite(),
      encodeIdentity(target),
    );
    return encodeMessage(message);
  }
}

/**
 * ts-mls's proposeExternal takes a GroupInfo, but an external sender's signature covers only the
 * protocol version, group ID, epoch, sender, authenticated data and proposal: FramedContentTBS
 * carries the GroupContext only for `member` and `new_member_commit` senders (RFC 9420 §6.1). So
 * the server, which never sees a GroupContext, passes these fields and placeholders for the rest;
 * ts-mls reads the extensions only to find our sender index (0).
 */
function placeholderGroupInfo(groupId: Uint8Array, epoch: number, entry: Uint8Array): GroupInfo {
  const none = new Uint8Array(0);
  return {
    groupContext: {
      version: 'mls10',
      cipherSuite: CIPHER_SUITE,
      groupId,
      epoch: BigInt(epoch),
      treeHash: none,
      confirmedTranscriptHash: none,
      extensions: groupExtensions(entry),
    },
    extensions: [],
    confirmationTag: none,
    signer: 0,
    signature: none,
  };
}
