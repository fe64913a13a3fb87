/**
 * The host's departure and raised hands over real WebSockets: a leaving host hands over to the
 * member they chose (a guest is refused, and the host stays in); a host whose connection drops for
 * good hands over when the resume window ends; moderators hear of raised hands and lower them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ServerMessage } from '@parley/protocol';
import { joinAdmitted } from '../test-support/join.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';

type Msg<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;
const isHostChanged = (m: ServerMessage): m is Msg<'hostChanged'> => m.type === 'hostChanged';

let server: TestServer;
before(async () => {
  server = await startTestServer({ resumeSeconds: 5 });
});
after(async () => {
  await server.close();
});

test('raised hands reach moderators; a moderator lowers one; a guest may not; the host hands over to the member they choose', async () => {
  const meeting = await server.createMeeting({ settings: OPEN_DOORS });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const ada = await server.createUser('ada@parley.test', 'member', 'Ada Member');
  const member = await joinAdmitted(server, meeting, 'Ada', ada);
  const guest = await joinAdmitted(server, meeting, 'Gus Guest');
  const guestId = guest.state.self.id;

  await guest.client.request('raiseHand', { raised: true });
  const raised = await host.client.waitFor<Msg<'handRaised'>>((m) => m.type === 'handRaised', 10_000, 0);
  assert.deepEqual([raised.participantId, raised.displayName], [guestId, 'Gus Guest']);
  const update = await host.client.waitFor<Msg<'participantUpdated'>>((m) => m.type === 'participantUpdated' && m.participant.id === guestId && m.participant.handRaised, 10_000, 0);
  assert.equal(typeof update.participant.handRaisedAt, 'number');
  await assert.rejects(member.client.request('lowerHand', { participantId: guestId }), (e: { code?: string }) => e.code === 'forbidden');
  await host.client.request('lowerHand', { participantId: guestId });
  await guest.client.waitFor((m) => m.type === 'moderatorAction' && m.action === 'handLowered', 10_000, 0);

  const refused = await host.client.requestRaw('leave', { handOverTo: guestId });
  assert.equal(refused.type === 'error' && refused.code, 'forbidden', 'a guest is not a host under the default policy');
  await host.client.request('raiseHand', { raised: true }); // still in the meeting
  assert.ok(host.client.open);

  await host.client.request('leave', { handOverTo: member.state.self.id });
  const told = await guest.client.waitFor<Msg<'hostChanged'>>(isHostChanged, 10_000, 0);
  assert.deepEqual([told.participantId, told.displayName, told.reason], [member.state.self.id, 'Ada Member', 'chosen']);
  await member.client.waitFor((m) => m.type === 'participantUpdated' && m.participant.id === member.state.self.id && m.participant.role === 'host', 10_000, 0);
  // The new host moderates.
  await member.client.request('lock', { locked: true });
  await Promise.all([member.client.close(), guest.client.close()]);
});

test('a host whose connection drops for good hands over when the resume window ends', async () => {
  const meeting = await server.createMeeting({ settings: OPEN_DOORS });
  const host = await joinAdmitted(server, meeting, 'Host', server.admin);
  const bo = await server.createUser('bo@parley.test', 'member', 'Bo Member');
  const guest = await joinAdmitted(server, meeting, 'Gus Guest');
  const member = await joinAdmitted(server, meeting, 'Bo', bo);
  await host.client.close(); // the network goes away; nobody is told a new host until the window ends
  const told = await guest.client.waitFor<Msg<'hostChanged'>>(isHostChanged, 30_000, 0);
  assert.deepEqual([told.participantId, told.reason], [member.state.self.id, 'member'], 'the signed-in member, not the longer-present guest');
  await member.client.request('lock', { locked: true });
  await Promise.all([member.client.close(), guest.client.close()]);
});
