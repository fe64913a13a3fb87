/** The posture report over real HTTP: coverage of seeded meetings by class, counted security events, honest gaps. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PostureReport } from '@parley/protocol';
import { joinAdmitted } from '../test-support/join.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer({ sbomPath: '/nonexistent/parley-sbom.json' });
});
after(async () => {
  await server.close();
});

async function posture(query = ''): Promise<PostureReport> {
  const res = await server.api('GET', `/api/admin/posture${query}`, undefined, server.admin);
  assert.equal(res.status, 200, await res.clone().text());
  return (await res.json()) as PostureReport;
}

test('meetings of the period by class, with passcode, waiting-room and E2EE coverage', async () => {
  const start = Date.now();
  await server.createMeeting({ passcode: 'Tr1cky-Passc0de!' });
  await server.createMeeting({ settings: { lobby: false } });
  await server.createMeeting({ sensitivity: 'sensitive' });
  const report = await posture();
  assert.equal(report.meetings.total, 3);
  assert.deepEqual(report.meetings.byClass.standard, { meetings: 2, withPasscode: 2, withWaitingRoom: 1, withE2ee: 0 });
  assert.deepEqual(report.meetings.byClass.sensitive, { meetings: 1, withPasscode: 1, withWaitingRoom: 1, withE2ee: 1 });
  assert.ok(report.period.to - report.period.from === 30 * 24 * 60 * 60_000, 'the last 30 days by default');
  // A period that ends before these meetings were created has none of them.
  const before = await posture(`?from=${start - 3_600_000}&to=${start - 1}`);
  assert.equal(before.meetings.total, 0);
  assert.equal((await server.api('GET', `/api/admin/posture?from=${start}&to=${start - 1}`, undefined, server.admin)).status, 400);
  assert.equal((await server.api('GET', '/api/admin/posture?from=yesterday', undefined, server.admin)).status, 400);
});

test('the policy and its locks, failed sign-ins, the audit chain verified, no outdated clients, no SBOM outside a build', async () => {
  await server.server.policy.update({ ...server.server.policy.current(), locked: { lobby: true, features: { chat: false } } }, { actor: server.admin.userId, clientAddress: null });
  for (let i = 0; i < 2; i++) await server.api('POST', '/api/auth/sign-in', { email: 'admin@parley.test', password: 'wrong password' });
  const report = await posture();
  assert.deepEqual(report.policy.lockedSettings, ['features.chat', 'lobby']);
  assert.equal(report.policy.current.locked.lobby, true);
  assert.equal(report.access.failedSignIns, 2);
  assert.ok(report.audit.available, 'the audit chain is verified for the report');
  assert.equal(report.audit.verified, true);
  assert.equal(report.audit.firstProblem, null);
  assert.ok(report.audit.records >= 3, 'the policy change and two failed sign-ins are in the chain');
  assert.ok(report.outdatedClients.available, 'the clients registry answers');
  assert.equal(report.outdatedClients.total, 0);
  assert.equal(report.build.sbom.available, false);
  assert.equal(typeof report.build.server, 'string');
  assert.equal(report.moderation.removals, 0);
  await server.server.policy.update({ ...server.server.policy.current(), locked: {} }, { actor: server.admin.userId, clientAddress: null });
});

test('removals, suspends, locks and reports in meetings are counted', async () => {
  const before = await posture();
  const meeting = await server.createMeeting({ settings: OPEN_DOORS });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const guest = await joinAdmitted(server, meeting, 'Guest');
  await host.client.request('report', { participantId: guest.state.self.id, note: 'noise' });
  await host.client.request('remove', { participantId: guest.state.self.id });
  await host.client.request('lock', { locked: true });
  await host.client.request('suspend', {});
  const report = await posture();
  assert.equal(report.moderation.removals - before.moderation.removals, 1);
  assert.equal(report.moderation.suspends - before.moderation.suspends, 1);
  assert.equal(report.moderation.locks.locked - before.moderation.locks.locked, 1);
  assert.equal(report.moderation.reports.filed - before.moderation.reports.filed, 1);
  assert.equal(report.moderation.reports.open - before.moderation.reports.open, 1);
  await host.client.close();
});
