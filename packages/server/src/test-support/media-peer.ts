/**
 * A Node-side participant's media, as a browser has it: mediasoup-client (the same library the web
 * client uses) over @roamhq/wrtc (libwebrtc for Node), through Parley's signaling. It publishes
 * synthetic camera video (with three simulcast layers) and microphone audio, receives every
 * `subscription`, and counts per track the video frames decoded and the audio packets received.
 */
import { wrtc } from './wrtc-globals.js';
import { Device, type types } from 'mediasoup-client';
import type { RoomState, ServerMessage, TrackSource } from '@parley/protocol';
import type { TestClient } from './ws-client.js';

type SubscriptionEvent = Extract<ServerMessage, { type: 'subscription' }>;

export interface PublishedTestTrack {
  trackId: string;
  producer: types.Producer;
  stop(): void;
}

/** Waits for `check` to hold, polling; the deadline is generous (tests run on busy machines). */
export async function eventually(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function syntheticVideo(): { track: MediaStreamTrack; stop(): void } {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  const width = 640;
  const height = 360;
  const data = new Uint8Array(width * height * 1.5);
  let n = 0;
  const timer = setInterval(() => {
    n += 1;
    data.fill(n & 0xff, 0, width * height);
    source.onFrame({ width, height, data });
  }, 33);
  return { track, stop: () => clearInterval(timer) };
}

function syntheticAudio(): { track: MediaStreamTrack; stop(): void } {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  const sampleRate = 48_000;
  const samples = new Int16Array(sampleRate / 100);
  let t = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * t++) / sampleRate));
    source.onData({ samples, sampleRate, bitsPerSample: 16, channelCount: 1, numberOfFrames: samples.length });
  }, 10);
  return { track, stop: () => clearInterval(timer) };
}

export class TestMedia {
  readonly device = new Device({ handlerName: 'Chrome111' });
  /** trackId → decoded video frames. */
  readonly #frames = new Map<string, number>();
  /** trackId → the SSRC its packets arrive with. */
  readonly #ssrcs = new Map<string, number>();
  readonly #client: TestClient;
  readonly #state: RoomState;
  #send: types.Transport | undefined;
  #recv: types.Transport | undefined;
  readonly #cleanup: (() => void)[] = [];
  #seen = 0;
  #pump: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(client: TestClient, state: RoomState) {
    this.#client = client;
    this.#state = state;
  }

  /** Loads the device, sets up both transports, and starts receiving every subscription offered. */
  async setup(): Promise<this> {
    await this.device.load({ routerRtpCapabilities: this.#state.media.rtpCapabilities as unknown as types.RtpCapabilities });
    const since = this.#client.messages.length;
    const result = await this.#client.request('setupMedia', { rtpCapabilities: this.device.rtpCapabilities });
    const transport = (options: typeof result.recv): types.TransportOptions => options as unknown as types.TransportOptions;
    this.#recv = this.device.createRecvTransport(transport(result.recv));
    this.#recv.on('connect', ({ dtlsParameters }, done, fail) => {
      this.#client.request('connectTransport', { transportId: result.recv.id, dtlsParameters }).then(() => done(), fail);
    });
    if (result.send) {
      const sendId = result.send.id;
      this.#send = this.device.createSendTransport(transport(result.send));
      this.#send.on('connect', ({ dtlsParameters }, done, fail) => {
        this.#client.request('connectTransport', { transportId: sendId, dtlsParameters }).then(() => done(), fail);
      });
      this.#send.on('produce', ({ kind, rtpParameters, appData }, done, fail) => {
        this.#client
          .request('publish', { source: appData.source, kind, rtpParameters })
          .then((r) => done({ id: r.trackId }), fail);
      });
    }
    this.#seen = since;
    this.#pump = setInterval(() => this.#drain(), 20);
    return this;
  }

  get sendTransport(): types.Transport | undefined {
    return this.#send;
  }

  get recvTransport(): types.Transport | undefined {
    return this.#recv;
  }

  /** Publishes synthetic media as `source`; camera video goes out in three simulcast layers. */
  async publish(source: TrackSource): Promise<PublishedTestTrack> {
    if (!this.#send) throw new Error('no send transport');
    const media = source === 'microphone' || source === 'screen-audio' ? syntheticAudio() : syntheticVideo();
    const encodings =
      source === 'camera'
        ? [
            { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 100_000 },
            { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 300_000 },
            { rid: 'r2', maxBitrate: 900_000 },
          ]
        : undefined;
    const producer = await this.#send.produce({ track: media.track, appData: { source }, ...(encodings ? { encodings } : {}) });
    const stop = (): void => {
      media.stop();
      producer.close();
    };
    this.#cleanup.push(stop);
    return { trackId: producer.id, producer, stop };
  }

  /**
   * Video frames decoded, or audio packets received, for `trackId` so far. (Audio is counted from
   * the transport's stats: libwebrtc plays silence into an audio sink whether packets come or not.)
   */
  async count(trackId: string): Promise<number> {
    const ssrc = this.#ssrcs.get(trackId);
    if (ssrc === undefined || !this.#recv) return 0;
    if (this.#frames.has(trackId)) return this.#frames.get(trackId) ?? 0;
    const stats = await this.#recv.getStats();
    let packets = 0;
    stats.forEach((s: { type: string; ssrc?: number; packetsReceived?: number }) => {
      if (s.type === 'inbound-rtp' && s.ssrc === ssrc) packets = s.packetsReceived ?? 0;
    });
    return packets;
  }

  /** Resolves once `count` more frames (video) or packets (audio) of `trackId` have arrived. */
  async waitForMedia(trackId: string, count = 10, timeoutMs = 30_000): Promise<void> {
    const start = await this.count(trackId);
    await eventually(async () => (await this.count(trackId)) >= start + count, `${count} frames or packets of ${trackId}`, timeoutMs);
  }

  #drain(): void {
    const offers = this.#client.messages.slice(this.#seen).filter((m): m is SubscriptionEvent => m.type === 'subscription');
    this.#seen = this.#client.messages.length;
    for (const offer of offers) this.#chain = this.#chain.then(() => this.#consume(offer)).catch(() => undefined);
  }

  async #consume(offer: SubscriptionEvent): Promise<void> {
    if (!this.#recv) return;
    const consumer = await this.#recv.consume({
      id: offer.consumerId,
      producerId: offer.trackId,
      kind: offer.kind,
      rtpParameters: offer.rtpParameters as unknown as types.RtpParameters,
    });
    const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    if (ssrc !== undefined) this.#ssrcs.set(offer.trackId, ssrc);
    if (offer.kind === 'video') {
      this.#frames.set(offer.trackId, 0);
      const sink = new wrtc.nonstandard.RTCVideoSink(consumer.track);
      sink.onframe = () => this.#frames.set(offer.trackId, (this.#frames.get(offer.trackId) ?? 0) + 1);
      this.#cleanup.push(() => sink.stop());
    }
    await this.#client.request('resumeSubscription', { trackId: offer.trackId });
  }

  close(): void {
    clearInterval(this.#pump);
    for (const fn of this.#cleanup.splice(0)) fn();
    this.#send?.close();
    this.#recv?.close();
  }
}
