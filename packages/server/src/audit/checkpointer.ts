/**
 * Signs checkpoints over the audit chain: every `every` events, every `intervalMs` when there were
 * new events, and on close. Each is stored in audit_checkpoints and, when configured, pushed off the
 * box: appended as a JSON line to a file the operator mounts elsewhere and/or POSTed to an HTTPS URL.
 * A push that fails is logged and retried with the next checkpoint; nothing here blocks an append.
 */
import { appendFile } from 'node:fs/promises';
import type { Checkpoint } from './chain.js';
import type { CheckpointSigner } from './signing.js';
import type { AuditHead, AuditLog } from '../storage/audit.js';
import type { Db } from '../storage/db.js';

export interface CheckpointerOptions {
  every?: number;
  intervalMs?: number;
  /** Append each checkpoint as a JSON line here. */
  file?: string | undefined;
  /** POST each checkpoint (JSON) here. */
  url?: string | undefined;
  warn: (err: unknown, message: string) => void;
  now?: () => number;
}

/** Checkpoints not yet accepted by the URL, oldest dropped first beyond this. */
const MAX_UNSENT = 100;
const POST_TIMEOUT_MS = 10_000;

export function checkpointOfRow(row: { tree_size: number; head_hash: string; at: number; key_id: string; signature: string }): Checkpoint {
  return { treeSize: row.tree_size, headHash: row.head_hash, at: row.at, keyId: row.key_id, signature: row.signature };
}

export class Checkpointer {
  readonly #db: Db;
  readonly #audit: AuditLog;
  readonly #signer: CheckpointSigner;
  readonly #options: CheckpointerOptions;
  readonly #every: number;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;
  readonly #unsubscribe: () => void;
  readonly #unsent: Checkpoint[] = [];
  /** The head the last checkpoint covered, and when it was signed. */
  #covered = 0;
  #lastAt: number | undefined;
  /** When the oldest record no checkpoint covers was appended. */
  #uncoveredSince: number | undefined;
  #since = 0;
  #writing: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(db: Db, audit: AuditLog, signer: CheckpointSigner, options: CheckpointerOptions) {
    this.#db = db;
    this.#audit = audit;
    this.#signer = signer;
    this.#options = options;
    this.#every = options.every ?? 100;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = audit.onAppended((record) => {
      this.#uncoveredSince ??= record.at;
      this.#since += 1;
      if (this.#since >= this.#every) {
        this.#since = 0;
        this.#enqueue({ seq: record.seq, hash: record.hash });
      }
    });
    this.#timer = setInterval(() => this.#enqueue(undefined), options.intervalMs ?? 5 * 60_000);
    this.#timer.unref();
  }

  static async open(db: Db, audit: AuditLog, signer: CheckpointSigner, options: CheckpointerOptions): Promise<Checkpointer> {
    const checkpointer = new Checkpointer(db, audit, signer, options);
    const last = await db.selectFrom('audit_checkpoints').select(['tree_size', 'at']).orderBy('id', 'desc').limit(1).executeTakeFirst();
    checkpointer.#covered = last?.tree_size ?? 0;
    checkpointer.#lastAt = last?.at;
    const head = await audit.head();
    // Events from before this start that no checkpoint covers (an unclean stop): sign them now.
    if (head.seq > checkpointer.#covered) {
      checkpointer.#uncoveredSince = checkpointer.#now();
      checkpointer.#enqueue(head);
    }
    return checkpointer;
  }

  /**
   * Seconds since the last checkpoint while records exist that it does not cover; 0 when the last
   * checkpoint covers the whole log (an idle server needs none).
   */
  ageSeconds(): number {
    if (this.#uncoveredSince === undefined) return 0;
    return Math.max(0, (this.#now() - (this.#lastAt ?? this.#uncoveredSince)) / 1000);
  }

  /** Waits for checkpoints being written. */
  flush(): Promise<void> {
    return this.#writing;
  }

  /** A last checkpoint over everything appended, then stops. Close the audit log's writers first. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#timer);
    this.#unsubscribe();
    this.#enqueue(undefined, true);
    await this.#writing;
  }

  /** Signs `head` (or the log's current head) after the checkpoints already queued. */
  #enqueue(head: AuditHead | undefined, closing = false): void {
    if (this.#closed && !closing) return;
    this.#writing = this.#writing
      .then(() => this.#checkpoint(head))
      .catch((err: unknown) => this.#options.warn(err, 'audit checkpoint failed'));
  }

  async #checkpoint(given: AuditHead | undefined): Promise<void> {
    const head = given ?? (await this.#audit.head());
    if (head.seq <= this.#covered) return;
    const checkpoint = this.#signer.sign(head.seq, head.hash, this.#now());
    await this.#db
      .insertInto('audit_checkpoints')
      .values({ tree_size: checkpoint.treeSize, head_hash: checkpoint.headHash, at: checkpoint.at, key_id: checkpoint.keyId, signature: checkpoint.signature })
      .execute();
    this.#covered = head.seq;
    this.#lastAt = checkpoint.at;
    const current = await this.#audit.head();
    this.#uncoveredSince = current.seq > head.seq ? checkpoint.at : undefined;
    await this.#push(checkpoint);
  }

  async #push(checkpoint: Checkpoint): Promise<void> {
    const line = `${JSON.stringify(checkpoint)}\n`;
    if (this.#options.file) {
      await appendFile(this.#options.file, line, { mode: 0o600 }).catch((err: unknown) => this.#options.warn(err, 'could not append the audit checkpoint to PARLEY_AUDIT_CHECKPOINT_FILE'));
    }
    const url = this.#options.url;
    if (!url) return;
    this.#unsent.push(checkpoint);
    if (this.#unsent.length > MAX_UNSENT) this.#unsent.shift();
    while (this.#unsent.length > 0) {
      const next = this.#unsent[0];
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(next),
          redirect: 'error',
          signal: AbortSignal.timeout(POST_TIMEOUT_MS),
        });
        await res.body?.cancel();
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      } catch (err) {
        this.#options.warn(err, `could not POST audit checkpoints to PARLEY_AUDIT_CHECKPOINT_URL; ${this.#unsent.length} will be retried with the next checkpoint`);
        return;
      }
      this.#unsent.shift();
    }
  }
}
