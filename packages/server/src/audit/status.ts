/**
 * Verifying the stored audit log: the whole chain, read in batches (yielding to the event loop
 * between them, so a large log does not stall the server), held against every stored checkpoint
 * and, when given, the checkpoints kept off the box. `auditStatus` is what the API and the posture
 * report show.
 */
import type { KeyObject } from 'node:crypto';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { ChainVerifier, GENESIS, type ChainProblem, type Checkpoint, type CheckpointClaim } from './chain.js';
import { checkpointOfRow } from './checkpointer.js';
import { signatureProblem } from './signing.js';
import type { Db } from '../storage/db.js';

const BATCH = 2000;

export interface VerifyResult {
  /** Records in the log. */
  records: number;
  /** The hash of the last record that verified. */
  head: string;
  /** Checkpoints checked (stored and off-box). */
  checkpoints: number;
  lastCheckpoint: { treeSize: number; at: number } | null;
  problems: ChainProblem[];
}

export interface AuditStatus {
  records: number;
  head: string;
  lastCheckpoint: { treeSize: number; at: number } | null;
  verified: boolean;
  firstProblem: string | null;
}

/** Checkpoints as claims about the chain, after checking each one's signature. */
function claimsOf(checkpoints: readonly { label: string; checkpoint: Checkpoint }[], publicKey: KeyObject | undefined, problems: ChainProblem[]): CheckpointClaim[] {
  const claims: CheckpointClaim[] = [];
  for (const { label, checkpoint } of checkpoints) {
    const problem = publicKey ? signatureProblem(checkpoint, publicKey) : 'no public key to check it with';
    if (problem) problems.push({ checkpoint: label, message: `${label}: ${problem}` });
    else claims.push({ label, treeSize: checkpoint.treeSize, headHash: checkpoint.headHash });
  }
  return claims;
}

/** Walks the whole log and every checkpoint. `offBox`: checkpoints read from the operator's copy. */
export async function verifyStoredLog(db: Db, publicKey: KeyObject | undefined, offBox: readonly Checkpoint[] = []): Promise<VerifyResult> {
  const stored = (await db.selectFrom('audit_checkpoints').selectAll().orderBy('id').execute()).map(checkpointOfRow);
  const labelled = [
    ...stored.map((checkpoint, i) => ({ label: `checkpoint ${i + 1}`, checkpoint })),
    ...offBox.map((checkpoint, i) => ({ label: `off-box checkpoint ${i + 1}`, checkpoint })),
  ];
  const signatureProblems: ChainProblem[] = [];
  const verifier = new ChainVerifier(claimsOf(labelled, publicKey, signatureProblems));
  const count = await db.selectFrom('audit_events').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>', after).orderBy('seq').limit(BATCH).execute();
    for (const row of rows) verifier.push(row);
    const last = rows.at(-1);
    if (!last || !verifier.intact || rows.length < BATCH) break;
    after = last.seq;
    await yieldToEventLoop();
  }
  const last = stored.at(-1);
  return {
    records: Number(count.n),
    head: verifier.records > 0 ? verifier.head : GENESIS,
    checkpoints: labelled.length,
    lastCheckpoint: last ? { treeSize: last.treeSize, at: last.at } : null,
    problems: [...verifier.finish(), ...signatureProblems],
  };
}

/** The audit log's state for the API and the posture report: does the chain verify, and the first problem if not. */
export async function auditStatus(db: Db, publicKey: KeyObject): Promise<AuditStatus> {
  const result = await verifyStoredLog(db, publicKey);
  return {
    records: result.records,
    head: result.head,
    lastCheckpoint: result.lastCheckpoint,
    verified: result.problems.length === 0,
    firstProblem: result.problems[0]?.message ?? null,
  };
}
