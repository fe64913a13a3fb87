/**
 * A meeting over real sockets and real WebRTC peers (mediasoup-client over libwebrtc in Node):
 * presence events, media forwarded through mediasoup, publish/unpublish mid-meeting, bad media
 * input, and cleanup when people leave or vanish.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { joinAdmitted } from '../test-support/join.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';
import { TestMedia } from '../test-support/media-peer.js';

/** Media tests, not access tests: doors open, and guests may share screens. */
const MEDIA = { ...OPEN_DOORS, features: { screenShare: 'everyone' as const } };

let server: TestServer;
before(async () => {
  server = await startTestServer({ resumeSeconds: 5 });
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
  const joinedEvent = await ann.client.waitFor((m) => m.type === 'participantJoined', 15_000, 0);
  assert.equal(joinedEvent.type === 'participantJoined' && joinedEvent.participant.displayName, 'Bob');

  await bob.client.request('leave', {});
  const left = await ann.client.waitFor((m) => m.type === 'participantLeft', 15_000, 0);
  assert.deepEqual(left, { type: 'participantLeft', participantId: bob.state.self.id, reason: 'left' });
  assert.equal(await bob.client.closed(), 1000);
  await ann.client.close();
});

test('media flows from a publisher to every subscriber through mediasoup, and unpublish and a late screen share work', async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const pub = await join(meeting, 'Publisher');
  const sub1 = await join(meeting, 'Sub 1');
  const sub2 = await join(meeting, 'Sub 2');
  const subscribers = [await new TestMedia(sub1.client, sub1.state).setup(), await new TestMedia(sub2.client, sub2.state).setup()];
  const publisher = await new TestMedia(pub.client, pub.state).setup();
  const video = await publisher.publish('camera');
  const audio = await publisher.publish('microphone');

  for (const s of subscribers) {
    await s.waitForMedia(video.trackId, 20);
    await s.waitForMedia(audio.trackId, 20);
  }

  // Stop the camera mid-meeting: subscribers are told, and audio keeps flowing.
  const since = sub1.client.messages.length;
  await pub.client.request('unpublish', { trackId: video.trackId });
  video.stop();
  await sub1.client.waitFor((m) => m.type === 'trackUnpublished' && m.trackId === video.trackId, 5000, since);
  await subscribers[0]?.waitForMedia(audio.trackId, 10);

  // Publish a screen mid-meeting: a late track reaches everyone too.
  const screen = await publisher.publish('screen');
  for (const s of subscribers) await s.waitForMedia(screen.trackId, 10);

  const stats = await server.server.sfu.stats();
  assert.ok(stats.tracks >= 2 && stats.subscriptions >= 4, JSON.stringify(stats));
  publisher.close();
  for (const s of subscribers) s.close();
  await Promise.all([pub.client.close(), sub1.client.close(), sub2.client.close()]);
});

test('a late joiner receives tracks published before they came', async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const pub = await join(meeting, 'Early');
  const publisher = await new TestMedia(pub.client, pub.state).setup();
  const audio = await publisher.publish('microphone');
  const late = await join(meeting, 'Late');
  assert.deepEqual(late.state.tracks.map((t) => t.id), [audio.trackId]);
  const subscriber = await new TestMedia(late.client, late.state).setup();
  await subscriber.waitForMedia(audio.trackId, 10);
  publisher.close();
  subscriber.close();
  await Promise.all([pub.client.close(), late.client.close()]);
});

test('mute state reaches the others', async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const a = await join(meeting, 'A');
  const b = await join(meeting, 'B');
  const publisher = await new TestMedia(a.client, a.state).setup();
  const mic = await publisher.publish('microphone');
  await a.client.request('setMuted', { trackId: mic.trackId, muted: true });
  const update = await b.client.waitFor((m) => m.type === 'trackUpdated', 15_000, 0);
  assert.equal(update.type === 'trackUpdated' && update.track.muted, true);
  publisher.close();
  await Promise.all([a.client.close(), b.client.close()]);
});

/** Local addresses (hex `ADDR:PORT`, as /proc/net/udp and tcp write them) of sockets bound to `port`. */
function boundAddresses(port: number): string[] {
  const hexPort = port.toString(16).toUpperCase().padStart(4, '0');
  return ['/proc/net/udp', '/proc/net/tcp', '/proc/net/udp6', '/proc/net/tcp6']
    .flatMap((file) => readFileSync(file, 'utf8').split('\n').slice(1))
    .map((line) => line.trim().split(/\s+/)[1] ?? '')
    .filter((local) => local.endsWith(`:${hexPort}`));
}

test('media ports listen only on the configured address (HOST 127.0.0.1), not on every interface', async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const a = await join(meeting, 'A');
  const media = await new TestMedia(a.client, a.state).setup();
  const setup = a.client.messages.find((m) => m.type === 'result' && typeof m.result === 'object' && m.result !== null && 'recv' in m.result);
  const candidates = ((setup?.type === 'result' ? (setup.result as { recv: { iceCandidates: { address?: string; port?: number }[] } }) : undefined)?.recv.iceCandidates) ?? [];
  assert.ok(candidates.length > 0);
  for (const c of candidates) {
    assert.equal(c.address, '127.0.0.1');
    const bound = boundAddresses(c.port ?? 0);
    assert.ok(bound.length > 0, `something listens on ${c.port}`);
    assert.deepEqual([...new Set(bound)], ['0100007F:' + (c.port ?? 0).toString(16).toUpperCase().padStart(4, '0')], `port ${c.port} is bound to 127.0.0.1 only`);
  }
  media.close();
  await a.client.close();
});

test('media requests before setupMedia, for unknown tracks or with garbage parameters are refused and change nothing', async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const a = await join(meeting, 'A');
  const early = await a.client.requestRaw('publish', { source: 'microphone', kind: 'audio', rtpParameters: {} });
  assert.equal(early.type === 'error' && early.code, 'wrong_state');
  const garbageCaps = await a.client.requestRaw('setupMedia', { rtpCapabilities: { codecs: 'nope' } });
  assert.equal(garbageCaps.type === 'error' && garbageCaps.code, 'negotiation_failed');
  const media = await new TestMedia(a.client, a.state).setup();
  const garbage = await a.client.requestRaw('publish', { source: 'microphone', kind: 'audio', rtpParameters: { codecs: [{ mimeType: 42 }] } });
  assert.equal(garbage.type === 'error' && garbage.code, 'negotiation_failed');
  const unknown = await a.client.requestRaw('resumeSubscription', { trackId: 'no-such-track' });
  assert.equal(unknown.type === 'error' && unknown.code, 'not_found');
  const badTransport = await a.client.requestRaw('connectTransport', { transportId: 'not-a-transport', dtlsParameters: {} });
  assert.equal(badTransport.type === 'error' && (badTransport.code === 'not_found' || badTransport.code === 'negotiation_failed'), true);
  const fresh = await join(meeting, 'B');
  assert.deepEqual(fresh.state.tracks, [], 'no track was published');
  await fresh.client.close();
  // Still a working participant afterwards.
  const mic = await media.publish('microphone');
  assert.ok(mic.trackId);
  media.close();
  await a.client.close();
});

test('a socket that closes keeps the place for the resume window, then the participant and their media are gone', async () => {
  const meeting = await server.createMeeting({ settings: MEDIA });
  const stay = await join(meeting, 'Stays');
  const go = await join(meeting, 'Goes');
  const publisher = await new TestMedia(go.client, go.state).setup();
  const track = await publisher.publish('camera');
  await stay.client.waitFor((m) => m.type === 'trackPublished', 15_000, 0);
  await go.client.close(); // like closing the tab
  const reconnecting = await stay.client.waitFor((m) => m.type === 'participantUpdated' && m.participant.connection === 'reconnecting', 10_000, 0);
  assert.equal(reconnecting.type === 'participantUpdated' && reconnecting.participant.id, go.state.self.id);
  const gone = await stay.client.waitFor((m) => m.type === 'participantLeft', 30_000, 0);
  assert.equal(gone.type === 'participantLeft' && gone.reason, 'disconnected');
  await stay.client.waitFor((m) => m.type === 'trackUnpublished' && m.trackId === track.trackId, 15_000, 0);

  publisher.close();
  await stay.client.close();
  await until(() => server.server.rooms.roomCount === 0, 'empty rooms closed', 30_000);
  assert.equal((await server.server.sfu.stats()).peers, 0);
});
