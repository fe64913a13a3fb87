/**
 * Bad input over the socket: each case gets a coded error on that socket, the server keeps running,
 * and no state changes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION, type ServerMessage } from '@parley/protocol';
import { TEST_CLIENT_BUILD } from '../test-support/client-build.js';
import { joinAdmitted } from '../test-support/join.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';
import { TestClient } from '../test-support/ws-client.js';
import { TestMedia } from '../test-support/media-peer.js';

type ErrorReply = Extract<ServerMessage, { type: 'error' }>;

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

async function nextError(client: TestClient, send: () => void): Promise<ErrorReply> {
  const since = client.messages.length;
  send();
  return client.waitFor<ErrorReply>((m) => m.type === 'error', 5000, since);
}

async function joined(meeting: { id: string; passcode: string | null }, name: string): Promise<TestClient> {
  return (await joinAdmitted(server, meeting, name)).client;
}

const openMeeting = () => server.createMeeting({ settings: OPEN_DOORS });

describe('malformed frames', () => {
  test('malformed JSON gets bad_request with a null id, and the socket stays usable', async () => {
    const client = await TestClient.connect(server.wsUrl);
    const error = await nextError(client, () => client.sendRaw('{"type": "hello", "id": 1,'));
    assert.equal(error.code, 'bad_request');
    assert.equal(error.id, null);
    await client.request('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild: TEST_CLIENT_BUILD });
    await client.close();
  });

  test('a JSON value that is not an object, and a binary frame, get bad_request', async () => {
    const client = await TestClient.connect(server.wsUrl);
    assert.equal((await nextError(client, () => client.sendRaw('[1,2,3]'))).code, 'bad_request');
    assert.equal((await nextError(client, () => client.sendRaw(Buffer.from([1, 2, 3])))).code, 'bad_request');
    await client.close();
  });

  test('an unknown type gets unknown_type quoting the request id', async () => {
    const client = await TestClient.ready(server.wsUrl);
    const reply = await client.requestRaw('launchMissiles', {});
    assert.equal(reply.type, 'error');
    assert.equal((reply as ErrorReply).code, 'unknown_type');
    assert.equal((reply as ErrorReply).id, 2); // hello was request 1
    await client.close();
  });

  test('a message over 64 KiB gets message_too_large and is not acted on', async () => {
    const meeting = await openMeeting();
    const client = await TestClient.ready(server.wsUrl);
    const huge = { type: 'join', id: 7, meetingId: meeting.id, passcode: meeting.passcode, displayName: 'x', pad: 'a'.repeat(MAX_MESSAGE_BYTES) };
    const error = await nextError(client, () => client.sendRaw(huge));
    assert.equal(error.code, 'message_too_large');
    // Not joined: a publish is still refused as out of order.
    const reply = await client.requestRaw('setMuted', { trackId: 'abcdefgh', muted: true });
    assert.equal((reply as ErrorReply).code, 'wrong_state');
    await client.close();
  });

  test('a schema violation names the field', async () => {
    const client = await TestClient.ready(server.wsUrl);
    const reply = (await client.requestRaw('join', { meetingId: 'not-an-id', displayName: 'x' })) as ErrorReply;
    assert.equal(reply.code, 'bad_request');
    assert.match(reply.message, /meetingId/);
    await client.close();
  });
});

describe('messages out of order', () => {
  test('anything before hello is wrong_state', async () => {
    const meeting = await openMeeting();
    const client = await TestClient.connect(server.wsUrl);
    const reply = (await client.requestRaw('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Early' })) as ErrorReply;
    assert.equal(reply.code, 'wrong_state');
    await client.close();
  });

  test('a second hello is wrong_state', async () => {
    const client = await TestClient.ready(server.wsUrl);
    const reply = (await client.requestRaw('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild: 'x' })) as ErrorReply;
    assert.equal(reply.code, 'wrong_state');
    await client.close();
  });

  test('an old protocol version gets update_required', async () => {
    const client = await TestClient.connect(server.wsUrl);
    const reply = (await client.requestRaw('hello', { protocolVersion: PROTOCOL_VERSION + 1, clientBuild: 'x' })) as ErrorReply;
    assert.equal(reply.code, 'update_required');
    await client.close();
  });

  test('publishing before joining is wrong_state', async () => {
    const client = await TestClient.ready(server.wsUrl);
    const reply = (await client.requestRaw('publish', { source: 'camera', kind: 'video', rtpParameters: {} })) as ErrorReply;
    assert.equal(reply.code, 'wrong_state');
    await client.close();
  });

  test('connecting a transport before setting up media is wrong_state, and joining twice too', async () => {
    const meeting = await openMeeting();
    const client = await joined(meeting, 'Ann');
    const reply = (await client.requestRaw('connectTransport', { transportId: 'neverMadeOne', dtlsParameters: {} })) as ErrorReply;
    assert.equal(reply.code, 'wrong_state');
    const again = (await client.requestRaw('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Ann' })) as ErrorReply;
    assert.equal(again.code, 'wrong_state');
    await client.close();
  });

  test('garbage RTP parameters get negotiation_failed and publish nothing', async () => {
    const meeting = await openMeeting();
    const { client: a, state: aState } = await joinAdmitted(server, meeting, 'Ann');
    const b = await joined(meeting, 'Bob');
    const media = await new TestMedia(a, aState).setup();
    const reply = (await a.requestRaw('publish', { source: 'camera', kind: 'video', rtpParameters: { codecs: 'this is not RTP', encodings: [] } })) as ErrorReply;
    assert.equal(reply.code, 'negotiation_failed');
    // Bob learns of no track: a fresh joiner sees none.
    const { client: c, state } = await joinAdmitted(server, meeting, 'Cy');
    assert.deepEqual(state.tracks, []);
    assert.equal(b.messages.filter((m) => m.type === 'trackPublished').length, 0);
    media.close();
    await Promise.all([a.close(), b.close(), c.close()]);
  });
});

describe('access and isolation', () => {
  test('unknown meeting and wrong passcode get the same error', async () => {
    const meeting = await openMeeting();
    const client = await TestClient.ready(server.wsUrl);
    const wrong = (await client.requestRaw('join', { meetingId: meeting.id, passcode: 'wrongpass', displayName: 'Eve' })) as ErrorReply;
    const unknown = (await client.requestRaw('join', { meetingId: '0000-0000-0000-0000', passcode: meeting.passcode, displayName: 'Eve' })) as ErrorReply;
    assert.equal(wrong.code, 'meeting_access_denied');
    assert.equal(unknown.code, wrong.code);
    assert.equal(unknown.message, wrong.message);
    // Neither attempt changed the connection's state: a correct join now succeeds.
    const result = await client.request('join', { meetingId: meeting.id, passcode: meeting.passcode, displayName: 'Eve' });
    assert.equal(result.status === 'admitted' && result.state.meeting.id, meeting.id);
    await client.close();
  });

  test("a request for another meeting's track gets not_found and changes nothing", async () => {
    const m1 = await openMeeting();
    const m2 = await openMeeting();
    const { client: owner, state: ownerState } = await joinAdmitted(server, m1, 'Owner');
    const watcher = await joined(m1, 'Watcher');
    const publisher = await new TestMedia(owner, ownerState).setup();
    const track = await publisher.publish('microphone');
    await watcher.waitFor((m) => m.type === 'trackPublished', 15_000, 0);

    const intruder = await joined(m2, 'Intruder');
    for (const [type, fields] of [
      ['setMuted', { trackId: track.trackId, muted: true }],
      ['unpublish', { trackId: track.trackId }],
    ] as const) {
      const reply = (await intruder.requestRaw(type, fields)) as ErrorReply;
      assert.equal(reply.code, 'not_found', `${type} of another meeting's track`);
    }
    // Same meeting, someone else's track: forbidden.
    const forbidden = (await watcher.requestRaw('setMuted', { trackId: track.trackId, muted: true })) as ErrorReply;
    assert.equal(forbidden.code, 'forbidden');
    // Nothing changed: no trackUpdated or trackUnpublished reached anyone, and the intruder learned nothing of meeting 1.
    for (const client of [owner, watcher]) {
      assert.equal(client.messages.filter((m) => m.type === 'trackUpdated' || m.type === 'trackUnpublished').length, 0);
    }
    assert.ok(!JSON.stringify(intruder.messages).includes(m1.id));
    assert.equal(intruder.messages.filter((m) => m.type === 'trackPublished' || m.type === 'participantJoined').length, 0);
    publisher.close();
    await Promise.all([owner.close(), watcher.close(), intruder.close()]);
  });

  test('the server survives a burst of bad input from many sockets and still serves a meeting', async () => {
    const clients = await Promise.all(Array.from({ length: 10 }, () => TestClient.connect(server.wsUrl)));
    for (const client of clients) {
      client.sendRaw('not json');
      client.sendRaw({ type: 'publish', id: 1 });
      client.sendRaw(Buffer.alloc(MAX_MESSAGE_BYTES + 1, 1));
    }
    await Promise.all(clients.map((c) => c.waitFor((m) => m.type === 'error', 15_000, 0)));
    const health = await fetch(`${server.url}/api/health`);
    assert.equal(health.status, 200);
    const meeting = await openMeeting();
    const ok = await joined(meeting, 'Still works');
    await Promise.all([...clients, ok].map((c) => c.close()));
  });
});
