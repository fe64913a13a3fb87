/**
 * `npm run parley -- audit <verify|export|public-key>`: the audit log from the server's shell.
 *   verify [--checkpoints FILE] [--public-key FILE]   the whole chain and every checkpoint; exit 1 naming the first bad record
 *   export [--from ISO] [--to ISO]                     JSON Lines (each record with its hash) on standard output
 *   public-key                                         the checkpoint signing key's public half (PEM)
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { z } from 'zod';
import type { ParleyConfig } from '../config.js';
import type { Db } from '../storage/db.js';
import { recordOfRow, type Checkpoint } from './chain.js';
import { keyFilePath, publicKeyFromPem } from './signing.js';
import { verifyStoredLog } from './status.js';

export const AUDIT_USAGE = 'usage: parley audit verify [--checkpoints FILE] [--public-key FILE] | audit export [--from ISO] [--to ISO] | audit public-key';

export interface AuditCliOptions {
  checkpoints?: string | undefined;
  publicKey?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const OffBoxCheckpoint = z.object({
  treeSize: z.number().int().min(0),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.number().int(),
  keyId: z.string().regex(/^[0-9a-f]{64}$/),
  signature: z.string().max(200),
});

/** The signing key file's public half, without creating the key (undefined when there is none). */
function serverPublicKey(config: ParleyConfig): KeyObject | undefined {
  try {
    return createPublicKey(createPrivateKey(readFileSync(keyFilePath(config.dataDir, config.auditKeyFile), 'utf8')));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

function readCheckpointFile(path: string): Checkpoint[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch {
        throw new Error(`${path} line ${i + 1}: not JSON`);
      }
      const parsed = OffBoxCheckpoint.safeParse(json);
      if (!parsed.success) throw new Error(`${path} line ${i + 1}: not a checkpoint`);
      return parsed.data;
    });
}

function isoMs(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`--${name}: not an ISO 8601 date or time`);
  return ms;
}

async function verify(db: Db, config: ParleyConfig, options: AuditCliOptions): Promise<number> {
  const publicKey = options.publicKey ? publicKeyFromPem(readFileSync(options.publicKey, 'utf8')) : serverPublicKey(config);
  const offBox = options.checkpoints ? readCheckpointFile(options.checkpoints) : [];
  const result = await verifyStoredLog(db, publicKey, offBox);
  const [first, ...more] = result.problems;
  if (!first) {
    const key = options.publicKey ? 'the given public key' : "the server's own key (pass --public-key with an off-box copy to rule out a replaced key)";
    console.log(`audit log OK: ${result.records} records, head ${result.head}, ${result.checkpoints} checkpoint(s) verified under ${key}`);
    return 0;
  }
  console.error(first.message);
  for (const problem of more.slice(0, 20)) console.error(`also: ${problem.message}`);
  console.error(`audit log NOT verified (${result.records} records).`);
  return 1;
}

async function exportLines(db: Db, options: AuditCliOptions): Promise<number> {
  const from = isoMs(options.from, 'from');
  const to = isoMs(options.to, 'to');
  let after = Number.MIN_SAFE_INTEGER;
  for (;;) {
    let query = db.selectFrom('audit_events').selectAll().where('seq', '>', after);
    if (from !== undefined) query = query.where('at', '>=', from);
    if (to !== undefined) query = query.where('at', '<=', to);
    const rows = await query.orderBy('seq').limit(1000).execute();
    for (const row of rows) {
      const record = recordOfRow(row);
      const line = 'problem' in record ? { seq: row.seq, at: row.at, action: row.action, detailsText: row.details, hash: row.hash, problem: record.problem } : record;
      if (!process.stdout.write(`${JSON.stringify(line)}\n`)) await once(process.stdout, 'drain');
    }
    const last = rows.at(-1);
    if (!last) return 0;
    after = last.seq;
  }
}

export async function auditCommand(sub: string | undefined, options: AuditCliOptions, config: ParleyConfig, openDb: () => Promise<Db>): Promise<number> {
  if (sub === 'public-key') {
    const key = options.publicKey ? publicKeyFromPem(readFileSync(options.publicKey, 'utf8')) : serverPublicKey(config);
    if (!key) {
      console.error('no audit signing key yet: it is created when the server first starts');
      return 1;
    }
    process.stdout.write(key.export({ type: 'spki', format: 'pem' }).toString());
    return 0;
  }
  if (sub !== 'verify' && sub !== 'export') {
    console.error(AUDIT_USAGE);
    return 2;
  }
  const db = await openDb();
  try {
    return sub === 'verify' ? await verify(db, config, options) : await exportLines(db, options);
  } finally {
    await db.destroy();
  }
}
