/**
 * The append-only audit log's one writer. Every security decision lands here, chained to the one
 * before it (audit/chain.ts). Appends go through one queue, so two concurrent appends never fork
 * the chain; the head (last seq and hash) is read from the database before the first append.
 * On PostgreSQL other processes and nodes append to the same chain: each append is a transaction that
 * takes the chain's advisory lock, reads the head and inserts after it (storage/dialect.ts).
 */
import { chainHash, GENESIS, type StoredRecord } from '../audit/chain.js';
import { ActionQueue } from '../util/action-queue.js';
import type { Db } from './db.js';
import { engineOf, isPrimaryKeyConflict, lockForTransaction } from './dialect.js';

export interface AuditEvent {
  meetingId?: string | null;
  actor?: string | null;
  action: string;
  target?: string | null;
  clientAddress?: string | null;
  details?: Record<string, unknown>;
}

/** The chain's head: how many records, and the last one's hash. */
export interface AuditHead {
  seq: number;
  hash: string;
}

/** Told of every record once it is stored (checkpoints, forwarding). Must not throw or block. */
export type AppendListener = (record: StoredRecord & { hash: string }) => void;

/** How many times an append re-reads the head after another process took its seq. */
const MAX_CONFLICTS = 5;

function isSeqConflict(err: unknown): boolean {
  return isPrimaryKeyConflict(err, 'audit_events');
}

/** The stored head as `db` (the database, or a transaction holding the chain's lock) sees it. */
async function readHead(db: Db): Promise<AuditHead> {
  const last = await db.selectFrom('audit_events').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return last ? { seq: last.seq, hash: last.hash ?? GENESIS } : { seq: 0, hash: GENESIS };
}

export class AuditLog {
  readonly #db: Db;
  readonly #queue = new ActionQueue();
  readonly #listeners = new Set<AppendListener>();
  #head: AuditHead | undefined;
  readonly #now: () => number;
  readonly #postgres: boolean;

  /** `now` stamps each record's `at` (tests give a clock of their own). */
  constructor(db: Db, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
    this.#postgres = engineOf(db) === 'postgres';
  }

  /** Hears of each stored record; returns the unsubscribe. */
  onAppended(listener: AppendListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  append(event: AuditEvent): Promise<void> {
    return this.#queue.push(() => this.#write(event));
  }

  /** The head as of the last append (read from the database if nothing was appended yet). */
  head(): Promise<AuditHead> {
    return this.#queue.push(() => this.#currentHead());
  }

  /** Waits for queued appends; refuses new ones. */
  close(): Promise<void> {
    return this.#queue.close();
  }

  async forMeeting(meetingId: string): Promise<{ action: string; actor: string | null; details: string }[]> {
    return this.#db
      .selectFrom('audit_events')
      .select(['action', 'actor', 'details'])
      .where('meeting_id', '=', meetingId)
      .orderBy('seq')
      .execute();
  }

  async #currentHead(): Promise<AuditHead> {
    this.#head ??= await this.#readHead();
    return this.#head;
  }

  async #readHead(): Promise<AuditHead> {
    return readHead(this.#db);
  }

  async #write(event: AuditEvent): Promise<void> {
    const details = event.details ?? {};
    // Stored as text and chained as parsed JSON: the round trip makes the two agree exactly.
    const detailsText = JSON.stringify(details);
    for (let attempt = 0; ; attempt += 1) {
      let stored: StoredRecord & { hash: string };
      try {
        stored = this.#postgres
          ? await this.#db.transaction().execute(async (trx) => {
              await lockForTransaction(trx, 'auditChain');
              return this.#insertAfter(trx, await readHead(trx), event, detailsText);
            })
          : await this.#insertAfter(this.#db, await this.#currentHead(), event, detailsText);
      } catch (err) {
        if (!isSeqConflict(err) || attempt >= MAX_CONFLICTS) throw err;
        this.#head = await this.#readHead();
        continue;
      }
      this.#head = { seq: stored.seq, hash: stored.hash };
      for (const listener of this.#listeners) listener(stored);
      return;
    }
  }

  /** Inserts `event` as the record after `head`; a seq conflict (another writer was first) rejects. */
  async #insertAfter(db: Db, head: AuditHead, event: AuditEvent, detailsText: string): Promise<StoredRecord & { hash: string }> {
    const record = {
      seq: head.seq + 1,
      at: this.#now(),
      meetingId: event.meetingId ?? null,
      actor: event.actor ?? null,
      action: event.action,
      target: event.target ?? null,
      clientAddress: event.clientAddress ?? null,
      details: JSON.parse(detailsText) as unknown,
    };
    const hash = chainHash(head.hash, record);
    // The explicit seq is a compare-and-swap on the head: the primary key lets only one writer
    // take seq n+1, so another process appending to the same SQLite file (the CLI) makes this
    // insert fail rather than fork the chain; then the head is re-read and the record re-chained.
    // On PostgreSQL the chain's lock (see #write) keeps Parley's writers from ever conflicting here.
    await db
      .insertInto('audit_events')
      .values({
        seq: record.seq,
        at: record.at,
        meeting_id: record.meetingId,
        actor: record.actor,
        action: record.action,
        target: record.target,
        client_address: record.clientAddress,
        details: detailsText,
        hash,
      })
      .execute();
    return { ...record, hash };
  }
}
