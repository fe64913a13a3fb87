/**
 * Tampering with a real log, then asking the real CLI: a copy of the database (the SQLite file, or a
 * PostgreSQL database) is opened behind the server's back, its append-only triggers dropped, rows
 * edited, deleted, reordered or truncated, and `parley audit verify` (a child process) must exit 1
 * naming the first bad record.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cloneTestDatabase, DISABLE_AUDIT_TRIGGERS, rawQuery, rawStatement, TEST_ENGINE, type TestDatabase } from '../test-support/database.js';
import { startTestServer } from '../test-support/server.js';

const CLI = fileURLToPath(new URL('../cli.ts', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(database: TestDatabase, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', CLI, 'audit', ...args],
      { env: { ...process.env, ...database.env }, timeout: 120_000 },
      (err, stdout, stderr) => resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });
}

let pristine: TestDatabase;
let offBoxFile: string;
let records: number;
const scratch: string[] = [];
const databases: TestDatabase[] = [];

/** A copy of the untouched log, tampered with by the SQL `tamper` (triggers dropped first). */
async function tampered(tamper: string): Promise<TestDatabase> {
  const copy = await cloneTestDatabase(pristine);
  databases.push(copy);
  await rawStatement(copy, `${DISABLE_AUDIT_TRIGGERS} ${tamper}`);
  return copy;
}

describe(`parley audit verify on a tampered log (${TEST_ENGINE})`, () => {
  before(async () => {
    const box = mkdtempSync(join(tmpdir(), 'parley-offbox-'));
    scratch.push(box);
    offBoxFile = join(box, 'checkpoints.jsonl');
    const server = await startTestServer({ auditCheckpointEvery: 4, auditCheckpointFile: offBoxFile });
    for (let i = 0; i < 5; i += 1) await server.createUser(`person${i}@parley.test`);
    // The server's own close (not the test wrapper's): it signs a last checkpoint and keeps the files.
    await server.server.close();
    pristine = server.database;
    databases.push(pristine);
    records = (await rawQuery<{ n: number }>(pristine, 'SELECT CAST(count(*) AS INTEGER) AS n FROM audit_events'))[0]?.n ?? 0;
    assert.ok(records >= 10, `only ${records} records`);
  });
  after(async () => {
    for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
    for (const database of databases) await database.drop();
  });

  it('passes an untouched log, with the off-box copy too', async () => {
    const run = await cli(pristine, 'verify', '--checkpoints', offBoxFile);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, new RegExp(`^audit log OK: ${records} records, head [0-9a-f]{64}, \\d+ checkpoint\\(s\\) verified`));
  });

  it('names an edited record', async () => {
    const run = await cli(await tampered("UPDATE audit_events SET actor = 'mallory' WHERE seq = 5"), 'verify');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^record 5: hash mismatch \(edited, deleted or reordered\)\n/);
    console.log(`edit:\n${run.stderr}`);
  });

  it('names a record whose one byte of details was flipped', async () => {
    const dir = await tampered("UPDATE audit_events SET details = replace(details, 'admin', 'admio') WHERE seq = 1");
    const run = await cli(dir, 'verify');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^record 1: hash mismatch/);
  });

  it('names a deleted record', async () => {
    const run = await cli(await tampered('DELETE FROM audit_events WHERE seq = 6'), 'verify');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^record 6: missing \(deleted\); the log goes on at record 7\n/);
    console.log(`delete:\n${run.stderr}`);
  });

  it('names the first of two reordered records (swapped seq values)', async () => {
    const dir = await tampered('UPDATE audit_events SET seq = -1 WHERE seq = 7; UPDATE audit_events SET seq = 7 WHERE seq = 8; UPDATE audit_events SET seq = 8 WHERE seq = -1;');
    const run = await cli(dir, 'verify');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^record 7: hash mismatch \(edited, deleted or reordered\)\n/);
    console.log(`reorder:\n${run.stderr}`);
  });

  it('catches a truncation by the last checkpoint', async () => {
    const dir = await tampered(`DELETE FROM audit_events WHERE seq > ${records - 3}`);
    const run = await cli(dir, 'verify');
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^truncated: checkpoint \\d+ covers ${records} records, log has ${records - 3}\\n`));
    console.log(`truncate:\n${run.stderr}`);
  });

  it('catches a truncation whose checkpoints were deleted too, with the off-box copy only', async () => {
    const dir = await tampered(`DELETE FROM audit_events WHERE seq > ${records - 3}; DELETE FROM audit_checkpoints;`);
    const alone = await cli(dir, 'verify');
    assert.equal(alone.code, 0, 'without the off-box copy, a truncated log with no checkpoints looks whole');
    const run = await cli(dir, 'verify', '--checkpoints', offBoxFile);
    assert.equal(run.code, 1);
    assert.match(run.stderr, new RegExp(`^truncated: off-box checkpoint \\d+ covers ${records} records, log has ${records - 3}\\n`));
  });

  it('names a checkpoint whose signature was altered', async () => {
    const dir = await tampered('UPDATE audit_checkpoints SET tree_size = tree_size - 1 WHERE id = 2');
    const run = await cli(dir, 'verify');
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^checkpoint 2: bad signature\n/);
  });

  it('refuses checkpoints under a key that is not the one given', async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'parley-key-')), 'other.pem');
    scratch.push(join(keyFile, '..'));
    writeFileSync(keyFile, generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }));
    const run = await cli(pristine, 'verify', '--public-key', keyFile);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /^checkpoint 1: signed by another key\n/);
  });

  it('prints the public key, and verifies with it', async () => {
    const key = await cli(pristine, 'public-key');
    assert.equal(key.code, 0, key.stderr);
    assert.match(key.stdout, /^-----BEGIN PUBLIC KEY-----\n/);
    assert.doesNotMatch(key.stdout, /PRIVATE/);
    const keyFile = join(mkdtempSync(join(tmpdir(), 'parley-key-')), 'pub.pem');
    scratch.push(join(keyFile, '..'));
    writeFileSync(keyFile, key.stdout);
    const run = await cli(pristine, 'verify', '--public-key', keyFile);
    assert.equal(run.code, 0, run.stderr);
  });

  it('exports every record with its hash as JSON Lines, filtered by time', async () => {
    const run = await cli(pristine, 'export');
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { seq: number; at: number; hash: string; action: string });
    assert.equal(lines.length, records);
    assert.deepEqual(lines.map((l) => l.seq), Array.from({ length: records }, (_, i) => i + 1));
    for (const line of lines) assert.match(line.hash, /^[0-9a-f]{64}$/);
    const middle = lines[Math.floor(records / 2)];
    assert.ok(middle);
    const from = await cli(pristine, 'export', '--from', new Date(middle.at).toISOString());
    const fromLines = from.stdout.trim().split('\n').map((l) => JSON.parse(l) as { at: number });
    assert.ok(fromLines.length < records && fromLines.length > 0);
    assert.ok(fromLines.every((l) => l.at >= middle.at));
    assert.equal(readFileSync(offBoxFile, 'utf8').trim().split('\n').length > 0, true);
  });
});
