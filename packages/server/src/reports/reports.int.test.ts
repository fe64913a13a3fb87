/** Reports as administrators review them, over real HTTP and sockets: note, audit context, removal status, closing. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { AdminReport, AdminReportsPage } from '@parley/protocol';
import { joinAdmitted } from '../test-support/join.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

async function reports(status: 'open' | 'closed'): Promise<AdminReport[]> {
  const res = await server.api('GET', `/api/admin/reports?status=${status}`, undefined, server.admin);
  assert.equal(res.status, 200);
  return ((await res.json()) as AdminReportsPage).reports;
}

test('a report comes with its note, the meeting audit around it and whether the person was removed; closing it is audited', async () => {
  const meeting = await server.createMeeting({ title: 'Weekly sync', settings: OPEN_DOORS });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const guest = await joinAdmitted(server, meeting, 'Mallory');
  const calm = await joinAdmitted(server, meeting, 'Calm guest');
  await host.client.request('report', { participantId: guest.state.self.id, note: 'Posted <b>spam</b> links' });
  await host.client.request('remove', { participantId: guest.state.self.id });
  await calm.client.request('report', { participantId: host.state.self.id, note: 'Just testing' });

  const open = await reports('open');
  const mallory = open.find((r) => r.targetName === 'Mallory');
  assert.ok(mallory);
  assert.equal(mallory.note, 'Posted <b>spam</b> links');
  assert.equal(mallory.meetingId, meeting.id);
  assert.equal(mallory.meetingTitle, 'Weekly sync');
  assert.equal(mallory.reporter, server.admin.userId);
  assert.equal(mallory.reporterLabel, 'Ada Admin <admin@parley.test>');
  assert.ok(mallory.context.events.some((e) => e.action === 'participant.removed' && e.actorLabel === 'Ada Admin <admin@parley.test>'));
  assert.ok(mallory.context.events.some((e) => e.action === 'participant.joined' && e.actorLabel === 'Mallory'));
  assert.equal(mallory.closed, null);
  const actions = mallory.context.events.map((e) => e.action);
  for (const a of ['participant.joined', 'participant.reported', 'participant.removed']) assert.ok(actions.includes(a), `${a} in ${actions.join(', ')}`);
  assert.ok(mallory.context.events.every((e) => Math.abs(e.at - mallory.at) <= mallory.context.windowMs));
  assert.deepEqual(mallory.context.target, { removed: true, banned: true, matchedBy: 'name' });
  const hostReport = open.find((r) => r.targetUserId === server.admin.userId);
  assert.equal(hostReport?.reporterLabel, 'guest “Calm guest”');
  assert.deepEqual(hostReport?.context.target, { removed: false, banned: false, matchedBy: 'account' });

  const bad = await server.api('POST', `/api/admin/reports/${mallory.id}/close`, { resolution: '   ' }, server.admin);
  assert.equal(bad.status, 400);
  const closed = await server.api('POST', `/api/admin/reports/${mallory.id}/close`, { resolution: 'Removed and banned; warned the host.' }, server.admin);
  assert.equal(closed.status, 200);
  const body = (await closed.json()) as AdminReport;
  assert.equal(body.closed?.resolution, 'Removed and banned; warned the host.');
  assert.equal(body.closed?.by, server.admin.userId);
  const again = await server.api('POST', `/api/admin/reports/${mallory.id}/close`, { resolution: 'again' }, server.admin);
  assert.equal(again.status, 409);

  assert.ok(!(await reports('open')).some((r) => r.id === mallory.id));
  assert.ok((await reports('closed')).some((r) => r.id === mallory.id && r.closed?.resolution === 'Removed and banned; warned the host.'));
  const audit = await server.server.db.selectFrom('audit_events').select(['actor', 'details']).where('action', '=', 'report.closed').where('target', '=', mallory.id).execute();
  assert.equal(audit.length, 1);
  assert.equal(audit[0]?.actor, server.admin.userId);
  assert.equal((await server.api('GET', '/api/admin/reports?status=all', undefined, server.admin)).status, 400);
  await Promise.all([host.client.close(), calm.client.close()]);
});
