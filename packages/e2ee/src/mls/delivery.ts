/**
 * The MLS delivery service of one meeting (RFC 9420 §16.4 ff.), as a state machine with no I/O:
 * the server feeds it events and sends the deliveries it returns. Time comes in through `tick`.
 *
 * The server is the group's only external sender: it proposes Add for people it admitted and whose
 * client is ready, and Remove for people who left or were removed. One member commits each batch;
 * the first valid commit for the current epoch wins and every other is stale (§14, "the DS orders
 * handshake messages"). A removed person is dropped at once. The DS never holds a group secret: it
 * reads only public headers, key packages, the Welcome's recipient list and the public ratchet tree.
 */
import { MlsError, type MlsErrorCode } from './errors.js';
import { sameIdentity, validateIdentity, type Identity } from './identity.js';
import { inspectKeyPackage, inspectMessage, inspectRatchetTree, inspectWelcome, type KeyPackageInfo, type TreeLeaf } from './inspect.js';
import type { ExternalSender } from './external-sender.js';
import { constantTimeEqual, toHex } from './mls-lib.js';

export type ParticipantId = string;

/** One proposal of a batch, with who it concerns, so members can pass it as `expect`. */
export interface ProposalAnnouncement {
  readonly kind: 'add' | 'remove';
  readonly participantId: ParticipantId;
  readonly identity: Identity;
  /** MLSMessage(PublicMessage) signed by the server as external sender. */
  readonly message: Uint8Array;
}

export type RejectedInput = 'keyPackage' | 'create' | 'groupCreated' | 'commit' | 'application';

export type DsMessage =
  /** To the first ready participant: create the group with this ID and the server as external sender. */
  | { readonly kind: 'create'; readonly groupId: Uint8Array; readonly externalSender: Uint8Array }
  /** To every current member: the batch's proposals for `epoch`, in the order to handle them. */
  | { readonly kind: 'proposals'; readonly groupId: Uint8Array; readonly epoch: number; readonly proposals: readonly ProposalAnnouncement[] }
  /** To the designated committer: commit the proposals of `epoch`. */
  | { readonly kind: 'commitRequest'; readonly groupId: Uint8Array; readonly epoch: number }
  /** To every remaining member, the committer included: the accepted commit made in `epoch` (members move to epoch + 1). */
  | { readonly kind: 'commit'; readonly groupId: Uint8Array; readonly epoch: number; readonly committer: ParticipantId; readonly commit: Uint8Array }
  /** To each joiner: the Welcome into `epoch` (the new one), the public tree, and the server's entry to check. */
  | {
      readonly kind: 'welcome';
      readonly groupId: Uint8Array;
      readonly epoch: number;
      readonly welcome: Uint8Array;
      readonly ratchetTree: Uint8Array;
      readonly externalSender: Uint8Array;
    }
  /** To the sender of a refused input. */
  | { readonly kind: 'rejected'; readonly code: MlsErrorCode; readonly input: RejectedInput; readonly reason: string }
  /** To every current member but the sender: an application message of the current epoch. */
  | { readonly kind: 'application'; readonly groupId: Uint8Array; readonly epoch: number; readonly from: ParticipantId; readonly message: Uint8Array }
  /** To someone who left or was removed: the last thing they get from this DS. */
  | { readonly kind: 'removed' };

export interface Delivery {
  readonly to: readonly ParticipantId[];
  readonly message: DsMessage;
}

export interface DeliveryServiceOptions {
  readonly externalSender: ExternalSender;
  /** Current time in milliseconds (the same clock `tick` uses). */
  readonly now: number;
  /** How long a creator or committer may take before someone else is asked. */
  readonly commitTimeoutMs?: number;
  /** Adds per batch; more joiners wait for the next epoch. Bounds commit and Welcome size. */
  readonly maxAddsPerBatch?: number;
  /** Group IDs; defaults to 16 random bytes (RFC 9420 §8: group IDs should be unique). */
  readonly randomGroupId?: () => Uint8Array;
}

export const DEFAULT_COMMIT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_ADDS_PER_BATCH = 32;
/** Application messages are chat; the member side caps plaintexts at 16 KiB. */
export const MAX_APPLICATION_BYTES = 32 * 1024;

interface Candidate {
  readonly pid: ParticipantId;
  readonly identity: Identity;
  readonly keyPackage: Uint8Array;
  readonly info: KeyPackageInfo;
}

interface Member {
  readonly pid: ParticipantId;
  readonly identity: Identity;
  readonly leafIndex: number;
  readonly signatureKey: Uint8Array;
  /** Join order: the longest-present live member is asked to commit. */
  readonly seq: number;
  gone: boolean;
}

interface Batch {
  readonly epoch: number;
  readonly removes: readonly Member[];
  readonly adds: (Candidate & { gone: boolean })[];
  committer: ParticipantId;
  /** Set by the first tick after the request, so the timeout counts from a time we were told. */
  waitingSince: number | undefined;
  readonly tried: Set<ParticipantId>;
}

interface Group {
  readonly groupId: Uint8Array;
  epoch: number;
  members: Member[];
  /** HPKE keys of the current public tree: a joiner's key package must not repeat one (RFC 9420 §7.9.1). */
  hpkeKeys: Set<string>;
}

interface TreeFacts {
  /** Joiners' leaf indices by signature key (hex). */
  readonly leafOf: Map<string, number>;
  readonly hpkeKeys: Set<string>;
}

interface Creating {
  readonly candidate: Candidate;
  readonly groupId: Uint8Array;
  waitingSince: number | undefined;
}

export interface DsSnapshot {
  readonly groupId: Uint8Array | undefined;
  readonly epoch: number | undefined;
  readonly members: readonly { participantId: ParticipantId; leafIndex: number; gone: boolean }[];
  readonly creator: ParticipantId | undefined;
  readonly batch: { epoch: number; committer: ParticipantId; adds: ParticipantId[]; removes: ParticipantId[] } | undefined;
  readonly waiting: readonly ParticipantId[];
}

export class DeliveryService {
  readonly #es: ExternalSender;
  readonly #esBytes: Uint8Array;
  readonly #timeout: number;
  readonly #maxAdds: number;
  readonly #randomGroupId: () => Uint8Array;
  #now: number;
  #seq = 0;
  #ready: Candidate[] = [];
  #group: Group | undefined;
  #creating: Creating | undefined;
  #batch: Batch | undefined;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: DeliveryServiceOptions) {
    this.#es = options.externalSender;
    this.#esBytes = options.externalSender.externalSenderBytes();
    this.#now = options.now;
    this.#timeout = options.commitTimeoutMs ?? DEFAULT_COMMIT_TIMEOUT_MS;
    this.#maxAdds = options.maxAddsPerBatch ?? DEFAULT_MAX_ADDS_PER_BATCH;
    this.#randomGroupId = options.randomGroupId ?? (() => crypto.getRandomValues(new Uint8Array(16)));
  }

  /**
   * An admitted participant's client is ready for E2EE with this key package. `identity` is what
   * the server verified; the key package must claim exactly it (RFC 9420 §5.3.1: the DS as
   * authentication service's first line). A participant already known is replaced.
   */
  memberReady(participantId: ParticipantId, identity: Identity, keyPackage: Uint8Array): Promise<Delivery[]> {
    return this.#serial(async () => {
      const refuse = (code: MlsErrorCode, reason: string): Delivery[] => [reject(participantId, 'keyPackage', code, reason)];
      let verified: Identity;
      try {
        verified = validateIdentity(identity);
      } catch (err) {
        return refuse('mls_bad_identity', reasonOf(err));
      }
      if (verified.participantId !== participantId) return refuse('mls_bad_identity', 'the identity is for another participant');
      let info: KeyPackageInfo;
      try {
        info = await inspectKeyPackage(keyPackage, this.#now);
      } catch (err) {
        return refuse('mls_bad_key_package', reasonOf(err));
      }
      if (!sameIdentity(info.identity, verified)) return refuse('mls_bad_key_package', 'the key package claims another identity');
      // The same key package again (a retried message) changes nothing.
      if (this.#knownKeys(participantId).some((k) => constantTimeEqual(k, info.signatureKey))) return [];
      const out = this.#forget(participantId, false);
      const clash = this.#keyClash(info);
      if (clash !== undefined) return [...out, ...refuse('mls_bad_key_package', clash), ...(await this.#advance())];
      this.#ready.push({ pid: participantId, identity: verified, keyPackage: keyPackage.slice(), info });
      return [...out, ...(await this.#advance())];
    });
  }

  /** The participant left, was removed, or the meeting ended for them: drop them at once. */
  memberGone(participantId: ParticipantId): Promise<Delivery[]> {
    return this.#serial(async () => [...this.#forget(participantId, true), ...(await this.#advance())]);
  }

  /** The participant asked to create the group did so; `ratchetTree` is its one-leaf public tree. */
  groupCreated(participantId: ParticipantId, groupId: Uint8Array, ratchetTree: Uint8Array): Promise<Delivery[]> {
    return this.#serial(async () => {
      const creating = this.#creating;
      if (creating === undefined || creating.candidate.pid !== participantId) {
        return [reject(participantId, 'groupCreated', 'mls_not_creator', 'this participant was not asked to create the group')];
      }
      if (!constantTimeEqual(groupId, creating.groupId)) return [reject(participantId, 'groupCreated', 'mls_wrong_group', 'another group ID')];
      let leaves: TreeLeaf[];
      let hpkeKeys: Uint8Array[];
      try {
        ({ leaves, hpkeKeys } = await inspectRatchetTree(ratchetTree, groupId));
      } catch (err) {
        return [reject(participantId, 'groupCreated', 'mls_bad_ratchet_tree', reasonOf(err))];
      }
      const only = leaves[0];
      const c = creating.candidate;
      if (leaves.length !== 1 || only?.leafIndex !== 0 || !constantTimeEqual(only.signatureKey, c.info.signatureKey) || !sameIdentity(only.identity, c.identity)) {
        return [reject(participantId, 'groupCreated', 'mls_bad_ratchet_tree', 'the tree is not the creator’s key package alone')];
      }
      this.#creating = undefined;
      this.#group = {
        groupId: creating.groupId,
        epoch: 0,
        members: [{ pid: c.pid, identity: c.identity, leafIndex: 0, signatureKey: c.info.signatureKey, seq: this.#seq++, gone: false }],
        hpkeKeys: new Set(hpkeKeys.map(toHex)),
      };
      return this.#advance();
    });
  }

  /**
   * A member's commit of the batch in flight. Accepted only from a current member, for the current
   * epoch, while a batch is in flight, and only the first such commit; it must come with a Welcome
   * for exactly the joiners (by KeyPackageRef) and a public tree that agrees with the membership.
   */
  commitReceived(participantId: ParticipantId, commit: Uint8Array, welcome: Uint8Array | undefined, ratchetTree: Uint8Array): Promise<Delivery[]> {
    return this.#serial(async () => {
      const refuse = (code: MlsErrorCode, reason: string): Delivery[] => [reject(participantId, 'commit', code, reason)];
      let header: ReturnType<typeof inspectMessage>;
      try {
        header = inspectMessage(commit);
      } catch (err) {
        return refuse('mls_bad_message', reasonOf(err));
      }
      if (header.contentType !== 'commit') return refuse('mls_bad_message', `a ${header.contentType}, not a commit`);
      const group = this.#group;
      if (group === undefined || !constantTimeEqual(header.groupId, group.groupId)) return refuse('mls_wrong_group', 'not the current group');
      const committer = live(group).find((m) => m.pid === participantId);
      if (committer === undefined) return refuse('mls_not_member', 'not a current member');
      if (header.epoch !== group.epoch) return refuse('mls_stale_commit', `a commit for epoch ${header.epoch}; the group is at ${group.epoch}`);
      const batch = this.#batch;
      if (batch === undefined) return refuse('mls_unexpected_commit', 'no membership change is in flight');
      // Whoever a batch removes is gone already, so it was refused above as not a member.

      const checked = await this.#checkCommit(group, batch, welcome, ratchetTree);
      if (!checked.ok) {
        const out = refuse(checked.code, checked.reason);
        // A designated committer whose commit cannot be right will not do better: ask another.
        if (batch.committer === participantId) out.push(...this.#repick(batch, undefined));
        return out;
      }
      const stayers = live(group).filter((m) => !batch.removes.includes(m));
      const joiners = batch.adds.map((a): Member => {
        const leafIndex = checked.leafOf.get(toHex(a.info.signatureKey));
        if (leafIndex === undefined) throw new Error('unreachable: #treeFacts found a leaf for every joiner');
        return { pid: a.pid, identity: a.identity, leafIndex, signatureKey: a.info.signatureKey, seq: this.#seq++, gone: a.gone };
      });
      const epoch = group.epoch;
      group.members = [...group.members.filter((m) => !batch.removes.includes(m)), ...joiners];
      group.epoch = epoch + 1;
      group.hpkeKeys = checked.hpkeKeys;
      this.#batch = undefined;
      const out: Delivery[] = [
        { to: stayers.map((m) => m.pid), message: { kind: 'commit', groupId: group.groupId, epoch, committer: participantId, commit } },
      ];
      const welcomed = joiners.filter((j) => !j.gone).map((j) => j.pid);
      if (welcome !== undefined && welcomed.length > 0) {
        out.push({
          to: welcomed,
          message: { kind: 'welcome', groupId: group.groupId, epoch: group.epoch, welcome, ratchetTree, externalSender: this.#esBytes },
        });
      }
      return [...out, ...(await this.#advance())];
    });
  }

  /** An MLS application message (chat) from a member, relayed as is to the other members. */
  applicationReceived(participantId: ParticipantId, message: Uint8Array): Promise<Delivery[]> {
    return this.#serial(async () => {
      const refuse = (code: MlsErrorCode, reason: string): Delivery[] => [reject(participantId, 'application', code, reason)];
      if (message.length > MAX_APPLICATION_BYTES) return refuse('mls_too_large', 'application message too large');
      let header: ReturnType<typeof inspectMessage>;
      try {
        header = inspectMessage(message);
      } catch (err) {
        return refuse('mls_bad_message', reasonOf(err));
      }
      if (header.contentType !== 'application' || header.wireFormat !== 'mls_private_message') {
        return refuse('mls_bad_message', 'not an encrypted application message');
      }
      const group = this.#group;
      if (group === undefined || !constantTimeEqual(header.groupId, group.groupId)) return refuse('mls_wrong_group', 'not the current group');
      const members = live(group);
      if (!members.some((m) => m.pid === participantId)) return refuse('mls_not_member', 'not a current member');
      if (header.epoch !== group.epoch) return refuse('mls_stale_message', `epoch ${header.epoch}; the group is at ${group.epoch}`);
      const to = members.filter((m) => m.pid !== participantId).map((m) => m.pid);
      if (to.length === 0) return [];
      return [{ to, message: { kind: 'application', groupId: group.groupId, epoch: group.epoch, from: participantId, message } }];
    });
  }

  /** Time passes: a creator or committer silent for the timeout is replaced. */
  tick(now: number): Promise<Delivery[]> {
    return this.#serial(async () => {
      this.#now = Math.max(this.#now, now);
      const out: Delivery[] = [];
      const creating = this.#creating;
      if (creating !== undefined) {
        if (creating.waitingSince === undefined) creating.waitingSince = this.#now;
        else if (this.#now - creating.waitingSince >= this.#timeout) {
          // Its client may have created a group we will never use: it must start over.
          this.#creating = undefined;
          out.push(reject(creating.candidate.pid, 'create', 'mls_timeout', 'the group was not created in time'));
        }
      }
      const batch = this.#batch;
      if (batch !== undefined) {
        if (batch.waitingSince === undefined) batch.waitingSince = this.#now;
        else if (this.#now - batch.waitingSince >= this.#timeout) out.push(...this.#repick(batch, this.#now));
      }
      return [...out, ...(await this.#advance())];
    });
  }

  /** What the DS believes, for the server's logs and UI and for tests. */
  snapshot(): DsSnapshot {
    const group = this.#group;
    const batch = this.#batch;
    return {
      groupId: group?.groupId.slice(),
      epoch: group?.epoch,
      members: (group?.members ?? []).map((m) => ({ participantId: m.pid, leafIndex: m.leafIndex, gone: m.gone })),
      creator: this.#creating?.candidate.pid,
      batch:
        batch === undefined
          ? undefined
          : { epoch: batch.epoch, committer: batch.committer, adds: batch.adds.map((a) => a.pid), removes: batch.removes.map((r) => r.pid) },
      waiting: this.#ready.map((c) => c.pid),
    };
  }

  /** Drops every trace of `pid` that is not yet in the group, and marks its leaf for removal. */
  #forget(pid: ParticipantId, notify: boolean): Delivery[] {
    let known = false;
    const before = this.#ready.length;
    this.#ready = this.#ready.filter((c) => c.pid !== pid);
    known ||= this.#ready.length !== before;
    if (this.#creating?.candidate.pid === pid) {
      this.#creating = undefined;
      known = true;
    }
    for (const add of this.#batch?.adds ?? []) {
      if (add.pid === pid && !add.gone) {
        add.gone = true;
        known = true;
      }
    }
    const group = this.#group;
    for (const m of group?.members ?? []) {
      if (m.pid === pid && !m.gone) {
        m.gone = true;
        known = true;
      }
    }
    const out: Delivery[] = notify && known ? [{ to: [pid], message: { kind: 'removed' } }] : [];
    if (group !== undefined && live(group).length === 0) this.#dropGroup();
    else if (this.#batch?.committer === pid) out.push(...this.#repick(this.#batch, undefined));
    return out;
  }

  /** Nobody is left to hold the group's secrets: forget it; the next ready person creates a new one. */
  #dropGroup(): void {
    const waiting = (this.#batch?.adds ?? []).filter((a) => !a.gone).map(({ pid, identity, keyPackage, info }) => ({ pid, identity, keyPackage, info }));
    this.#ready = [...waiting, ...this.#ready];
    this.#group = undefined;
    this.#batch = undefined;
  }

  /** Starts whatever can start: the group's creation, or the next batch at the current epoch. */
  async #advance(): Promise<Delivery[]> {
    const group = this.#group;
    if (group === undefined) {
      const first = this.#ready[0];
      if (this.#creating !== undefined || first === undefined) return [];
      this.#ready.shift();
      this.#creating = { candidate: first, groupId: this.#randomGroupId().slice(), waitingSince: undefined };
      return [{ to: [first.pid], message: { kind: 'create', groupId: this.#creating.groupId, externalSender: this.#esBytes } }];
    }
    if (this.#batch !== undefined) return [];
    const removes = group.members.filter((m) => m.gone);
    const adds = this.#ready.slice(0, this.#maxAdds);
    if (removes.length === 0 && adds.length === 0) return [];
    const committer = pickCommitter(group, new Set());
    if (committer === undefined) return []; // unreachable: a group without live members is dropped
    // Sign first, change state after: a failure here leaves the DS as it was.
    const proposals: ProposalAnnouncement[] = [];
    for (const r of removes) {
      proposals.push({ kind: 'remove', participantId: r.pid, identity: r.identity, message: await this.#es.proposeRemove(group.groupId, group.epoch, r.leafIndex, r.identity) });
    }
    for (const a of adds) {
      proposals.push({ kind: 'add', participantId: a.pid, identity: a.identity, message: await this.#es.proposeAdd(group.groupId, group.epoch, a.keyPackage) });
    }
    this.#ready.splice(0, adds.length);
    this.#batch = {
      epoch: group.epoch,
      removes,
      adds: adds.map((a) => ({ ...a, gone: false })),
      committer: committer.pid,
      waitingSince: undefined,
      tried: new Set([committer.pid]),
    };
    return [
      { to: live(group).map((m) => m.pid), message: { kind: 'proposals', groupId: group.groupId, epoch: group.epoch, proposals } },
      { to: [committer.pid], message: { kind: 'commitRequest', groupId: group.groupId, epoch: group.epoch } },
    ];
  }

  /** Asks the next live member to commit the batch (after a timeout, a bad commit or the committer leaving). */
  #repick(batch: Batch, now: number | undefined): Delivery[] {
    const group = this.#group;
    if (group === undefined) return [];
    batch.tried.add(batch.committer);
    let next = pickCommitter(group, batch.tried);
    if (next === undefined) {
      // Everyone was asked once: start the round again rather than stall.
      batch.tried.clear();
      next = pickCommitter(group, batch.tried);
    }
    if (next === undefined) return [];
    batch.committer = next.pid;
    batch.tried.add(next.pid);
    batch.waitingSince = now;
    return [{ to: [next.pid], message: { kind: 'commitRequest', groupId: group.groupId, epoch: batch.epoch } }];
  }

  /** Whether a commit's Welcome and tree agree with the batch; if so, what the tree says. */
  async #checkCommit(
    group: Group,
    batch: Batch,
    welcome: Uint8Array | undefined,
    ratchetTree: Uint8Array,
  ): Promise<({ ok: true } & TreeFacts) | { ok: false; code: MlsErrorCode; reason: string }> {
    if (batch.adds.length === 0) {
      if (welcome !== undefined) return { ok: false, code: 'mls_bad_welcome', reason: 'a Welcome but nobody is added' };
    } else {
      if (welcome === undefined) return { ok: false, code: 'mls_bad_welcome', reason: 'members are added but there is no Welcome' };
      let recipients: Uint8Array[];
      try {
        recipients = inspectWelcome(welcome).newMembers;
      } catch (err) {
        return { ok: false, code: 'mls_bad_welcome', reason: reasonOf(err) };
      }
      const expected = new Set(batch.adds.map((a) => toHex(a.info.ref)));
      const got = new Set(recipients.map(toHex));
      if (recipients.length !== expected.size || got.size !== expected.size || [...expected].some((r) => !got.has(r))) {
        return { ok: false, code: 'mls_bad_welcome', reason: 'the Welcome is not for exactly the joiners' };
      }
    }
    try {
      return { ok: true, ...(await this.#treeFacts(group, batch, ratchetTree)) };
    } catch (err) {
      return { ok: false, code: 'mls_bad_ratchet_tree', reason: reasonOf(err) };
    }
  }

  /**
   * Reads the public tree after a commit: it must hold every member not removed at its leaf with
   * its credential and signature key, one leaf per joiner with its key package's key, and nothing
   * else. Returns joiners' leaves by signature key. Throws mls_bad_ratchet_tree.
   */
  async #treeFacts(group: Group, batch: Batch, ratchetTree: Uint8Array): Promise<TreeFacts> {
    const { leaves, hpkeKeys } = await inspectRatchetTree(ratchetTree, group.groupId);
    const bad = (why: string): never => {
      throw new MlsError('mls_bad_ratchet_tree', why);
    };
    const byIndex = new Map(leaves.map((l) => [l.leafIndex, l]));
    const stayers = group.members.filter((m) => !batch.removes.includes(m));
    for (const m of stayers) {
      const leaf = byIndex.get(m.leafIndex);
      if (leaf === undefined || !constantTimeEqual(leaf.signatureKey, m.signatureKey) || !sameIdentity(leaf.identity, m.identity)) {
        bad(`leaf ${m.leafIndex} is not ${m.pid}`);
      }
    }
    const leafOf = new Map<string, number>();
    const stayerLeaves = new Set(stayers.map((m) => m.leafIndex));
    for (const a of batch.adds) {
      const leaf = leaves.find((l) => !stayerLeaves.has(l.leafIndex) && constantTimeEqual(l.signatureKey, a.info.signatureKey));
      if (leaf === undefined || !sameIdentity(leaf.identity, a.identity)) bad(`no leaf for joiner ${a.pid}`);
      else leafOf.set(toHex(a.info.signatureKey), leaf.leafIndex);
    }
    if (leaves.length !== stayers.length + batch.adds.length) bad('the tree has other leaves');
    return { leafOf, hpkeKeys: new Set(hpkeKeys.map(toHex)) };
  }

  /** Signature keys under which `pid` is waiting, joining or a live member. */
  #knownKeys(pid: ParticipantId): Uint8Array[] {
    return [
      ...this.#ready.filter((c) => c.pid === pid).map((c) => c.info.signatureKey),
      ...(this.#creating?.candidate.pid === pid ? [this.#creating.candidate.info.signatureKey] : []),
      ...(this.#batch?.adds ?? []).filter((a) => a.pid === pid && !a.gone).map((a) => a.info.signatureKey),
      ...(this.#group === undefined ? [] : live(this.#group)).filter((m) => m.pid === pid).map((m) => m.signatureKey),
    ];
  }

  /** A key package must not reuse a key of anyone in or joining the group (RFC 9420 §7.9.1, §10). */
  #keyClash(info: KeyPackageInfo): string | undefined {
    const sig = toHex(info.signatureKey);
    const hpke = toHex(info.hpkeKey);
    const ref = toHex(info.ref);
    const others: KeyPackageInfo[] = [
      ...this.#ready.map((c) => c.info),
      ...(this.#batch?.adds ?? []).map((a) => a.info),
      ...(this.#creating === undefined ? [] : [this.#creating.candidate.info]),
    ];
    if (others.some((o) => toHex(o.signatureKey) === sig || toHex(o.hpkeKey) === hpke || toHex(o.ref) === ref)) {
      return 'a key of this key package is already in use';
    }
    if ((this.#group?.members ?? []).some((m) => toHex(m.signatureKey) === sig) || this.#group?.hpkeKeys.has(hpke) === true) {
      return 'a key of this key package is already in the group';
    }
    return undefined;
  }

  /** One input at a time, in arrival order: each sees the state the previous one left. */
  #serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(f, f);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

function live(group: Group): Member[] {
  return group.members.filter((m) => !m.gone);
}

/** The longest-present live member not yet tried (members being removed are gone, so never asked). */
function pickCommitter(group: Group, tried: ReadonlySet<ParticipantId>): Member | undefined {
  return live(group)
    .filter((m) => !tried.has(m.pid))
    .sort((a, b) => a.seq - b.seq)[0];
}

function reject(to: ParticipantId, input: RejectedInput, code: MlsErrorCode, reason: string): Delivery {
  return { to: [to], message: { kind: 'rejected', code, input, reason } };
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
