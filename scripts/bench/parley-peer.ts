/**
 * A Node participant in Parley, as the web client is one: Parley's signaling (hello → join →
 * setupMedia → connectTransport/publish; `subscription` → consume → resumeSubscription →
 * setSubscription) and mediasoup-client's Chrome111 handler over libwebrtc. Subscriptions are
 * not decoded (no sink is attached) unless asked for; packets are counted from the recv
 * transport's stats (wrtc has no receiver.getStats; the transport's work).
 */
import { PROTOCOL_VERSION, type RoomState, type ServerMessage } from '@parley/protocol';
import { Device, type types } from 'mediasoup-client';
import { TEST_CLIENT_BUILD } from '../../packages/server/src/test-support/client-build.js';
import { TestClient } from '../../packages/server/src/test-support/ws-client.js';
import type { Layer, LayerStat, PeerStats } from './peer-ipc.js';
import { inboundCounts, outboundLayers, statsOf, syntheticAudio, syntheticVideo, wrtc, type Source } from './wrtc-env.js';

type SubscriptionEvent = Extract<ServerMessage, { type: 'subscription' }>;

export interface ParleyPeerOptions {
  wsUrl: string;
  meetingId: string;
  passcode: string | null;
  name: string;
  localAddress: string;
  audio: boolean;
  video: boolean;
  width: number;
  height: number;
  layer: Layer;
  /** Attach an RTCVideoSink to video subscriptions and note when the first frame is decoded. */
  decode?: boolean;
}

export class ParleyPeer {
  readonly #o: ParleyPeerOptions;
  #client: TestClient | undefined;
  #send: types.Transport | undefined;
  #recv: types.Transport | undefined;
  readonly #sources: Source[] = [];
  readonly #cleanup: (() => void)[] = [];
  #seen = 0;
  #pump: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();
  /** performance.now() of the first decoded video frame, when decoding. */
  firstFrameAt: number | undefined;
  /** performance.now() just before `join` was sent. */
  joinSentAt = 0;

  constructor(options: ParleyPeerOptions) {
    this.#o = options;
  }

  async start(): Promise<void> {
    const o = this.#o;
    const client = await TestClient.connect(o.wsUrl, {}, o.localAddress);
    this.#client = client;
    await client.request('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild: TEST_CLIENT_BUILD });
    this.joinSentAt = performance.now();
    const joined = await client.request('join', { meetingId: o.meetingId, displayName: o.name, ...(o.passcode ? { passcode: o.passcode } : {}) });
    if (joined.status !== 'admitted') throw new Error(`${o.name} not admitted: ${joined.reason}`);
    const state: RoomState = joined.state;
    const device = new Device({ handlerName: 'Chrome111' });
    await device.load({ routerRtpCapabilities: state.media.rtpCapabilities as unknown as types.RtpCapabilities });
    const since = client.messages.length;
    const media = await client.request('setupMedia', { rtpCapabilities: device.rtpCapabilities });
    const options = (t: typeof media.recv): types.TransportOptions => ({ ...(t as unknown as types.TransportOptions), iceServers: [] });
    const recv = device.createRecvTransport(options(media.recv));
    this.#recv = recv;
    recv.on('connect', ({ dtlsParameters }, done, fail) => {
      client.request('connectTransport', { transportId: media.recv.id, dtlsParameters }).then(() => done(), fail);
    });
    this.#seen = since;
    this.#pump = setInterval(() => this.#drain(), 20);
    if ((o.audio || o.video) && media.send) {
      const sendId = media.send.id;
      const send = device.createSendTransport(options(media.send));
      this.#send = send;
      send.on('connect', ({ dtlsParameters }, done, fail) => {
        client.request('connectTransport', { transportId: sendId, dtlsParameters }).then(() => done(), fail);
      });
      send.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
        client.request('publish', { source: appData.source, kind, rtpParameters }).then((r) => done({ id: r.trackId }), fail);
      });
      if (o.video) {
        const video = syntheticVideo(o.width, o.height);
        this.#sources.push(video);
        await send.produce({
          track: video.track,
          appData: { source: 'camera' },
          // As the web client publishes a camera (packages/web/src/lib/media/publications.ts): start the
          // bandwidth estimate at 1 Mbit/s instead of libwebrtc's 300 kbit/s.
          codecOptions: { videoGoogleStartBitrate: 1000 },
          encodings: [
            { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
            { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
            { rid: 'r2', maxBitrate: 1_500_000 },
          ],
        });
      }
      if (o.audio) {
        const audio = syntheticAudio();
        this.#sources.push(audio);
        await send.produce({ track: audio.track, appData: { source: 'microphone' } });
      }
    }
  }

  #drain(): void {
    const client = this.#client;
    if (!client) return;
    const offers = client.messages.slice(this.#seen).filter((m): m is SubscriptionEvent => m.type === 'subscription');
    this.#seen = client.messages.length;
    for (const offer of offers) this.#chain = this.#chain.then(() => this.#consume(offer)).catch(() => undefined);
  }

  async #consume(offer: SubscriptionEvent): Promise<void> {
    const recv = this.#recv;
    const client = this.#client;
    if (!recv || !client) return;
    const consumer = await recv.consume({
      id: offer.consumerId,
      producerId: offer.trackId,
      kind: offer.kind,
      rtpParameters: offer.rtpParameters as unknown as types.RtpParameters,
    });
    if (offer.kind === 'video' && this.#o.decode) {
      const sink = new wrtc.nonstandard.RTCVideoSink(consumer.track);
      sink.onframe = () => {
        this.firstFrameAt ??= performance.now();
      };
      this.#cleanup.push(() => sink.stop());
    }
    await client.request('resumeSubscription', { trackId: offer.trackId });
    if (offer.kind === 'video') await client.request('setSubscription', { trackId: offer.trackId, layer: this.#o.layer });
  }

  async stats(): Promise<PeerStats> {
    const recv = this.#recv;
    if (!recv) return { connected: false, audioPackets: 0, videoPackets: 0, lost: 0, videoLost: 0 };
    const counts = inboundCounts(statsOf(await recv.getStats()));
    return { connected: recv.connectionState === 'connected' && counts.audioPackets + counts.videoPackets > 0, ...counts };
  }

  async layers(): Promise<LayerStat[]> {
    return this.#send ? outboundLayers(statsOf(await this.#send.getStats())) : [];
  }

  async close(): Promise<void> {
    clearInterval(this.#pump);
    for (const fn of this.#cleanup.splice(0)) fn();
    for (const s of this.#sources.splice(0)) s.stop();
    this.#send?.close();
    this.#recv?.close();
    await this.#client?.close().catch(() => undefined);
  }
}
