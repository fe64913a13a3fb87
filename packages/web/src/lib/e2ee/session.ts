/**
 * E2eeSession: this participant's side of an end-to-end encrypted meeting (docs/protocol.md §8), one
 * per meeting session. After every `setupMedia` (joining, each resume, promotion) it makes a fresh
 * MLS member and sends `e2eeReady`; then it does what the server's `e2ee` deliveries say, strictly in
 * their order (one queue): create the group, handle the server's proposals, commit when asked, apply
 * commits and Welcomes, decrypt chat. After every epoch change it derives the epoch's SFrame keys
 * for every member's streams, hands them to the media worker, and publishes the status, the security
 * code and the group's members. Any MLS failure starts over with a new member (a bounded number of
 * times); until keys are in place, and after a failure, the worker has no send key and drops every
 * outgoing frame.
 *
 * The MLS code (ts-mls) is loaded on first use, so standard meetings never download it.
 */
import type { ChatMessage, E2eeDelivery } from '@parley/protocol';
import type { GroupMember, Identity, MlsMember } from '@parley/e2ee/mls';
import type { EpochKeys, MlsEpochKeysInput, TransformCounters } from '@parley/e2ee/sframe';
import { SerialQueue } from '../queue.js';
import type { Outcome } from '../sessionTypes.js';
import type { RequestFields } from '../signaling.js';
import { fromBase64, toBase64 } from './base64.js';
import { decodeChatPayload, encodeChatPayload, refuseOnSend, renderChat, type LinkRules } from './chat.js';

export type E2eeStatus = 'joining' | 'encrypted' | 'failed';

export interface E2eeMemberView {
  readonly participantId: string;
  readonly displayName: string;
  readonly leafIndex: number;
}

/** What the screen shows of the encryption (the store's `e2ee`, less what the person marked verified). */
export interface E2eeView {
  readonly status: E2eeStatus;
  /** The MLS epoch whose keys are in use. */
  readonly epoch: number | null;
  /** 30 digits in 6 groups of 5, equal on every screen of the meeting in the same epoch. */
  readonly securityCode: string | null;
  /** The MLS group's members, by leaf (their identities as their credentials name them). */
  readonly members: readonly E2eeMemberView[];
  /** Why it failed, or what went wrong the last time it started over. */
  readonly error: string | null;
}

export const JOINING_VIEW: E2eeView = { status: 'joining', epoch: null, securityCode: null, members: [], error: null };

export type E2eeRequestType = 'e2eeReady' | 'e2eeGroupCreated' | 'e2eeCommit' | 'e2eeChat';

/** The part of the signaling client the session uses (a fake that routes into a delivery service in tests). */
export interface E2eeSignaling {
  readonly closed: boolean;
  request<T extends E2eeRequestType>(type: T, fields: RequestFields<T>): Promise<unknown>;
}

/** The media worker as the session talks to it: keys in, stats out (@parley/e2ee/sframe's messages). */
export interface KeyWorker {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: { readonly data: unknown }) => void): void;
}

/** What the session needs of the meeting around it. */
export interface E2eeHost {
  /** Who the server knows this participant as: the identity the MLS credential must name. */
  identity(): Promise<Identity>;
  selfId(): string | null;
  /** The meeting's link rules (null before admission). */
  linkRules(): LinkRules | null;
  /** Moderators' links are trusted, as the server trusts them in standard meetings. */
  isModerator(participantId: string): boolean;
  /** The view changed. */
  update(view: E2eeView): void;
  /** A chat message to show: received (decrypted) or one's own, sent. */
  chat(message: ChatMessage, flagged: boolean): void;
  /** A short message for the person. */
  notice(text: string): void;
}

/** The MLS and SFrame functions the session calls, loaded lazily (tests may pass them directly). */
export interface MlsApi {
  createMember(identity: Identity): Promise<MlsMember>;
  mlsEpochKeys(input: MlsEpochKeysInput): EpochKeys;
}

export interface E2eeOptions {
  readonly host: E2eeHost;
  readonly worker: KeyWorker;
  readonly mls?: () => Promise<MlsApi>;
  /** Starts over at most this many times in a row before giving up (until the next setupMedia). */
  readonly maxRestarts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long the worker may take to apply keys or answer for its counters. */
  readonly workerTimeoutMs?: number;
}

const DEFAULT_MAX_RESTARTS = 5;
const WORKER_TIMEOUT_MS = 5000;
/** How long a chat message waits for a pending commit (MLS sends no application data before it). */
const CHAT_EPOCH_WAIT_MS = 10_000;

async function loadMls(): Promise<MlsApi> {
  const [mls, sframe] = await Promise.all([import('@parley/e2ee/mls'), import('@parley/e2ee/sframe')]);
  return { createMember: mls.createMember, mlsEpochKeys: sframe.mlsEpochKeys };
}

/** The code of an MlsError (or any coded error), for logs and the status line. */
function codeOf(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : err instanceof Error ? err.message : String(err);
}

class Stale extends Error {}

interface WorkerReply {
  type: string;
  requestId?: number;
  counters?: TransformCounters;
  message?: string;
}

export class E2eeSession {
  readonly #host: E2eeHost;
  readonly #worker: KeyWorker;
  readonly #loadMls: () => Promise<MlsApi>;
  readonly #maxRestarts: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #workerTimeoutMs: number;
  readonly #queue = new SerialQueue();
  #mls: MlsApi | null = null;
  #signaling: E2eeSignaling | null = null;
  /** The current membership: one MLS member, from one key package to its end. */
  #member: MlsMember | null = null;
  #generation = 0;
  /** The group the current member is in (base64, as the server names it), once it is in one. */
  #groupId: string | null = null;
  #ownCommit = false;
  #restarts = 0;
  /** The worker's key epochs: always increasing, whatever the MLS epoch (a new group starts at 0 again). */
  #keyEpoch = 0;
  #requestId = 0;
  readonly #replies = new Map<number, { resolve: (reply: WorkerReply) => void; reject: (err: Error) => void }>();
  #epochWaiters: (() => void)[] = [];
  #view: E2eeView = JOINING_VIEW;
  #chatSeq = 0;
  #closed = false;

  constructor(options: E2eeOptions) {
    this.#host = options.host;
    this.#worker = options.worker;
    this.#loadMls = options.mls ?? loadMls;
    this.#maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.#workerTimeoutMs = options.workerTimeoutMs ?? WORKER_TIMEOUT_MS;
    this.#worker.addEventListener('message', (event) => this.#onWorkerMessage(event.data));
  }

  get view(): E2eeView {
    return this.#view;
  }

  /** Media was set up (again) on `signaling`: join the group anew with a fresh member. */
  start(signaling: E2eeSignaling): Promise<void> {
    return this.#queue
      .push(async () => {
        this.#restarts = 0;
        await this.#begin(signaling);
      })
      .catch((err: unknown) => {
        if (!this.#closed) console.warn('Parley E2EE: could not start', err);
      });
  }

  /** An `e2ee` event: handled after every earlier one. */
  deliver(message: E2eeDelivery): Promise<void> {
    const generation = this.#generation;
    return this.#queue.push(() => this.#handle(message, generation)).catch((err: unknown) => {
      if (!this.#closed) console.warn('Parley E2EE: event failed', err);
    });
  }

  /** Sends an encrypted chat message to every member; refuses a link the meeting does not allow. */
  async sendChat(text: string): Promise<Outcome<'sent'>> {
    const self = this.#host.selfId();
    const rules = this.#host.linkRules();
    if (!self || !rules) return { ok: false, code: 'wrong_state', message: 'Not in the meeting yet.' };
    const trusted = this.#host.isModerator(self);
    if (refuseOnSend(text, rules, trusted)) return { ok: false, code: 'link_blocked', message: 'Links aren’t allowed in this meeting’s chat.' };
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.#queue.push(() => this.#encryptAndSend(text, rules, trusted));
      } catch (err) {
        // Proposals wait for a commit: MLS sends no application message before it. Wait for the epoch.
        if (codeOf(err) === 'mls_pending_proposals' && attempt === 0 && (await this.#nextEpoch(CHAT_EPOCH_WAIT_MS))) continue;
        return { ok: false, code: 'e2ee_not_ready', message: `The message could not be encrypted (${codeOf(err)}). Try again in a moment.` };
      }
    }
  }

  /** The worker's frame counters (encrypted, decrypted, dropped, …), or null if it does not answer. */
  async stats(): Promise<TransformCounters | null> {
    try {
      const reply = await this.#ask({ type: 'stats' });
      return reply.counters ?? null;
    } catch {
      return null;
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.close();
    this.#member = null;
    for (const { reject } of this.#replies.values()) reject(new Error('closed'));
    this.#replies.clear();
    for (const wake of this.#epochWaiters) wake();
    this.#epochWaiters = [];
  }

  // --- membership ---------------------------------------------------------------------------

  async #begin(signaling: E2eeSignaling): Promise<void> {
    if (this.#closed) return;
    const generation = ++this.#generation;
    this.#signaling = signaling;
    this.#member = null;
    this.#groupId = null;
    this.#ownCommit = false;
    this.#publish({ ...JOINING_VIEW, error: this.#view.error });
    if (signaling.closed) return; // the resume that follows starts again
    try {
      this.#mls ??= await this.#loadMls();
      const member = await this.#mls.createMember(await this.#host.identity());
      if (generation !== this.#generation || this.#closed) return;
      this.#member = member;
      await signaling.request('e2eeReady', { keyPackage: toBase64(member.keyPackage()) });
    } catch (err) {
      if (this.#closed || signaling.closed) return;
      await this.#restart(generation, `the key package was not accepted (${codeOf(err)})`);
    }
  }

  /** Starts over with a new member, unless that was tried too often: then encryption stays off. */
  async #restart(generation: number, reason: string): Promise<void> {
    if (this.#closed || generation !== this.#generation) return;
    console.warn(`Parley E2EE: starting over: ${reason}`);
    this.#member = null;
    this.#groupId = null;
    await this.#revokeKeys();
    const signaling = this.#signaling;
    if (this.#restarts >= this.#maxRestarts || !signaling) {
      this.#publish({ status: 'failed', epoch: null, securityCode: null, members: [], error: reason });
      return;
    }
    this.#restarts++;
    this.#publish({ ...JOINING_VIEW, error: reason });
    await this.#sleep(Math.min(8000, 500 * 2 ** (this.#restarts - 1)));
    if (this.#closed || generation !== this.#generation) return;
    await this.#begin(signaling);
  }

  async #handle(message: E2eeDelivery, generation: number): Promise<void> {
    if (this.#closed) return;
    const member = this.#member;
    try {
      switch (message.kind) {
        case 'create':
          if (!member) return;
          if (this.#groupId !== null) throw new Error('asked to create a group while in one');
          {
            const { ratchetTree } = await member.createGroup(fromBase64(message.groupId), fromBase64(message.externalSender));
            this.#groupId = message.groupId;
            await this.#send('e2eeGroupCreated', { groupId: message.groupId, ratchetTree: toBase64(ratchetTree) });
          }
          return this.#epochChanged(member);
        case 'welcome':
          // A Welcome is for a member that is not in a group yet; any other is not ours.
          if (!member || this.#groupId !== null) return;
          await member.joinFromWelcome(fromBase64(message.welcome), fromBase64(message.ratchetTree), fromBase64(message.externalSender));
          if (member.groupId === undefined || toBase64(member.groupId) !== message.groupId) throw new Error('the Welcome is for another group');
          this.#groupId = message.groupId;
          return this.#epochChanged(member);
        case 'proposals':
          if (!this.#current(member, message)) return;
          for (const p of message.proposals) await member.handleProposal(fromBase64(p.message), { kind: p.kind, identity: p.identity });
          return;
        case 'commitRequest': {
          if (!this.#current(member, message)) return;
          const pending = await member.commitPending();
          this.#ownCommit = true;
          await this.#send('e2eeCommit', {
            commit: toBase64(pending.commit),
            ratchetTree: toBase64(pending.ratchetTree),
            ...(pending.welcome ? { welcome: toBase64(pending.welcome) } : {}),
          });
          return;
        }
        case 'commit':
          if (!this.#current(member, message)) return;
          if (message.committer === this.#host.selfId() && this.#ownCommit) await member.confirmOwnCommit();
          else await member.handleCommit(fromBase64(message.commit));
          this.#ownCommit = false;
          return this.#epochChanged(member);
        case 'application':
          if (!member || this.#groupId !== message.groupId) return;
          return await this.#received(member, message);
        case 'rejected':
          if (message.input === 'commit') {
            // Another commit came first (it follows as `commit`), or ours was wrong: forget ours.
            member?.discardOwnCommit();
            this.#ownCommit = false;
            return;
          }
          if (message.input === 'application') {
            this.#host.notice(
              message.code === 'mls_stale_message'
                ? 'A chat message was sent while the group was changing and did not arrive. Send it again.'
                : `A chat message could not be delivered (${message.code}).`,
            );
            return;
          }
          return this.#restart(generation, `the server refused the ${message.input} (${message.code})`);
        case 'removed':
          this.#member = null;
          this.#groupId = null;
          await this.#revokeKeys();
          this.#publish({ status: 'failed', epoch: null, securityCode: null, members: [], error: 'this browser is no longer in the meeting’s encrypted group' });
          return;
      }
    } catch (err) {
      if (err instanceof Stale) return this.#restart(generation, err.message);
      if (this.#member !== member || this.#closed) return;
      return this.#restart(generation, `${message.kind}: ${codeOf(err)}`);
    }
  }

  /**
   * Whether a group message is for the current member's group and epoch. An older epoch's (or an
   * older group's) message was meant for a membership that has ended: ignored. A later epoch means
   * this member missed a step: it starts over.
   */
  #current(member: MlsMember | null, message: { groupId: string; epoch: number }): member is MlsMember {
    if (!member || this.#groupId === null || message.groupId !== this.#groupId) return false;
    const epoch = member.epoch;
    if (message.epoch < epoch) return false;
    if (message.epoch > epoch) throw new Stale(`the group is at epoch ${message.epoch}, this member at ${epoch}`);
    return true;
  }

  async #send<T extends E2eeRequestType>(type: T, fields: RequestFields<T>): Promise<void> {
    const signaling = this.#signaling;
    if (!signaling || signaling.closed) return;
    await signaling.request(type, fields);
  }

  // --- keys -----------------------------------------------------------------------------------

  /** A new epoch: its SFrame keys to the worker, then the view. */
  async #epochChanged(member: MlsMember): Promise<void> {
    const mls = this.#mls;
    if (!mls || this.#member !== member) return;
    const epoch = member.epoch;
    const members = member.members();
    const ownLeafIndex = member.ownLeafIndex();
    const secret = await member.sframeEpochSecret();
    let keys: EpochKeys;
    try {
      keys = mls.mlsEpochKeys({
        epochSecret: secret,
        epoch,
        ownLeafIndex,
        memberLeafIndices: members.map((m) => m.leafIndex),
      });
    } finally {
      secret.fill(0);
    }
    await this.#postKeys(keys.send, keys.receive);
    if (this.#member !== member || this.#closed) return;
    this.#restarts = 0;
    this.#publish({ status: 'encrypted', epoch, securityCode: member.securityCode(), members: members.map(memberView), error: null });
    const waiters = this.#epochWaiters;
    this.#epochWaiters = [];
    for (const wake of waiters) wake();
  }

  async #postKeys(send: EpochKeys['send'], receive: EpochKeys['receive']): Promise<void> {
    const reply = await this.#ask({ type: 'keys', epoch: ++this.#keyEpoch, send, receive });
    if (reply.type !== 'keys-applied') throw new Error(`the media worker refused the keys: ${reply.message ?? reply.type}`);
  }

  /** No keys at all: the worker drops every frame until the next epoch's keys. */
  async #revokeKeys(): Promise<void> {
    try {
      await this.#postKeys([], []);
    } catch (err) {
      console.warn('Parley E2EE: could not clear the media keys', err);
    }
  }

  #ask(message: Record<string, unknown>): Promise<WorkerReply> {
    const requestId = ++this.#requestId;
    return new Promise((resolve, reject) => {
      if (this.#closed) return reject(new Error('closed'));
      const timer = setTimeout(() => {
        this.#replies.delete(requestId);
        reject(new Error('the media worker did not answer'));
      }, this.#workerTimeoutMs);
      this.#replies.set(requestId, {
        resolve: (reply) => {
          clearTimeout(timer);
          resolve(reply);
        },
        reject: (err) => {
          clearTimeout(timer);
          reject(err);
        },
      });
      this.#worker.postMessage({ ...message, requestId });
    });
  }

  #onWorkerMessage(data: unknown): void {
    if (typeof data !== 'object' || data === null) return;
    const reply = data as WorkerReply;
    const waiting = reply.requestId === undefined ? undefined : this.#replies.get(reply.requestId);
    if (waiting && reply.requestId !== undefined) {
      this.#replies.delete(reply.requestId);
      waiting.resolve(reply);
    } else if (reply.type === 'error') {
      // A transform the worker could not set up carries no media (never clear media).
      console.warn(`Parley E2EE: media worker: ${reply.message ?? 'error'}`);
    }
  }

  #nextEpoch(timeoutMs: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#epochWaiters = this.#epochWaiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = (): void => {
        clearTimeout(timer);
        resolve(!this.#closed);
      };
      this.#epochWaiters.push(wake);
    });
  }

  // --- chat -----------------------------------------------------------------------------------

  async #encryptAndSend(text: string, rules: LinkRules, trusted: boolean): Promise<Outcome<'sent'>> {
    const member = this.#member;
    const signaling = this.#signaling;
    if (!member || this.#groupId === null || this.#view.status !== 'encrypted') {
      return { ok: false, code: 'e2ee_not_ready', message: 'Encryption is still being set up. Try again in a moment.' };
    }
    if (!signaling || signaling.closed) return { ok: false, code: 'closed', message: 'Not connected.' };
    const sentAt = Date.now();
    const ciphertext = await member.encryptChat(encodeChatPayload({ text, sentAt }));
    try {
      await signaling.request('e2eeChat', { message: toBase64(ciphertext) });
    } catch (err) {
      const code = codeOf(err);
      return { ok: false, code, message: err instanceof Error ? err.message : code };
    }
    const { segments, flagged } = renderChat(text, rules, trusted);
    const self = member.identity;
    this.#host.chat(chatMessage(`e2e-own-${this.#generation}-${++this.#chatSeq}`, self, text, segments, sentAt), flagged);
    return { ok: true, value: 'sent' };
  }

  async #received(member: MlsMember, message: Extract<E2eeDelivery, { kind: 'application' }>): Promise<void> {
    let sender: Identity;
    let plaintext: Uint8Array;
    try {
      ({ sender, plaintext } = await member.decryptChat(fromBase64(message.message)));
    } catch (err) {
      // One undecryptable message costs that message only (it may be from a past epoch).
      console.warn(`Parley E2EE: a chat message could not be decrypted (${codeOf(err)})`);
      return;
    }
    // The decrypted credential says who wrote it; a server naming someone else is not believed.
    if (sender.participantId !== message.from) {
      console.warn('Parley E2EE: a chat message whose sender is not who the server said');
      return;
    }
    const payload = decodeChatPayload(plaintext);
    const rules = this.#host.linkRules();
    if (!payload || !rules) return;
    const { segments, flagged } = renderChat(payload.text, rules, this.#host.isModerator(sender.participantId));
    this.#host.chat(chatMessage(`e2e-${sender.participantId}-${++this.#chatSeq}`, sender, payload.text, segments, Date.now()), flagged);
  }

  #publish(view: E2eeView): void {
    this.#view = view;
    if (!this.#closed) this.#host.update(view);
  }
}

function memberView(m: GroupMember): E2eeMemberView {
  return { participantId: m.identity.participantId, displayName: m.identity.displayName, leafIndex: m.leafIndex };
}

function chatMessage(id: string, from: Identity, text: string, segments: ChatMessage['segments'], at: number): ChatMessage {
  return { id, from: from.participantId, fromName: from.displayName, to: null, toName: null, text, segments, at };
}

/** The identity the server binds a participant to: who they are in the room, and their account if signed in. */
export function identityOf(self: { id: string; displayName: string }, accountId: string | null): Identity {
  return { participantId: self.id, accountId, displayName: self.displayName };
}
