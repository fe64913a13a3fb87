/**
 * GET /api/admin/audit and /api/admin/audit/status over real HTTP: an administrator filters and
 * pages through the log; a member, an external user and a guest are refused; a log edited behind
 * the server's back stops verifying.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditPage, AuditStatusView, type AuditEventView } from '@parley/protocol';
import { DISABLE_AUDIT_TRIGGERS, rawStatement } from '../test-support/database.js';
import { startTestServer, type Credentials, type TestServer } from '../test-support/server.js';

let server: TestServer;
let member: Credentials;
let external: Credentials;
let meetingId: string;

async function page(query: string, as: Credentials = server.admin): Promise<AuditPage> {
  const res = await server.api('GET', `/api/admin/audit${query}`, undefined, as);
  assert.equal(res.status, 200, await res.clone().text());
  return AuditPage.parse(await res.json());
}

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('admin audit routes', () => {
  before(async () => {
    server = await startTestServer({ auditCheckpointEvery: 3 });
    member = await server.createUser('member@parley.test', 'member');
    external = await server.createUser('guest@parley.test', 'external');
    meetingId = (await server.createMeeting({ host: member })).id;
    for (let i = 0; i < 6; i += 1) await server.createUser(`p${i}@parley.test`);
    await server.server.checkpoints.flush();
  });
  after(() => server.close());

  for (const path of ['/api/admin/audit', '/api/admin/audit/status']) {
    it(`refuses ${path} to a member, an external user and a guest`, async () => {
      for (const who of [member, external]) {
        const res = await server.api('GET', path, undefined, who);
        assert.equal(res.status, 403);
        assert.equal(await errorCode(res), 'forbidden');
      }
      const guest = await server.api('GET', path);
      assert.equal(guest.status, 401);
      assert.equal(await errorCode(guest), 'sign_in_required');
    });
  }

  it('pages newest first by seq until the end, with nothing missed or repeated', async () => {
    const all: AuditEventView[] = [];
    let next: number | null = null;
    let pages = 0;
    do {
      const result: AuditPage = await page(`?limit=4${next ? `&before=${next}` : ''}`);
      assert.ok(result.events.length <= 4);
      all.push(...result.events);
      next = result.next;
      pages += 1;
    } while (next !== null && pages < 100);
    const seqs = all.map((e) => e.seq);
    assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
    assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => seqs.length - i));
    assert.ok(pages >= 3);
    for (const event of all) assert.match(event.hash ?? '', /^[0-9a-f]{64}$/);
  });

  it('filters by action, person, meeting and time', async () => {
    const created = await page('?action=account.created&limit=200');
    assert.ok(created.events.length >= 8);
    assert.ok(created.events.every((e) => e.action === 'account.created'));

    const byMember = await page(`?person=${member.userId}`);
    assert.ok(byMember.events.length >= 2);
    assert.ok(byMember.events.every((e) => e.actor === member.userId || e.target === member.userId));
    assert.ok(byMember.events.some((e) => e.action === 'meeting.created' && e.actor === member.userId && e.actorEmail === member.email));
    assert.ok(byMember.events.some((e) => e.action === 'account.created' && e.target === member.userId && e.targetEmail === member.email), 'what was done to them');
    const byEmail = await page(`?person=${encodeURIComponent(member.email.toUpperCase())}`);
    assert.deepEqual(byEmail.events.map((e) => e.seq), byMember.events.map((e) => e.seq));
    assert.deepEqual((await page('?person=nobody%40example.org')).events, []);

    const inMeeting = await page(`?meetingId=${meetingId}`);
    assert.deepEqual(inMeeting.events.map((e) => e.action), ['meeting.created']);

    const newest = (await page('?limit=1')).events[0];
    assert.ok(newest);
    const future = await page(`?from=${encodeURIComponent(new Date(newest.at + 60_000).toISOString())}`);
    assert.deepEqual(future.events, []);
    const upTo = await page(`?to=${encodeURIComponent(new Date(newest.at - 1).toISOString())}&limit=200`);
    assert.ok(upTo.events.every((e) => e.at < newest.at));
  });

  it('refuses a malformed query with bad_request', async () => {
    for (const query of ['?limit=201', '?limit=0', '?before=abc', '?from=yesterday', '?sort=asc']) {
      const res = await server.api('GET', `/api/admin/audit${query}`, undefined, server.admin);
      assert.equal(res.status, 400, query);
      assert.equal(await errorCode(res), 'bad_request');
    }
  });

  it('reports the metrics gauge of checkpoint age', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    assert.match(text, /^parley_audit_checkpoint_age_seconds \d+(\.\d+)?$/m);
  });

  it('says the chain verifies, then that it does not once a record is edited behind its back', async () => {
    const res = await server.api('GET', '/api/admin/audit/status', undefined, server.admin);
    assert.equal(res.status, 200);
    const good = AuditStatusView.parse(await res.json());
    assert.equal(good.verified, true, good.firstProblem ?? '');
    assert.equal(good.firstProblem, null);
    assert.ok(good.records >= 15);
    assert.ok(good.lastCheckpoint && good.lastCheckpoint.treeSize >= 3);

    await rawStatement(server, `${DISABLE_AUDIT_TRIGGERS} UPDATE audit_events SET action = 'nothing.happened' WHERE seq = 3;`);
    const bad = AuditStatusView.parse(await (await server.api('GET', '/api/admin/audit/status', undefined, server.admin)).json());
    assert.equal(bad.verified, false);
    assert.equal(bad.firstProblem, 'record 3: hash mismatch (edited, deleted or reordered)');
  });
});
