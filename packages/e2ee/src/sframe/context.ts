/**
 * An SFrame context (RFC 9605 Appendix A): KIDs mapped to send or receive keys within one session.
 * Senders get a monotonically increasing CTR per KID (§9.1 header value uniqueness); receivers a
 * replay window per KID (§9.3). A KID is either for sending or for receiving, never both (§4.4.1).
 */
import type { Bytes } from './bytes.js';
import { deriveSFrameKey, sframeDecrypt, sframeEncrypt } from './crypto.js';
import type { SFrameKey } from './crypto.js';
import { SFrameError } from './errors.js';
import { decodeHeader, MAX_UINT64, toUint64 } from './header.js';
import { DEFAULT_REPLAY_WINDOW, ReplayWindow } from './replay.js';
import { cipherSuite, PARLEY_CIPHER_SUITE } from './suites.js';
import type { CipherSuiteParams } from './suites.js';

export interface SFrameContextOptions {
  /** Cipher suite for keys added without one (default: suite 4, AES_128_GCM_SHA256_128). */
  readonly suite?: number;
  /** Receive replay window in CTRs per KID (default 128). */
  readonly replayWindow?: number;
}

export interface AddKeyOptions {
  /** This key's cipher suite, if not the context's (RFC 9605 §4.5 allows one per stream). */
  readonly suite?: number;
}

export interface AddSendKeyOptions extends AddKeyOptions {
  /**
   * First CTR to use, for a context restored from storage (§9.1). It can only move the counter
   * forward: the context never reuses a CTR it handed out for this KID.
   */
  readonly initialCounter?: bigint | number;
}

export interface DecryptResult {
  readonly kid: bigint;
  readonly ctr: bigint;
  readonly plaintext: Bytes;
}

/** What the header of a ciphertext says, for a KID this context can decrypt. */
export interface SFramePeek {
  readonly kid: bigint;
  readonly ctr: bigint;
  readonly headerLength: number;
  readonly tagLength: number;
}

export interface EncryptOptions {
  /** Bytes placed before the header in the output (not authenticated unless also in `metadata`). */
  readonly prepend?: Uint8Array;
}

interface ReceiveEntry {
  readonly key: SFrameKey;
  readonly window: ReplayWindow;
}

const EMPTY = new Uint8Array(0);

export class SFrameContext {
  readonly suite: CipherSuiteParams;
  readonly replayWindow: number;
  readonly #send = new Map<bigint, SFrameKey>();
  readonly #receive = new Map<bigint, ReceiveEntry>();
  /**
   * Next CTR per KID ever used for sending here. Kept after removeKey, so a KID added again (an MLS
   * epoch whose low bits wrap around, a repeated key message) continues its counter instead of
   * restarting at 0: a (key, nonce) pair can then never repeat within this context.
   */
  readonly #nextCtr = new Map<bigint, bigint>();

  constructor(options: SFrameContextOptions = {}) {
    this.suite = cipherSuite(options.suite ?? PARLEY_CIPHER_SUITE);
    this.replayWindow = options.replayWindow ?? DEFAULT_REPLAY_WINDOW;
    new ReplayWindow(this.replayWindow); // validates the size now rather than at the first key
  }

  /** Derives and imports the send key for `kid` (replacing one there, keeping its CTR). */
  async addSendKey(kid: bigint | number, baseKey: Uint8Array, options: AddSendKeyOptions = {}): Promise<void> {
    const k = toUint64(kid, 'KID');
    this.#refuseRole(k, this.#receive, 'receiving');
    const initial = options.initialCounter === undefined ? 0n : toUint64(options.initialCounter, 'initial CTR');
    const key = await deriveSFrameKey(this.#suiteOf(options), k, baseKey);
    this.#refuseRole(k, this.#receive, 'receiving');
    this.#send.set(k, key);
    const next = this.#nextCtr.get(k) ?? 0n;
    this.#nextCtr.set(k, next > initial ? next : initial);
  }

  /** Derives and imports the receive key for `kid`; a key already there is replaced, with a fresh replay window. */
  async addReceiveKey(kid: bigint | number, baseKey: Uint8Array, options: AddKeyOptions = {}): Promise<void> {
    const k = toUint64(kid, 'KID');
    this.#refuseRole(k, this.#send, 'sending');
    const key = await deriveSFrameKey(this.#suiteOf(options), k, baseKey);
    this.#refuseRole(k, this.#send, 'sending');
    this.#receive.set(k, { key, window: new ReplayWindow(this.replayWindow) });
  }

  /** Forgets the key for `kid` (either role); true if there was one. */
  removeKey(kid: bigint | number): boolean {
    const k = toUint64(kid, 'KID');
    const had = this.#send.delete(k);
    return this.#receive.delete(k) || had;
  }

  hasSendKey(kid: bigint | number): boolean {
    return this.#send.has(toUint64(kid, 'KID'));
  }

  hasReceiveKey(kid: bigint | number): boolean {
    return this.#receive.has(toUint64(kid, 'KID'));
  }

  /** KIDs with a receive key. */
  receiveKids(): bigint[] {
    return [...this.#receive.keys()];
  }

  /** The CTR the next encryption under `kid` will use, if it ever had a send key. */
  nextCounter(kid: bigint | number): bigint | undefined {
    return this.#nextCtr.get(toUint64(kid, 'KID'));
  }

  /**
   * Encrypts under the send key for `kid` with its next CTR: header + ciphertext (+ tag). The CTR is
   * taken before any await, so concurrent calls never share one; a failed call burns its CTR.
   */
  async encrypt(kid: bigint | number, plaintext: Uint8Array, metadata: Uint8Array = EMPTY, options: EncryptOptions = {}): Promise<Bytes> {
    const k = toUint64(kid, 'KID');
    const key = this.#send.get(k);
    if (!key) throw new SFrameError('no-send-key', `no send key for KID ${k}`);
    const ctr = this.#nextCtr.get(k) ?? 0n;
    if (ctr > MAX_UINT64) throw new SFrameError('counter-exhausted', `KID ${k} used every CTR`);
    this.#nextCtr.set(k, ctr + 1n);
    return sframeEncrypt(key, ctr, metadata, plaintext, options.prepend);
  }

  /**
   * Decrypts an SFrame ciphertext (header first) with `metadata` as the rest of the AAD. Refuses
   * (SFrameError) a bad header, an unknown KID, a replayed or too old CTR and any authentication
   * failure; only an authenticated frame moves the KID's replay window.
   */
  async decrypt(sframe: Uint8Array, metadata: Uint8Array = EMPTY): Promise<DecryptResult> {
    const header = decodeHeader(sframe);
    const entry = this.#receive.get(header.kid);
    if (!entry) throw new SFrameError('unknown-kid', `no receive key for KID ${header.kid}`);
    entry.window.check(header.ctr);
    const plaintext = await sframeDecrypt(entry.key, header, sframe, metadata);
    entry.window.accept(header.ctr);
    return { kid: header.kid, ctr: header.ctr, plaintext };
  }

  /** The header of `sframe` if it parses, names a receive key here and leaves room for the tag; else null. */
  peek(sframe: Uint8Array): SFramePeek | null {
    let header;
    try {
      header = decodeHeader(sframe);
    } catch {
      return null;
    }
    const entry = this.#receive.get(header.kid);
    if (!entry || sframe.length < header.length + entry.key.suite.nt) return null;
    return { kid: header.kid, ctr: header.ctr, headerLength: header.length, tagLength: entry.key.suite.nt };
  }

  #suiteOf(options: AddKeyOptions): CipherSuiteParams {
    return options.suite === undefined ? this.suite : cipherSuite(options.suite);
  }

  #refuseRole(kid: bigint, other: ReadonlyMap<bigint, unknown>, role: string): void {
    if (other.has(kid)) throw new SFrameError('key-role-conflict', `KID ${kid} is already a key for ${role}`);
  }
}
