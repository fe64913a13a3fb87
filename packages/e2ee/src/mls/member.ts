/**
 * A client's membership in one meeting's MLS group (RFC 9420), as the browser uses it. The policy
 * Parley needs on top of MLS lives here: the server is the only proposer (Add/Remove as external
 * sender), members only commit those proposals, every leaf holds a valid Parley identity that does
 * not change, and the group's external sender is the server's.
 *
 * One member object is one membership: it has one key package, is used for one createGroup or
 * one Welcome, and is thrown away when its owner leaves or is removed.
 */
import { MlsError, coded } from './errors.js';
import { encodeIdentity, sameIdentity, validateIdentity, type Identity } from './identity.js';
import { identityOfCredential, safeEpoch } from './inspect.js';
import { EXTERNAL_SENDER_IDENTITY, groupExtensions } from './external-sender.js';
import { securityCodeFromAuthenticator } from './security-code.js';
import {
  capabilities,
  constantTimeEqual,
  createApplicationMessage,
  createCommit,
  createGroup as mlsCreateGroup,
  decodeExternalSender,
  decodeMessage,
  decodeTree,
  decryptSenderData,
  defaultClientConfig,
  emptyPskIndex,
  encodeMessage,
  encodeTree,
  generateKeyPackage,
  joinGroup,
  keyPackageLifetime,
  leavesOf,
  mlsExporter,
  processMessage,
  suite,
  zeroOutUint8Array,
  type AuthenticationService,
  type ClientConfig,
  type ClientState,
  type CreateCommitResult,
  type IncomingMessageCallback,
  type KeyPackage,
  type MLSMessage,
  type PrivateKeyPackage,
  type RatchetTree,
} from './mls-lib.js';

/** RFC 9605 §5.2: sframe_epoch_secret = MLS-Exporter("SFrame 1.0 Base Key", "", AEAD.Nk). */
export const SFRAME_EXPORTER_LABEL = 'SFrame 1.0 Base Key';
/** AEAD.Nk of SFrame's AES_128_GCM_SHA256_128 (RFC 9605 §4.5). */
export const SFRAME_KEY_LENGTH = 16;
/** Chat plaintexts are text; bounded so a ciphertext stays well inside a 64 KiB signaling message. */
export const MAX_CHAT_BYTES = 16 * 1024;

export interface GroupMember {
  readonly leafIndex: number;
  readonly identity: Identity;
}

export interface ExpectedProposal {
  readonly kind: 'add' | 'remove';
  /** Who the server says is added or removed. */
  readonly identity: Identity;
}

export interface PendingCommit {
  /** MLSMessage(PrivateMessage) carrying the Commit. */
  readonly commit: Uint8Array;
  /** MLSMessage(Welcome), when the commit adds members. */
  readonly welcome?: Uint8Array;
  /** The public ratchet tree after the commit: joiners need it, the server learns leaf indices from it. */
  readonly ratchetTree: Uint8Array;
}

export interface ChatMessage {
  readonly sender: Identity;
  readonly senderLeafIndex: number;
  readonly plaintext: Uint8Array;
}

export interface MlsMember {
  readonly identity: Identity;
  /** Set once in a group; the group ID the server chose. */
  readonly groupId: Uint8Array | undefined;
  /** The current epoch; throws mls_no_group outside a group. */
  readonly epoch: number;
  /** This membership's MLSMessage(KeyPackage), for the server. Throws once it has been used. */
  keyPackage(): Uint8Array;
  /** First member: a group whose only extension names the server as external sender. */
  createGroup(groupId: Uint8Array, externalSender: Uint8Array): Promise<{ ratchetTree: Uint8Array }>;
  /** Joins from a Welcome; `externalSender` is what the server says its entry is, and must match the group's. */
  joinFromWelcome(welcome: Uint8Array, ratchetTree: Uint8Array, externalSender: Uint8Array): Promise<void>;
  /** Stores one of the server's proposals after checking it is the Add/Remove the server announced. */
  handleProposal(message: Uint8Array, expect: ExpectedProposal): Promise<void>;
  /** Commits every stored proposal; the result is held until confirmOwnCommit or discardOwnCommit. */
  commitPending(): Promise<PendingCommit>;
  /** The server accepted our commit: move to the next epoch. */
  confirmOwnCommit(): Promise<void>;
  /** The server refused our commit (another came first): forget it. Idempotent. */
  discardOwnCommit(): void;
  /** Someone's accepted commit (our own is recognised and confirmed). */
  handleCommit(message: Uint8Array): Promise<void>;
  members(): GroupMember[];
  ownLeafIndex(): number;
  sframeEpochSecret(): Promise<Uint8Array>;
  /** The epoch authenticator as 30 digits in 6 groups of 5 (see security-code.ts). */
  securityCode(): string;
  encryptChat(plaintext: Uint8Array): Promise<Uint8Array>;
  decryptChat(message: Uint8Array): Promise<ChatMessage>;
}

export interface MemberOptions {
  /** Milliseconds since the Unix epoch, for the key package lifetime. Defaults to Date.now. */
  readonly now?: () => number;
}

export async function createMember(identity: Identity, options: MemberOptions = {}): Promise<MlsMember> {
  const me = validateIdentity(identity);
  const cs = await suite();
  const credential = { credentialType: 'basic' as const, identity: encodeIdentity(me) };
  const { publicPackage, privatePackage } = await generateKeyPackage(
    credential,
    capabilities(),
    keyPackageLifetime((options.now ?? Date.now)()),
    [],
    cs,
  );
  return new Member(me, publicPackage, privatePackage);
}

interface Pending {
  readonly result: CreateCommitResult;
  readonly bytes: PendingCommit;
}

class Member implements MlsMember {
  readonly identity: Identity;
  readonly #keyPackage: KeyPackage;
  readonly #keyPackageBytes: Uint8Array;
  #privateKeys: PrivateKeyPackage | undefined;
  #state: ClientState | undefined;
  #members: GroupMember[] = [];
  #externalSender: { entry: Uint8Array; signatureKey: Uint8Array } | undefined;
  #pending: Pending | undefined;
  #removed = false;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #config: ClientConfig;

  constructor(identity: Identity, keyPackage: KeyPackage, privateKeys: PrivateKeyPackage) {
    this.identity = identity;
    this.#keyPackage = keyPackage;
    this.#keyPackageBytes = encodeMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage });
    this.#privateKeys = privateKeys;
    // ts-mls asks this for every leaf credential it validates and for the external sender's
    // (RFC 9420 §5.3.1): a leaf must hold a valid Parley identity; the external sender must be the
    // entry we were told is the server's.
    const authService: AuthenticationService = {
      validateCredential: async (credential, signatureKey) => {
        if (credential.credentialType !== 'basic') return false;
        const es = this.#externalSender;
        if (es !== undefined && constantTimeEqual(signatureKey, es.signatureKey)) {
          return new TextDecoder().decode(credential.identity) === EXTERNAL_SENDER_IDENTITY;
        }
        try {
          identityOfCredential(credential);
          return true;
        } catch {
          return false;
        }
      },
    };
    this.#config = { ...defaultClientConfig, authService };
  }

  get groupId(): Uint8Array | undefined {
    return this.#state?.groupContext.groupId.slice();
  }

  get epoch(): number {
    return Number(this.#active().groupContext.epoch);
  }

  keyPackage(): Uint8Array {
    if (this.#privateKeys === undefined) throw new MlsError('mls_already_in_group', 'this key package has been used');
    return this.#keyPackageBytes.slice();
  }

  createGroup(groupId: Uint8Array, externalSender: Uint8Array): Promise<{ ratchetTree: Uint8Array }> {
    return this.#serial(async () => {
      const privateKeys = this.#unused();
      if (groupId.length === 0 || groupId.length > 255) throw new MlsError('mls_wrong_group', 'group IDs have 1..255 bytes');
      this.#externalSender = parseExternalSender(externalSender);
      const state = await coded('mls_bad_external_sender', async () =>
        mlsCreateGroup(groupId.slice(), this.#keyPackage, privateKeys, groupExtensions(externalSender.slice()), await suite(), this.#config),
      );
      this.#adopt(state, checkLeaves(state, this.identity, undefined));
      this.#privateKeys = undefined;
      return { ratchetTree: encodeTree(state.ratchetTree) };
    });
  }

  joinFromWelcome(welcome: Uint8Array, ratchetTree: Uint8Array, externalSender: Uint8Array): Promise<void> {
    return this.#serial(async () => {
      const privateKeys = this.#unused();
      const message = decodeMessage(welcome, 'mls_bad_welcome');
      if (message.wireformat !== 'mls_welcome') throw new MlsError('mls_bad_welcome', 'not a Welcome');
      const tree = decodeTree(ratchetTree);
      const es = parseExternalSender(externalSender);
      this.#externalSender = es;
      // joinGroup verifies the GroupInfo signature and confirmation tag, the tree against the tree
      // hash, and every leaf (RFC 9420 §12.4.3.1), calling our authService for each credential.
      const state = await coded('mls_bad_welcome', async () =>
        joinGroup(message.welcome, this.#keyPackage, privateKeys, emptyPskIndex, await suite(), tree, undefined, this.#config),
      );
      const extensions = state.groupContext.extensions;
      const only = extensions[0];
      if (extensions.length !== 1 || only?.extensionType !== 'external_senders' || !constantTimeEqual(only.extensionData, es.entry)) {
        throw new MlsError('mls_bad_external_sender', 'the group’s extensions are not exactly the server as external sender');
      }
      this.#adopt(state, checkLeaves(state, this.identity, undefined));
      this.#privateKeys = undefined;
    });
  }

  handleProposal(message: Uint8Array, expect: ExpectedProposal): Promise<void> {
    return this.#serial(async () => {
      const state = this.#active();
      if (this.#pending !== undefined) throw new MlsError('mls_commit_pending');
      const m = decodeMessage(message);
      // Members' proposals are refused whatever their wire format (RFC 9420 §12.1: we only let the
      // server propose); the server's are PublicMessages from external sender 0 (§6.1).
      if (m.wireformat !== 'mls_public_message' && m.wireformat !== 'mls_private_message') throw new MlsError('mls_bad_message');
      if (m.wireformat === 'mls_private_message') throw new MlsError('mls_forbidden_proposal', 'a member’s (encrypted) proposal');
      const content = m.publicMessage.content;
      if (content.contentType !== 'proposal') throw new MlsError('mls_bad_message', 'not a proposal');
      if (content.sender.senderType !== 'external' || content.sender.senderIndex !== 0) {
        throw new MlsError('mls_forbidden_proposal', `a proposal from a ${content.sender.senderType} sender`);
      }
      this.#checkGroupAndEpoch(state, content.groupId, content.epoch, 'mls_stale_message');
      const proposal = content.proposal;
      if (proposal.proposalType !== 'add' && proposal.proposalType !== 'remove') {
        throw new MlsError('mls_forbidden_proposal', `a ${String(proposal.proposalType)} proposal`);
      }
      if (proposal.proposalType !== expect.kind) throw new MlsError('mls_unexpected_proposal', `an ${proposal.proposalType}, not an ${expect.kind}`);
      if (!constantTimeEqual(content.authenticatedData, encodeIdentity(expect.identity))) {
        throw new MlsError('mls_unexpected_proposal', 'its authenticated data names someone else');
      }
      const target =
        proposal.proposalType === 'add'
          ? identityOfCredential(proposal.add.keyPackage.leafNode.credential)
          : this.#members.find((x) => x.leafIndex === proposal.remove.removed)?.identity;
      if (target === undefined || !sameIdentity(target, expect.identity)) {
        throw new MlsError('mls_unexpected_proposal', `it ${expect.kind === 'add' ? 'adds' : 'removes'} someone else`);
      }
      // ts-mls verifies the signature against the group's external_senders entry 0 (RFC 9420 §6.1).
      const onlyExternal: IncomingMessageCallback = (incoming) =>
        incoming.kind === 'proposal' && incoming.proposal.senderLeafIndex === undefined ? 'accept' : 'reject';
      const result = await coded('mls_forbidden_proposal', async () => processMessage(m, state, emptyPskIndex, onlyExternal, await suite()));
      if (result.kind !== 'newState' || result.actionTaken !== 'accept') throw new MlsError('mls_forbidden_proposal');
      this.#state = result.newState;
    });
  }

  commitPending(): Promise<PendingCommit> {
    return this.#serial(async () => {
      const state = this.#active();
      if (this.#pending !== undefined) throw new MlsError('mls_commit_pending');
      if (Object.keys(state.unappliedProposals).length === 0) throw new MlsError('mls_nothing_to_commit');
      // Every stored proposal came through handleProposal, so this commits exactly the server's batch,
      // by reference (RFC 9420 §12.4). The ratchet tree travels beside the Welcome, not inside it.
      const result = await coded('mls_bad_commit', async () =>
        createCommit({ state, cipherSuite: await suite() }, { ratchetTreeExtension: false }),
      );
      checkLeaves(result.newState, this.identity, state);
      const bytes: PendingCommit = {
        commit: encodeMessage(result.commit),
        ratchetTree: encodeTree(result.newState.ratchetTree),
        ...(result.welcome === undefined
          ? {}
          : { welcome: encodeMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: result.welcome }) }),
      };
      this.#pending = { result, bytes };
      return bytes;
    });
  }

  confirmOwnCommit(): Promise<void> {
    return this.#serial(async () => this.#confirm());
  }

  discardOwnCommit(): void {
    this.#pending = undefined;
  }

  handleCommit(message: Uint8Array): Promise<void> {
    return this.#serial(async () => {
      const state = this.#active();
      if (this.#pending !== undefined && constantTimeEqual(message, this.#pending.bytes.commit)) {
        this.#confirm();
        return;
      }
      const m = decodeMessage(message);
      const header = framedHeader(m);
      if (header === undefined || header.contentType !== 'commit') throw new MlsError('mls_bad_message', 'not a commit');
      this.#checkGroupAndEpoch(state, header.groupId, header.epoch, 'mls_stale_commit');
      // A commit is acceptable only if a member sent it and it covers, by reference, exactly the
      // proposals we stored from the server: no by-value proposals (they carry the committer's leaf
      // as sender), no Update/PSK/ReInit/GroupContextExtensions, no external commit (RFC 9420 §12.4.2).
      const stored = Object.keys(state.unappliedProposals).length;
      const policy: IncomingMessageCallback = (incoming) =>
        incoming.kind === 'commit' &&
        incoming.senderLeafIndex !== undefined &&
        incoming.proposals.length === stored &&
        incoming.proposals.every(
          (p) => p.senderLeafIndex === undefined && (p.proposal.proposalType === 'add' || p.proposal.proposalType === 'remove'),
        )
          ? 'accept'
          : 'reject';
      if (m.wireformat !== 'mls_public_message' && m.wireformat !== 'mls_private_message') throw new MlsError('mls_bad_message');
      const result = await coded('mls_bad_commit', async () => processMessage(m, state, emptyPskIndex, policy, await suite()));
      if (result.kind !== 'newState') throw new MlsError('mls_bad_commit');
      if (result.actionTaken !== 'accept') throw new MlsError('mls_forbidden_proposal', 'the commit holds proposals the server did not make');
      if (result.newState.groupActiveState.kind === 'removedFromGroup') {
        this.#leave();
        return;
      }
      const members = checkLeaves(result.newState, this.identity, state);
      this.#pending = undefined;
      this.#adopt(result.newState, members);
      result.consumed.forEach(zeroOutUint8Array);
    });
  }

  members(): GroupMember[] {
    this.#active();
    return this.#members.map((m) => ({ ...m }));
  }

  ownLeafIndex(): number {
    return this.#active().privatePath.leafIndex;
  }

  async sframeEpochSecret(): Promise<Uint8Array> {
    const state = this.#active();
    return mlsExporter(state.keySchedule.exporterSecret, SFRAME_EXPORTER_LABEL, new Uint8Array(0), SFRAME_KEY_LENGTH, await suite());
  }

  securityCode(): string {
    return securityCodeFromAuthenticator(this.#active().keySchedule.epochAuthenticator);
  }

  encryptChat(plaintext: Uint8Array): Promise<Uint8Array> {
    return this.#serial(async () => {
      const state = this.#active();
      if (plaintext.length > MAX_CHAT_BYTES) throw new MlsError('mls_too_large');
      // ts-mls follows RFC 9420 §12.1: no application data while proposals await a commit.
      if (Object.keys(state.unappliedProposals).length > 0) throw new MlsError('mls_pending_proposals');
      const result = await createApplicationMessage(state, plaintext, await suite());
      this.#state = result.newState;
      result.consumed.forEach(zeroOutUint8Array);
      return encodeMessage({ version: 'mls10', wireformat: 'mls_private_message', privateMessage: result.privateMessage });
    });
  }

  decryptChat(message: Uint8Array): Promise<ChatMessage> {
    return this.#serial(async () => {
      const state = this.#active();
      const m = decodeMessage(message);
      if (m.wireformat !== 'mls_private_message' || m.privateMessage.contentType !== 'application') {
        throw new MlsError('mls_bad_message', 'not an application message');
      }
      const pm = m.privateMessage;
      if (!constantTimeEqual(pm.groupId, state.groupContext.groupId)) throw new MlsError('mls_wrong_group');
      // Messages of the current epoch, or of the few past epochs ts-mls keeps receiver keys for.
      const current = pm.epoch === state.groupContext.epoch;
      const past = current ? undefined : state.historicalReceiverData.get(pm.epoch);
      if (!current && past === undefined) throw new MlsError('mls_stale_message');
      const senderDataSecret = past?.senderDataSecret ?? state.keySchedule.senderDataSecret;
      const tree = past?.ratchetTree ?? state.ratchetTree;
      const cs = await suite();
      // The sender's leaf comes from the encrypted sender data (RFC 9420 §6.3.2); processMessage then
      // verifies the content's signature with that leaf's key, which authenticates it.
      const senderData = await coded('mls_decrypt_failed', () => decryptSenderData(pm, senderDataSecret, cs));
      if (senderData === undefined) throw new MlsError('mls_decrypt_failed');
      if (current && senderData.leafIndex === state.privatePath.leafIndex) throw new MlsError('mls_decrypt_failed', 'our own message');
      const result = await coded('mls_decrypt_failed', () => processMessage(m, state, emptyPskIndex, () => 'reject', cs));
      if (result.kind !== 'applicationMessage') throw new MlsError('mls_decrypt_failed');
      const sender = leafIdentity(tree, senderData.leafIndex);
      this.#state = result.newState;
      result.consumed.forEach(zeroOutUint8Array);
      return { sender, senderLeafIndex: senderData.leafIndex, plaintext: result.message };
    });
  }

  #confirm(): void {
    const pending = this.#pending;
    if (pending === undefined) throw new MlsError('mls_no_pending_commit');
    const members = checkLeaves(pending.result.newState, this.identity, undefined);
    this.#pending = undefined;
    this.#adopt(pending.result.newState, members);
    pending.result.consumed.forEach(zeroOutUint8Array);
  }

  #adopt(state: ClientState, members: GroupMember[]): void {
    this.#state = state;
    this.#members = members;
  }

  #leave(): void {
    this.#state = undefined;
    this.#members = [];
    this.#pending = undefined;
    this.#removed = true;
  }

  #active(): ClientState {
    if (this.#removed) throw new MlsError('mls_removed');
    if (this.#state === undefined) throw new MlsError('mls_no_group');
    return this.#state;
  }

  #unused(): PrivateKeyPackage {
    if (this.#removed || this.#state !== undefined || this.#privateKeys === undefined) throw new MlsError('mls_already_in_group');
    return this.#privateKeys;
  }

  #checkGroupAndEpoch(state: ClientState, groupId: Uint8Array, epoch: bigint, stale: 'mls_stale_commit' | 'mls_stale_message'): void {
    if (!constantTimeEqual(groupId, state.groupContext.groupId)) throw new MlsError('mls_wrong_group');
    if (epoch !== state.groupContext.epoch) {
      throw new MlsError(stale, `epoch ${safeEpoch(epoch)}, we are at ${state.groupContext.epoch}`);
    }
  }

  /** One operation at a time: each one reads the state the previous one left. */
  #serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(f, f);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function parseExternalSender(bytes: Uint8Array): { entry: Uint8Array; signatureKey: Uint8Array } {
  let decoded: ReturnType<typeof decodeExternalSender>;
  try {
    decoded = decodeExternalSender(bytes, 0);
  } catch {
    decoded = undefined;
  }
  if (decoded === undefined || decoded[1] !== bytes.length) throw new MlsError('mls_bad_external_sender', 'not an ExternalSender');
  const { credential, signaturePublicKey } = decoded[0];
  if (credential.credentialType !== 'basic' || new TextDecoder().decode(credential.identity) !== EXTERNAL_SENDER_IDENTITY) {
    throw new MlsError('mls_bad_external_sender', 'not the Parley server’s credential');
  }
  return { entry: bytes.slice(), signatureKey: signaturePublicKey };
}

function framedHeader(m: MLSMessage): { groupId: Uint8Array; epoch: bigint; contentType: string } | undefined {
  if (m.wireformat === 'mls_private_message') return m.privateMessage;
  if (m.wireformat === 'mls_public_message') return m.publicMessage.content;
  return undefined;
}

function leafIdentity(tree: RatchetTree, leafIndex: number): Identity {
  const leaf = leavesOf(tree).find((l) => l.leafIndex === leafIndex);
  if (leaf === undefined) throw new MlsError('mls_decrypt_failed', 'no such sender');
  return identityOfCredential(leaf.leaf.credential);
}

/**
 * The membership a state implies, after checking what MLS leaves to the application (RFC 9420
 * §5.3.1): every leaf holds a valid identity, no participant has two leaves, and our leaf is us.
 * Given the state before a commit, also that every leaf the commit did not remove kept its
 * credential and signature key (a committer's UpdatePath may not rename it) and that only the
 * proposed Adds appeared. Throws mls_bad_commit.
 */
function checkLeaves(state: ClientState, me: Identity, before: ClientState | undefined): GroupMember[] {
  const leaves = leavesOf(state.ratchetTree);
  let members: GroupMember[];
  try {
    members = leaves.map(({ leafIndex, leaf }) => ({ leafIndex, identity: identityOfCredential(leaf.credential) }));
  } catch (err) {
    throw new MlsError('mls_bad_commit', 'a leaf does not hold a valid identity', { cause: err });
  }
  const ids = new Set(members.map((m) => m.identity.participantId));
  if (ids.size !== members.length) throw new MlsError('mls_bad_commit', 'a participant has two leaves');
  const own = members.find((m) => m.leafIndex === state.privatePath.leafIndex);
  if (own === undefined || !sameIdentity(own.identity, me)) throw new MlsError('mls_bad_commit', 'our leaf does not hold our identity');
  if (before !== undefined) {
    const proposals = Object.values(before.unappliedProposals).map((p) => p.proposal);
    const removed = new Set(proposals.flatMap((p) => (p.proposalType === 'remove' ? [p.remove.removed] : [])));
    const added = proposals.filter((p) => p.proposalType === 'add').length;
    const kept = leavesOf(before.ratchetTree).filter((l) => !removed.has(l.leafIndex));
    for (const old of kept) {
      const now = leaves.find((l) => l.leafIndex === old.leafIndex)?.leaf;
      if (
        now === undefined ||
        now.credential.credentialType !== 'basic' ||
        old.leaf.credential.credentialType !== 'basic' ||
        !constantTimeEqual(now.credential.identity, old.leaf.credential.identity) ||
        !constantTimeEqual(now.signaturePublicKey, old.leaf.signaturePublicKey)
      ) {
        throw new MlsError('mls_bad_commit', `leaf ${old.leafIndex} changed its credential or key`);
      }
    }
    if (leaves.length !== kept.length + added) throw new MlsError('mls_bad_commit', 'the commit changed more leaves than proposed');
  }
  return members;
}
