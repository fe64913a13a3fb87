/**
 * Network quality through the real SFU: two Node WebRTC publishers, one of them on a lossy uplink
 * (a UDP relay dropping 3 in 10 of its RTP packets). mediasoup scores the lossy one's streams low;
 * everyone is told a lower level for them, while the clean one stays good (the lossy tracks it
 * receives do not count against its own downlink). A late joiner is briefed on both.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { NetworkQualityEvent, ServerMessage } from '@parley/protocol';
import { joinAdmitted } from '../test-support/join.js';
import { throughLossyUplink } from '../test-support/lossy-relay.js';
import { eventually, TestMedia } from '../test-support/media-peer.js';
import { OPEN_DOORS, startTestServer, type TestServer } from '../test-support/server.js';

let server: TestServer;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server.close();
});

const quality = (messages: ServerMessage[], participantId: string): NetworkQualityEvent | undefined =>
  messages.filter((m): m is NetworkQualityEvent => m.type === 'networkQuality' && m.participantId === participantId).at(-1);

test('a publisher on a lossy uplink is told to everyone at a lower level; a clean one stays good', async () => {
  const meeting = await server.createMeeting({ settings: OPEN_DOORS });
  const clean = await joinAdmitted(server, meeting, 'Clean');
  const lossy = await joinAdmitted(server, meeting, 'Lossy');
  const cleanId = clean.state.self.id;
  const lossyId = lossy.state.self.id;
  const path = throughLossyUplink(lossy.client, 3);
  const cleanMedia = await new TestMedia(clean.client, clean.state).setup();
  const lossyMedia = await new TestMedia(path.client, lossy.state).setup();
  const relay = await path.relay;
  try {
    const cleanCam = await cleanMedia.publish('camera');
    await cleanMedia.publish('microphone');
    const lossyCam = await lossyMedia.publish('camera');
    await lossyMedia.publish('microphone');
    await lossyMedia.waitForMedia(cleanCam.trackId, 10, 60_000);
    await cleanMedia.waitForMedia(lossyCam.trackId, 10, 60_000);
    assert.ok(relay.dropped > 0, 'the relay dropped packets');

    await eventually(() => {
      const q = quality(clean.client.messages, lossyId);
      return q !== undefined && q.level !== 'good';
    }, 'the lossy publisher told at a lower level', 60_000);
    const told = quality(clean.client.messages, lossyId);
    assert.ok(told && told.uplink !== null && told.uplink < 8, JSON.stringify(told));
    // They hear it about themselves too (their own tile shows their uplink).
    await eventually(() => {
      const own = quality(lossy.client.messages, lossyId);
      return own !== undefined && own.level !== 'good';
    }, 'the lossy one told about themselves', 30_000);
    // The clean publisher is good, for themselves and for the other.
    await eventually(() => quality(lossy.client.messages, cleanId)?.level === 'good', 'the clean publisher told good', 30_000);
    assert.equal(quality(clean.client.messages, cleanId)?.level, 'good');

    // Someone who joins now is told both levels at once, without waiting for a change.
    const late = await joinAdmitted(server, meeting, 'Late');
    await eventually(() => quality(late.client.messages, lossyId) !== undefined && quality(late.client.messages, cleanId) !== undefined, 'the late joiner briefed', 10_000);
    assert.notEqual(quality(late.client.messages, lossyId)?.level, 'good');
    assert.equal(quality(late.client.messages, cleanId)?.level, 'good');
    await late.client.close();
  } finally {
    cleanMedia.close();
    lossyMedia.close();
    relay.close();
    await clean.client.close();
    await lossy.client.close();
  }
});
