/**
 * The media modules against mediasoup-client's own FakeHandler (no browser): transports answer
 * `connect` and `produce` over signaling, producers carry the server's track ID and their source,
 * consumers are created with the server's IDs and resumed, and ICE restarts when a transport fails.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Device, FakeHandler, testFakeParameters } from 'mediasoup-client';
import { SignalingClient, type SocketLike } from '../signaling.js';
import { toJson } from './mediasoupTypes.js';
import { Publications } from './publications.js';
import { Subscriptions } from './subscriptions.js';
import { MediaTransports } from './transports.js';

type Sent = { id: number; type: string; [k: string]: unknown };
type Handler = (ev: { data?: unknown; code?: number; reason?: string }) => void;

/** The fresh TURN credentials a `restartIce` reply carries. */
const FRESH_TURN = { urls: ['turn:127.0.0.1:3478?transport=udp'], username: '1999999999:p_alice', credential: 'fresh' };

/** A server that answers every request at once (publish with a track ID, restartIce with new parameters). */
class AnsweringSocket {
  sent: Sent[] = [];
  #handlers = new Map<string, Handler[]>();
  #tracks = 0;
  addEventListener(type: string, h: Handler): void {
    this.#handlers.set(type, [...(this.#handlers.get(type) ?? []), h]);
  }
  send(text: string): void {
    const msg = JSON.parse(text) as Sent;
    this.sent.push(msg);
    const result: unknown =
      msg.type === 'publish'
        ? { trackId: `t_track${++this.#tracks}` }
        : msg.type === 'restartIce'
          ? { iceParameters: testFakeParameters.generateTransportRemoteParameters().iceParameters, iceServers: [FRESH_TURN] }
          : {};
    queueMicrotask(() => {
      for (const h of this.#handlers.get('message') ?? []) h({ data: JSON.stringify({ type: 'result', id: msg.id, result }) });
    });
  }
  close(): void {}
  of(type: string): Sent[] {
    return this.sent.filter((m) => m.type === type);
  }
}

function wire(): { id: string; iceParameters: Record<string, unknown>; iceCandidates: Record<string, unknown>[]; dtlsParameters: Record<string, unknown> } {
  const t = testFakeParameters.generateTransportRemoteParameters();
  return JSON.parse(JSON.stringify({ id: t.id, iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters })) as ReturnType<typeof wire>;
}

/** Just enough of a MediaStreamTrack for mediasoup-client. */
function fakeTrack(kind: 'audio' | 'video'): MediaStreamTrack {
  return { id: `${kind}-1`, kind, enabled: true, readyState: 'live', addEventListener() {}, removeEventListener() {}, stop() {} } as unknown as MediaStreamTrack;
}

async function setup(withSend = true): Promise<{ ws: AnsweringSocket; transports: MediaTransports; signaling: SignalingClient }> {
  const device = new Device({ handlerFactory: FakeHandler.createFactory(testFakeParameters) });
  await device.load({ routerRtpCapabilities: testFakeParameters.generateRouterRtpCapabilities() });
  const ws = new AnsweringSocket();
  const signaling = SignalingClient.attach(ws as unknown as SocketLike);
  const transports = new MediaTransports(device, signaling, { send: withSend ? wire() : null, recv: wire() }, { iceServers: [], iceTransportPolicy: 'all' });
  return { ws, transports, signaling };
}

test('publishing: connect, then publish with the source; the producer is the server’s track, and its track is not stopped', async () => {
  const { ws, transports, signaling } = await setup();
  assert.ok(transports.send);
  const pubs = new Publications(transports.send, signaling);
  let stopped = false;
  const mic = { ...fakeTrack('audio'), stop: () => (stopped = true) } as unknown as MediaStreamTrack;
  const published = await pubs.publish(mic, 'microphone');
  assert.equal(published.trackId, 't_track1');
  assert.equal(ws.of('connectTransport')[0]?.transportId, transports.send.id);
  const publish = ws.of('publish')[0];
  assert.deepEqual([publish?.source, publish?.kind], ['microphone', 'audio']);
  assert.ok((publish?.rtpParameters as { codecs: unknown[] }).codecs.length > 0);
  const camera = await pubs.publish(fakeTrack('video'), 'camera');
  const cameraPublish = ws.of('publish')[1];
  assert.equal(camera.trackId, 't_track2');
  assert.equal(cameraPublish?.source, 'camera');
  assert.equal((cameraPublish?.rtpParameters as { encodings: unknown[] }).encodings.length, 3, 'simulcast');
  await camera.replaceTrack(null);
  await pubs.unpublish(published);
  assert.deepEqual(ws.of('unpublish').map((m) => m.trackId), ['t_track1']);
  transports.close();
  assert.equal(stopped, false, 'LocalMedia owns its tracks');
  signaling.close();
});

test('view-only: no send transport', async () => {
  const { transports, signaling } = await setup(false);
  assert.equal(transports.send, null);
  transports.close();
  signaling.close();
});

test('subscribing: a consumer with the server’s IDs, reported by track ID, then resumed; forgetting closes it', async () => {
  const { ws, transports, signaling } = await setup(false);
  const subs = new Subscriptions(transports.recv, signaling);
  const seen: string[] = [];
  subs.on('track', (trackId, track) => seen.push(`${trackId}:${track.kind}`));
  const remote = testFakeParameters.generateConsumerRemoteParameters({ codecMimeType: 'audio/opus' });
  await subs.add({ type: 'subscription', trackId: 't_bobmic', consumerId: remote.id, kind: 'audio', rtpParameters: toJson(remote.rtpParameters) });
  assert.deepEqual(seen, ['t_bobmic:audio']);
  assert.equal(subs.has('t_bobmic'), true);
  assert.equal(ws.of('connectTransport')[0]?.transportId, transports.recv.id);
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(ws.of('resumeSubscription').map((m) => m.trackId), ['t_bobmic']);
  subs.forget('t_bobmic');
  assert.equal(subs.has('t_bobmic'), false);
  subs.close();
  transports.close();
  signaling.close();
});

test('a failed transport asks for new ICE parameters and restarts ICE with the fresh TURN credentials of the reply', async () => {
  const { ws, transports, signaling } = await setup(false);
  const calls: string[] = [];
  const handler = (transports.recv as unknown as { handler: { updateIceServers(s: RTCIceServer[]): Promise<void>; restartIce(p: unknown): Promise<void> } }).handler;
  const update = handler.updateIceServers.bind(handler);
  const restart = handler.restartIce.bind(handler);
  handler.updateIceServers = (servers) => (calls.push(`update:${JSON.stringify(servers)}`), update(servers));
  handler.restartIce = (params) => (calls.push('restart'), restart(params));
  // The FakeHandler lets a test set the connection state as the browser would.
  (transports.recv as unknown as { handler: { setConnectionState(s: string): void } }).handler.setConnectionState('failed');
  await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual(ws.of('restartIce').map((m) => m.transportId), [transports.recv.id]);
  assert.deepEqual(calls, [`update:${JSON.stringify([FRESH_TURN])}`, 'restart'], 'the new credentials are in place before the new candidates are gathered');
  transports.close();
  signaling.close();
});

test('an iceServers event: both transports take the fresh TURN credentials for their next candidates', async () => {
  const { transports, signaling } = await setup(true);
  const seen: string[] = [];
  for (const transport of [transports.send, transports.recv]) {
    const handler = (transport as unknown as { handler: { updateIceServers(s: RTCIceServer[]): Promise<void> } }).handler;
    const update = handler.updateIceServers.bind(handler);
    handler.updateIceServers = (servers) => (seen.push(`${transport?.direction}:${JSON.stringify(servers)}`), update(servers));
  }
  await transports.updateIceServers([FRESH_TURN]);
  assert.deepEqual(seen.sort(), [`recv:${JSON.stringify([FRESH_TURN])}`, `send:${JSON.stringify([FRESH_TURN])}`]);
  transports.close();
  await transports.updateIceServers([FRESH_TURN]);
  assert.equal(seen.length, 2, 'nothing after close');
  signaling.close();
});
