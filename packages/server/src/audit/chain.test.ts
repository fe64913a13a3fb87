import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalRecord, chainHash, GENESIS, verifyChain, type AuditRow, type CheckpointClaim } from './chain.js';

/** A well-formed chain of `n` rows, as the writer stores them. */
function chain(n: number): AuditRow[] {
  const rows: AuditRow[] = [];
  let previous = GENESIS;
  for (let seq = 1; seq <= n; seq += 1) {
    const row = {
      seq,
      at: 1_700_000_000_000 + seq,
      meeting_id: seq % 2 ? 'abc-defg-hij' : null,
      actor: `user-${seq % 3}`,
      action: seq % 5 ? 'signin' : 'meeting.join.denied',
      target: null,
      client_address: '192.0.2.7',
      details: JSON.stringify({ n: seq, note: 'é "quoted"' }),
      hash: null as string | null,
    };
    previous = chainHash(previous, { seq, at: row.at, meetingId: row.meeting_id, actor: row.actor, action: row.action, target: null, clientAddress: row.client_address, details: JSON.parse(row.details) });
    row.hash = previous;
    rows.push(row);
  }
  return rows;
}

const claim = (rows: AuditRow[], treeSize: number, label = `checkpoint at ${treeSize}`): CheckpointClaim => ({ label, treeSize, headHash: rows[treeSize - 1]?.hash ?? GENESIS });

describe('audit chain', () => {
  it('hashes the previous hash bytes and the RFC 8785 form of the record', () => {
    const record = { seq: 1, at: 5, meetingId: null, actor: 'u', action: 'signin', target: null, clientAddress: null, details: { b: 1, a: [1e21, 0.1] } };
    // JCS: keys sorted by code unit, ECMAScript number forms.
    assert.equal(canonicalRecord(record), '{"action":"signin","actor":"u","at":5,"clientAddress":null,"details":{"a":[1e+21,0.1],"b":1},"meetingId":null,"seq":1,"target":null}');
    const expected = createHash('sha256').update(Buffer.alloc(32)).update(canonicalRecord(record)).digest('hex');
    assert.equal(chainHash(GENESIS, record), expected);
  });

  it('verifies an intact chain and its checkpoints', () => {
    const rows = chain(50);
    const result = verifyChain(rows, [claim(rows, 10), claim(rows, 50), { label: 'empty', treeSize: 0, headHash: GENESIS }]);
    assert.deepEqual(result.problems, []);
    assert.equal(result.records, 50);
    assert.equal(result.head, rows[49]?.hash);
  });

  it('names the first bad record when a byte is flipped', () => {
    const rows = chain(50);
    const row = rows[41];
    assert.ok(row);
    row.actor = 'user-X';
    const { problems } = verifyChain(rows, [claim(chain(50), 50)]);
    assert.equal(problems[0]?.seq, 42);
    assert.equal(problems[0]?.message, 'record 42: hash mismatch (edited, deleted or reordered)');
  });

  it('names a record whose details no longer parse', () => {
    const rows = chain(10);
    const row = rows[6];
    assert.ok(row);
    row.details = row.details.replace('{', '[');
    assert.equal(verifyChain(rows).problems[0]?.message, 'record 7: details are not valid JSON (edited)');
  });

  it('names the first missing record after a deletion', () => {
    const rows = chain(50).filter((r) => r.seq !== 20);
    const { problems } = verifyChain(rows);
    assert.equal(problems[0]?.seq, 20);
    assert.match(problems[0]?.message ?? '', /^record 20: missing \(deleted\)/);
  });

  it('names the first record of a reordering (swapped seq values)', () => {
    const rows = chain(50);
    const a = rows[29];
    const b = rows[30];
    assert.ok(a && b);
    [a.seq, b.seq] = [b.seq, a.seq];
    rows.sort((x, y) => x.seq - y.seq);
    const { problems } = verifyChain(rows);
    assert.equal(problems[0]?.message, 'record 30: hash mismatch (edited, deleted or reordered)');
  });

  it('catches a truncation a checkpoint covers, and says by how much', () => {
    const full = chain(50);
    const { problems } = verifyChain(full.slice(0, 45), [claim(full, 20, 'checkpoint 1'), claim(full, 50, 'checkpoint 2')]);
    assert.deepEqual(
      problems.map((p) => p.message),
      ['truncated: checkpoint 2 covers 50 records, log has 45'],
    );
  });

  it('catches a rewritten chain (every hash recomputed) by its checkpoint', () => {
    const signed = chain(30);
    const rewritten = chain(30).map((r) => ({ ...r }));
    const first = rewritten[4];
    assert.ok(first);
    first.actor = 'someone else';
    // The forger recomputes every hash from record 5 on: the chain is self-consistent again.
    let previous = rewritten[3]?.hash ?? GENESIS;
    for (const r of rewritten.slice(4)) {
      previous = chainHash(previous, { seq: r.seq, at: r.at, meetingId: r.meeting_id, actor: r.actor, action: r.action, target: r.target, clientAddress: r.client_address, details: JSON.parse(r.details) });
      r.hash = previous;
    }
    const { problems } = verifyChain(rewritten, [claim(signed, 3, 'checkpoint 1'), claim(signed, 30, 'checkpoint 2')]);
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /^checkpoint 2: its signed head differs from the log at 30 records/);
  });

  it('stops at the first bad record: nothing after it is trusted', () => {
    const rows = chain(10);
    const r3 = rows[2];
    const r8 = rows[7];
    assert.ok(r3 && r8);
    r3.action = 'other';
    r8.action = 'other';
    const full = chain(10);
    const { problems, records } = verifyChain(rows, [claim(full, 10)]);
    assert.equal(records, 2);
    assert.deepEqual(problems.map((p) => p.seq), [3]);
  });

  it('reports a row without a hash', () => {
    const rows = chain(3);
    const r2 = rows[1];
    assert.ok(r2);
    r2.hash = null;
    assert.equal(verifyChain(rows).problems[0]?.message, 'record 2: no hash');
  });
});
