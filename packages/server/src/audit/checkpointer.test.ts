import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AuditLog } from '../storage/audit.js';
import { openDatabase, type Db } from '../storage/db.js';
import { eventually } from '../test-support/media-peer.js';
import { Checkpointer } from './checkpointer.js';
import { CheckpointSigner, signatureProblem } from './signing.js';
import { verifyStoredLog } from './status.js';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function fixture(): Promise<{ db: Db; audit: AuditLog; signer: CheckpointSigner; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'parley-checkpointer-'));
  dirs.push(dir);
  const db = await openDatabase(dir);
  return { db, audit: new AuditLog(db), signer: new CheckpointSigner(generateKeyPairSync('ed25519').privateKey), dir };
}

const sizes = async (db: Db): Promise<number[]> => (await db.selectFrom('audit_checkpoints').select('tree_size').orderBy('id').execute()).map((r) => r.tree_size);

describe('Checkpointer', () => {
  it('signs every N events, and once more at close over the rest', async () => {
    const { db, audit, signer, dir } = await fixture();
    const file = join(dir, 'offbox.jsonl');
    const checkpointer = await Checkpointer.open(db, audit, signer, { every: 5, intervalMs: 3_600_000, file, warn: () => {} });
    for (let i = 0; i < 12; i += 1) await audit.append({ action: 'test.n', details: { i } });
    await checkpointer.flush();
    assert.deepEqual(await sizes(db), [5, 10]);
    await checkpointer.close();
    assert.deepEqual(await sizes(db), [5, 10, 12]);
    const offBox = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Parameters<typeof signatureProblem>[0]);
    assert.deepEqual(offBox.map((c) => c.treeSize), [5, 10, 12]);
    for (const c of offBox) assert.equal(signatureProblem(c, signer.publicKey), undefined);
    assert.deepEqual((await verifyStoredLog(db, signer.publicKey, offBox)).problems, []);
    await db.destroy();
  });

  it('signs on the interval only when there were new events, and reports its age', async () => {
    const { db, audit, signer } = await fixture();
    let now = 1_000_000;
    const checkpointer = await Checkpointer.open(db, audit, signer, { every: 1000, intervalMs: 20, warn: () => {}, now: () => now });
    assert.equal(checkpointer.ageSeconds(), 0, 'an empty log needs no checkpoint');
    await audit.append({ action: 'test.interval' });
    now += 30_000;
    await eventually(async () => (await sizes(db)).length === 1, 'a checkpoint from the interval');
    await checkpointer.flush();
    assert.equal(checkpointer.ageSeconds(), 0, 'the checkpoint covers the whole log');
    await audit.append({ action: 'test.interval' });
    now += 7_000;
    assert.equal(checkpointer.ageSeconds(), 7);
    await eventually(async () => (await sizes(db)).length === 2, 'a second checkpoint');
    // Idle: intervals pass and no checkpoint is signed over nothing new.
    const seen = (await sizes(db)).length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal((await sizes(db)).length, seen);
    await checkpointer.close();
    assert.equal((await sizes(db)).length, seen, 'nothing new to sign at close');
    await db.destroy();
  });

  it('at start, signs what an unclean stop left uncovered', async () => {
    const { db, audit, signer } = await fixture();
    for (let i = 0; i < 3; i += 1) await audit.append({ action: 'test.before' });
    const checkpointer = await Checkpointer.open(db, audit, signer, { every: 100, intervalMs: 3_600_000, warn: () => {} });
    await checkpointer.flush();
    assert.deepEqual(await sizes(db), [3]);
    await checkpointer.close();
    await db.destroy();
  });
});
