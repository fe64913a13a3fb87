/**
 * A meeting over real sockets and real WebRTC peers (werift in Node): presence events, media
 * forwarded through the SFU, publish/unpublish mid-meeting, and cleanup when people leave or vanish.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { joinAdmitted } from '../test-support/join.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';
import { TestPublisher, TestSubscriber } from '../test-support/media-peer.js';

/** Media tests, not access tests: doors open, and guests may share screens. */
const MEDIA = { ...OPEN_DOORS, features: { screenShare: 'everyone' as const } };

let server: TestServer;
before(async () => {
  server = await startTestServer({ mediaGraceSeconds: 1 });
});
after(async () => {
  await server.close();
});

const join = (meeting: { id: string; passcode: string | null }, name: string) => joinAdmitted(server, meeting, name);

async function until(predicate: () => boolean | Promise<boolean>, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('joiners see each other arrive and leave, with names', async () => {
  const meeting = await server.createMeeting({ title: 'Standup', settings: MEDIA });
  const ann = await join(meeting, 'Ann');
  assert.equal(ann.state.meeting.title, 'Standup');
  assert.deepEqual(ann.state.participants, []);
  const bob = await join(meeting, 'Bob');
  assert.deepEqual(bob.state.participants.map((p) => p.displayName), ['Ann']);
  const joinedEvent = await ann.client.waitFor((m) => m.type === 'participantJoined', 2000, 0);
  assert.equal(joinedEvent.type === 'participantJoined' && joinedEvent.participant.displayName, 'Bob');

  await bob.client.request('leave', {});
  const left = await ann.client.waitFor((m) => m.type === 'participantLeft', 2000, 0);
  assert.deepEqual(left, { type: 'participantLeft', participantId: bob.state.self.id, reason: 'left' });
  assert.equal(await bob.client.closed(), 1000);
  await ann.client.close();
});

test("a publisher's RTP reaches every subscriber through the SFU, unchanged, and unpublish stops it", async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const pub = await join(meeting, 'Publisher');
  const sub1 = await join(meeting, 'Sub 1');
  const sub2 = await join(meeting, 'Sub 2');
  const subscribers = [new TestSubscriber(sub1.client), new TestSubscriber(sub2.client)];
  for (const s of subscribers) s.start();

  const publisher = new TestPublisher(pub.client);
  const video = await publisher.publish('camera', 'cam');
  const audio = await publisher.publish('microphone', 'mic');

  for (const s of subscribers) {
    const videoPayloads = await s.waitForPackets(video.trackId, 20);
    const audioPayloads = await s.waitForPackets(audio.trackId, 20);
    assert.ok(videoPayloads.every((p) => /^cam:\d+$/.test(p)), 'video payload bytes arrive unchanged');
    assert.ok(audioPayloads.every((p) => /^mic:\d+$/.test(p)), 'audio payload bytes arrive unchanged');
  }
  // Subscribers were added: the SFU asked the publisher for a keyframe.
  await until(() => video.plis > 0, 'PLI at the publisher');

  // Stop the camera mid-meeting: subscribers are told and its packets stop.
  video.stop();
  const transceiver = video.transceiver;
  transceiver.setDirection('inactive');
  await publisher.pc.setLocalDescription(await publisher.pc.createOffer());
  const since = sub1.client.messages.length;
  const res = await pub.client.request('unpublish', { trackId: video.trackId, sdp: publisher.pc.localDescription?.sdp });
  await publisher.pc.setRemoteDescription({ type: 'answer', sdp: res.sdp });
  await sub1.client.waitFor((m) => m.type === 'trackUnpublished' && m.trackId === video.trackId, 2000, since);
  // Audio keeps flowing after the renegotiation.
  const before = subscribers[0]?.received.get(audio.trackId)?.length ?? 0;
  await subscribers[0]?.waitForPackets(audio.trackId, before + 10);

  // Publish a screen mid-meeting: a late track reaches everyone too.
  const screen = await publisher.publish('screen', 'scr');
  for (const s of subscribers) await s.waitForPackets(screen.trackId, 10);

  const stats = await server.server.sfu.stats();
  assert.ok(stats.packetsForwarded > 0);
  await publisher.close();
  for (const s of subscribers) await s.close();
  await Promise.all([pub.client.close(), sub1.client.close(), sub2.client.close()]);
});

test('a late joiner receives tracks published before they came', async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const pub = await join(meeting, 'Early');
  const publisher = new TestPublisher(pub.client);
  const audio = await publisher.publish('microphone', 'early');
  const late = await join(meeting, 'Late');
  assert.deepEqual(late.state.tracks.map((t) => t.id), [audio.trackId]);
  const subscriber = new TestSubscriber(late.client);
  subscriber.start();
  await subscriber.waitForPackets(audio.trackId, 10);
  await publisher.close();
  await subscriber.close();
  await Promise.all([pub.client.close(), late.client.close()]);
});

test('mute state reaches the others', async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const a = await join(meeting, 'A');
  const b = await join(meeting, 'B');
  const publisher = new TestPublisher(a.client);
  const mic = await publisher.publish('microphone', 'm');
  await a.client.request('setMuted', { trackId: mic.trackId, muted: true });
  const update = await b.client.waitFor((m) => m.type === 'trackUpdated', 2000, 0);
  assert.equal(update.type === 'trackUpdated' && update.track.muted, true);
  await publisher.close();
  await Promise.all([a.client.close(), b.client.close()]);
});

test('closing a socket removes the participant and frees their SFU peer and tracks', async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const stay = await join(meeting, 'Stays');
  const go = await join(meeting, 'Goes');
  const publisher = new TestPublisher(go.client);
  const track = await publisher.publish('camera', 'v');
  await stay.client.waitFor((m) => m.type === 'trackPublished', 2000, 0);
  const before = await server.server.sfu.stats();

  await go.client.close(); // like closing the tab
  const gone = await stay.client.waitFor((m) => m.type === 'participantLeft', 2000, 0);
  assert.equal(gone.type === 'participantLeft' && gone.reason, 'disconnected');
  await stay.client.waitFor((m) => m.type === 'trackUnpublished' && m.trackId === track.trackId, 2000, 0);
  const afterStats = await server.server.sfu.stats();
  assert.equal(afterStats.peers, before.peers - 1);
  assert.equal(afterStats.tracks, before.tracks - 1);

  await publisher.close();
  await stay.client.close();
  await until(async () => (await server.server.sfu.stats()).peers === 0, 'all SFU peers closed');
  await until(() => server.server.rooms.roomCount === 0, 'empty rooms closed');
});

test('a participant whose media connection fails is removed after the grace period', async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const stay = await join(meeting, 'Stays');
  const flaky = await join(meeting, 'Flaky');
  const publisher = new TestPublisher(flaky.client);
  await publisher.publish('microphone', 'x');
  await until(() => publisher.pc.connectionState === 'connected', 'publisher connected');
  // The network vanishes: the peer stops answering (its socket stays open, as with a dead path for media).
  await publisher.close();
  const left = await stay.client.waitFor((m) => m.type === 'participantLeft', 30_000, 0);
  assert.equal(left.type === 'participantLeft' && left.reason, 'media-failed');
  const bye = await flaky.client.waitFor((m) => m.type === 'bye', 2000, 0);
  assert.equal(bye.type === 'bye' && bye.reason, 'media-failed');
  await stay.client.close();
});
