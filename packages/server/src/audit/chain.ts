/**
 * The audit log's hash chain, as pure functions: what a record's hash is, and checking a stored
 * chain (and the signed checkpoints over it) record by record. No I/O: storage feeds rows in.
 *
 *   hash_0 = GENESIS (32 zero bytes)
 *   hash_n = SHA-256(hash_{n-1} bytes || JCS(record_n))
 *
 * where JCS is RFC 8785 canonical JSON of {seq, at, meetingId, actor, action, target, clientAddress,
 * details}. The seq is inside the hash, so a swapped, missing or repeated seq breaks the chain.
 */
import { createHash } from 'node:crypto';
import canonicalize from 'canonicalize';

/** The hash before the first record. */
export const GENESIS = '0'.repeat(64);

/** One audit event as the chain sees it (details already parsed from their stored JSON). */
export interface ChainRecord {
  seq: number;
  at: number;
  meetingId: string | null;
  actor: string | null;
  action: string;
  target: string | null;
  clientAddress: string | null;
  details: unknown;
}

/** A record as stored: its fields and the hash written with it. */
export interface StoredRecord extends ChainRecord {
  hash: string | null;
}

/** A row of audit_events as the database returns it. */
export interface AuditRow {
  seq: number;
  at: number;
  meeting_id: string | null;
  actor: string | null;
  action: string;
  target: string | null;
  client_address: string | null;
  details: string;
  hash: string | null;
}

/** RFC 8785 canonical JSON of the record's fields (and only those). */
export function canonicalRecord(record: ChainRecord): string {
  const { seq, at, meetingId, actor, action, target, clientAddress, details } = record;
  const text = canonicalize({ seq, at, meetingId, actor, action, target, clientAddress, details });
  if (text === undefined) throw new Error('audit record cannot be canonicalized');
  return text;
}

/** hash_n from hash_{n-1} and record n. */
export function chainHash(previous: string, record: ChainRecord): string {
  return createHash('sha256').update(Buffer.from(previous, 'hex')).update(canonicalRecord(record), 'utf8').digest('hex');
}

/** A stored row as a chain record; a `details` that is not JSON is reported, not thrown. */
export function recordOfRow(row: AuditRow): StoredRecord | { seq: number; problem: string } {
  let details: unknown;
  try {
    details = JSON.parse(row.details);
  } catch {
    return { seq: row.seq, problem: 'details are not valid JSON (edited)' };
  }
  return {
    seq: row.seq,
    at: row.at,
    meetingId: row.meeting_id,
    actor: row.actor,
    action: row.action,
    target: row.target,
    clientAddress: row.client_address,
    details,
    hash: row.hash,
  };
}

/** A signed statement: "the log had `treeSize` records and its head was `headHash`". */
export interface Checkpoint {
  treeSize: number;
  headHash: string;
  at: number;
  keyId: string;
  /** Ed25519 over checkpointMessage(...), base64. */
  signature: string;
}

/** One thing wrong, in words an operator can act on. */
export interface ChainProblem {
  /** The first bad record's seq, when the problem is a record. */
  seq?: number;
  /** Which checkpoint ("checkpoint 3", "off-box checkpoint 2"), when the problem is one. */
  checkpoint?: string;
  message: string;
}

/** A checkpoint to hold the chain against, already checked for its signature by the caller. */
export interface CheckpointClaim {
  label: string;
  treeSize: number;
  headHash: string;
}

/**
 * Walks a chain one record at a time (so callers can batch and yield between batches) and holds it
 * against checkpoints. After the first bad record nothing later is trusted, so it stops there.
 */
export class ChainVerifier {
  readonly #claims = new Map<number, CheckpointClaim[]>();
  readonly #allClaims: CheckpointClaim[];
  #hash = GENESIS;
  #records = 0;
  #broken: ChainProblem | undefined;
  readonly #checkpointProblems: ChainProblem[] = [];

  constructor(claims: readonly CheckpointClaim[] = []) {
    this.#allClaims = [...claims];
    for (const claim of claims) {
      const list = this.#claims.get(claim.treeSize) ?? [];
      list.push(claim);
      this.#claims.set(claim.treeSize, list);
    }
  }

  /** Records verified so far (the log's good prefix). */
  get records(): number {
    return this.#records;
  }

  /** The hash of the good prefix. */
  get head(): string {
    return this.#hash;
  }

  /** False once a bad record was seen: later rows are ignored. */
  get intact(): boolean {
    return this.#broken === undefined;
  }

  /** The next stored row, in seq order. */
  push(row: AuditRow): void {
    if (this.#broken) return;
    const expected = this.#records + 1;
    const record = recordOfRow(row);
    if ('problem' in record) {
      this.#broken = { seq: row.seq, message: `record ${row.seq}: ${record.problem}` };
      return;
    }
    if (row.seq !== expected) {
      this.#broken =
        row.seq > expected
          ? { seq: expected, message: `record ${expected}: missing (deleted); the log goes on at record ${row.seq}` }
          : { seq: row.seq, message: `record ${row.seq}: out of order after record ${this.#records}` };
      return;
    }
    if (record.hash === null) {
      this.#broken = { seq: row.seq, message: `record ${row.seq}: no hash` };
      return;
    }
    const hash = chainHash(this.#hash, record);
    if (hash !== record.hash) {
      this.#broken = { seq: row.seq, message: `record ${row.seq}: hash mismatch (edited, deleted or reordered)` };
      return;
    }
    this.#hash = hash;
    this.#records = expected;
    for (const claim of this.#claims.get(expected) ?? []) {
      if (claim.headHash !== hash) {
        this.#checkpointProblems.push({
          checkpoint: claim.label,
          message: `${claim.label}: its signed head differs from the log at ${claim.treeSize} records (records up to ${claim.treeSize} were rewritten)`,
        });
      }
    }
  }

  /** Everything wrong, the first bad record first. Empty: the chain and every checkpoint hold. */
  finish(): ChainProblem[] {
    const problems: ChainProblem[] = [];
    if (this.#broken) problems.push(this.#broken);
    problems.push(...this.#checkpointProblems);
    if (this.#broken) return problems;
    const genesisClaims = this.#claims.get(0) ?? [];
    for (const claim of genesisClaims) {
      if (claim.headHash !== GENESIS) problems.push({ checkpoint: claim.label, message: `${claim.label}: an empty log with a head that is not the genesis` });
    }
    for (const claim of this.#allClaims) {
      if (claim.treeSize > this.#records) {
        problems.push({ checkpoint: claim.label, message: `truncated: ${claim.label} covers ${claim.treeSize} records, log has ${this.#records}` });
      }
    }
    return problems;
  }
}

/** Verifies rows (in seq order) against checkpoint claims in one go; see ChainVerifier. */
export function verifyChain(rows: Iterable<AuditRow>, claims: readonly CheckpointClaim[] = []): { records: number; head: string; problems: ChainProblem[] } {
  const verifier = new ChainVerifier(claims);
  for (const row of rows) {
    verifier.push(row);
    if (!verifier.intact) break;
  }
  return { records: verifier.records, head: verifier.head, problems: verifier.finish() };
}
