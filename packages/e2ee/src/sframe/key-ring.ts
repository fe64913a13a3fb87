/**
 * The keys of the current MLS epoch, plus the previous epoch's receive keys for a short while:
 * after a commit, frames encrypted just before it are still in flight (and members apply the commit
 * at slightly different moments), so they stay decryptable for `retainPreviousMs` (default 10 s),
 * then the old keys are removed. Older epochs are removed at once. Send keys switch immediately.
 * Time comes from an injected clock and expiry is checked on use (and by `prune`), so no timer is
 * needed and tests control time.
 */
import type { Bytes } from './bytes.js';
import { SFrameContext } from './context.js';
import type { SFrameContextOptions } from './context.js';
import { SFrameError } from './errors.js';
import { decryptFrame, encryptFrame } from './frame-crypto.js';
import type { DecryptedFrame, FrameInfo } from './frame-crypto.js';
import { toUint64 } from './header.js';

export const DEFAULT_RETAIN_PREVIOUS_MS = 10_000;

export interface KeyRingOptions extends SFrameContextOptions {
  readonly retainPreviousMs?: number;
  /** Milliseconds, monotonic enough; default performance.now(). */
  readonly now?: () => number;
}

export interface SendKeyInput {
  /** The media stream (MediaContext) this key encrypts. */
  readonly context: number;
  readonly kid: bigint | number;
  readonly key: Uint8Array;
}

export interface ReceiveKeyInput {
  readonly kid: bigint | number;
  readonly key: Uint8Array;
}

export interface EpochKeysInput {
  readonly epoch: bigint | number;
  readonly send: readonly SendKeyInput[];
  readonly receive: readonly ReceiveKeyInput[];
}

export class KeyRing {
  readonly retainPreviousMs: number;
  readonly #now: () => number;
  readonly #context: SFrameContext;
  #epoch: bigint | undefined;
  #currentKids = new Set<bigint>();
  #sendKids = new Map<number, bigint>();
  #previous: { epoch: bigint; kids: Set<bigint>; until: number } | undefined;
  /** setEpoch calls run one after another. */
  #queue: Promise<void> = Promise.resolve();

  constructor(options: KeyRingOptions = {}) {
    this.retainPreviousMs = options.retainPreviousMs ?? DEFAULT_RETAIN_PREVIOUS_MS;
    if (!(this.retainPreviousMs >= 0)) throw new RangeError(`retainPreviousMs ${this.retainPreviousMs} is negative`);
    this.#now = options.now ?? (() => performance.now());
    this.#context = new SFrameContext(options);
  }

  /** The current epoch, once keys arrived. */
  get epoch(): bigint | undefined {
    return this.#epoch;
  }

  /** The previous epoch while its receive keys are kept. */
  get previousEpoch(): bigint | undefined {
    this.prune();
    return this.#previous?.epoch;
  }

  /** The KID the stream `mediaContext` encrypts with in the current epoch. */
  sendKid(mediaContext: number): bigint | undefined {
    return this.#sendKids.get(mediaContext);
  }

  hasReceiveKey(kid: bigint | number): boolean {
    this.prune();
    return this.#context.hasReceiveKey(kid);
  }

  /**
   * Installs an epoch's keys. A newer epoch makes the current one previous (receive keys kept for
   * retainPreviousMs, send keys dropped) and drops the one before at once; a KID of the new epoch
   * that an old one used (the epoch's low bits wrapped, RFC 9605 §5.2 MUST) replaces the old key.
   * The same epoch again adds keys it did not have and keeps the ones it has (and their replay
   * windows). An older epoch is refused ('stale-epoch').
   */
  setEpoch(input: EpochKeysInput): Promise<void> {
    const run = this.#queue.then(() => this.#setEpoch(input));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #setEpoch(input: EpochKeysInput): Promise<void> {
    const epoch = toUint64(input.epoch, 'epoch');
    const send = input.send.map((k) => ({ context: k.context, kid: toUint64(k.kid, 'KID'), key: k.key }));
    const receive = input.receive.map((k) => ({ kid: toUint64(k.kid, 'KID'), key: k.key }));
    for (const k of [...send, ...receive]) if (k.key.length === 0) throw new SFrameError('invalid-key', `empty key for KID ${k.kid}`);
    this.prune();
    const current = this.#epoch;
    if (current !== undefined && epoch < current) throw new SFrameError('stale-epoch', `epoch ${epoch} is older than ${current}`);

    // New keys go in first and the switch is synchronous at the end, so frames keep flowing.
    const fresh = current === undefined || epoch > current;
    const demoted = fresh ? this.#currentKids : new Set<bigint>();
    const receiveKids = fresh ? new Set<bigint>() : this.#currentKids;
    const sendKids = new Map(fresh ? [] : this.#sendKids);
    const added: bigint[] = [];
    /** A KID an older epoch used (its low bits wrapped: RFC 9605 §5.2 MUST) loses its old key. */
    const evict = (kid: bigint): void => {
      if (demoted.delete(kid) || this.#previous?.kids.delete(kid)) this.#context.removeKey(kid);
    };
    try {
      for (const { kid, key } of receive) {
        if (receiveKids.has(kid)) continue;
        evict(kid);
        await this.#context.addReceiveKey(kid, key);
        added.push(kid);
        receiveKids.add(kid);
      }
      for (const { context, kid, key } of send) {
        if (sendKids.get(context) === kid) continue;
        evict(kid);
        await this.#context.addSendKey(kid, key);
        added.push(kid);
        sendKids.set(context, kid);
      }
    } catch (error) {
      for (const kid of added) {
        this.#context.removeKey(kid);
        receiveKids.delete(kid);
      }
      throw error;
    }

    const keep = new Set(sendKids.values());
    for (const kid of this.#sendKids.values()) if (!keep.has(kid)) this.#context.removeKey(kid);
    if (fresh) {
      if (this.#previous) for (const kid of this.#previous.kids) this.#context.removeKey(kid);
      this.#previous = current === undefined || demoted.size === 0 ? undefined : { epoch: current, kids: demoted, until: this.#now() + this.retainPreviousMs };
      this.#currentKids = receiveKids;
      this.#epoch = epoch;
    }
    this.#sendKids = sendKids;
  }

  /** Removes the previous epoch's keys once their time is up. */
  prune(): void {
    const previous = this.#previous;
    if (previous && this.#now() >= previous.until) {
      for (const kid of previous.kids) this.#context.removeKey(kid);
      this.#previous = undefined;
    }
  }

  /** Encrypts a frame of the stream `mediaContext` under the current epoch's key for it. */
  async encryptFrame(mediaContext: number, frame: Uint8Array | ArrayBuffer, info: FrameInfo): Promise<Bytes> {
    const kid = this.#sendKids.get(mediaContext);
    if (kid === undefined) throw new SFrameError('no-send-key', `no send key for media context ${mediaContext}`);
    return encryptFrame(this.#context, kid, frame, info);
  }

  /** Decrypts a frame with the current or (while retained) previous epoch's keys. */
  async decryptFrame(frame: Uint8Array | ArrayBuffer, info: FrameInfo): Promise<DecryptedFrame> {
    this.prune();
    return decryptFrame(this.#context, frame, info);
  }
}
