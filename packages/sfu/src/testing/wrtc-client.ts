/**
 * A real WebRTC client in Node, for tests: mediasoup-client (the browser library Parley's web
 * client uses, with its Chrome111 handler) over @roamhq/wrtc (libwebrtc for Node). Its media is
 * synthetic but real: a moving I420 picture and a sine tone (or silence) fed through wrtc's
 * RTCVideoSource / RTCAudioSource, encoded by libwebrtc, sent over ICE+DTLS+SRTP. Receipt is
 * read from the receiver's getStats() (inbound-rtp packetsReceived, framesDecoded, frameWidth).
 *
 * It knows nothing of signalling: the caller passes the server's transport options and wires
 * `connect` / `produce` to whatever carries them (the SFU contract directly, or a WebSocket).
 *
 * The wrtc and mediasoup-client types name DOM classes this Node project does not have, so the
 * little of them used here is typed once below (the edge of an untyped library).
 */
import wrtc from '@roamhq/wrtc';
import { Device } from 'mediasoup-client';
import type { types as msc } from 'mediasoup-client';
import type { MediaJson, MediaKind, SubscriptionOptions, TransportOptions } from '../types.js';

/** The part of a wrtc MediaStreamTrack used here. */
interface NodeTrack {
  readonly kind: string;
  stop(): void;
}
interface VideoSource {
  createTrack(): NodeTrack;
  onFrame(frame: { width: number; height: number; data: Uint8Array }): void;
}
interface AudioSource {
  createTrack(): NodeTrack;
  onData(data: { samples: Int16Array; sampleRate: number; bitsPerSample: number; channelCount: number; numberOfFrames: number }): void;
}
interface Nonstandard {
  RTCVideoSource: new () => VideoSource;
  RTCAudioSource: new () => AudioSource;
}

let installed = false;
/** mediasoup-client looks for the WebRTC classes on the global object, as in a browser. */
export function installWrtcGlobals(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as Record<string, unknown>;
  const w = wrtc as unknown as Record<string, unknown>;
  for (const name of ['RTCPeerConnection', 'RTCSessionDescription', 'RTCIceCandidate', 'MediaStream', 'MediaStreamTrack', 'RTCRtpSender', 'RTCRtpReceiver', 'RTCRtpTransceiver']) {
    g[name] ??= w[name];
  }
  // wrtc 0.10 segfaults in its native teardown when Node frees the environment after a natural
  // exit (once any RTCPeerConnection with a transport existed). process.exit() from the 'exit'
  // event skips that teardown; everything (test reports included) is written by then.
  process.once('exit', (code) => process.exit(code));
}

export interface InboundStats {
  packetsReceived: number;
  bytesReceived: number;
  framesDecoded: number;
  frameWidth: number;
}

export interface PublishOptions {
  kind: MediaKind;
  /** Video: three simulcast encodings (1/4, 1/2, full size) as the web client sends a camera. */
  simulcast?: boolean;
  /** Video size (default 320x240; 1280x720 for simulcast, which libwebrtc needs for three layers). */
  width?: number;
  height?: number;
  /** Audio: start with a loud tone (true) or silence (false, default). */
  loud?: boolean;
  /** Called with what the SFU's `produce` needs; returns the track ID (the mediasoup-client producer ID). */
  produce: (kind: MediaKind, rtpParameters: MediaJson) => Promise<string>;
}

/** A synthetic track being sent. */
export class Publication {
  readonly trackId: string;
  readonly #producer: msc.Producer;
  readonly #timer: NodeJS.Timeout;
  readonly #track: NodeTrack;
  readonly #tone: { loud: boolean };

  constructor(trackId: string, producer: msc.Producer, track: NodeTrack, timer: NodeJS.Timeout, tone: { loud: boolean }) {
    this.trackId = trackId;
    this.#producer = producer;
    this.#track = track;
    this.#timer = timer;
    this.#tone = tone;
  }

  /** Audio: switch between the tone and silence. */
  set loud(loud: boolean) {
    this.#tone.loud = loud;
  }

  get loud(): boolean {
    return this.#tone.loud;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#producer.close();
    this.#track.stop();
  }
}

export class WrtcClient {
  readonly device: Device;
  #send: msc.Transport | undefined;
  #recv: msc.Transport | undefined;
  readonly #publications = new Set<Publication>();
  readonly #consumers = new Map<string, msc.Consumer>();

  private constructor(device: Device) {
    this.device = device;
  }

  /** Loads a device with the room's router capabilities (SfuControl.openRoom's result). */
  static async create(routerRtpCapabilities: MediaJson): Promise<WrtcClient> {
    installWrtcGlobals();
    const device = new Device({ handlerName: 'Chrome111' });
    await device.load({ routerRtpCapabilities: routerRtpCapabilities as unknown as msc.RtpCapabilities });
    return new WrtcClient(device);
  }

  /** What this client can receive (SfuControl.createPeer's rtpCapabilities). */
  get rtpCapabilities(): MediaJson {
    return structuredClone(this.device.rtpCapabilities) as unknown as MediaJson;
  }

  /** Creates the client side of a send transport; `connect` gets its DTLS parameters. */
  openSend(options: TransportOptions, connect: (dtlsParameters: MediaJson) => Promise<void>): void {
    this.#send?.close();
    this.#send = this.device.createSendTransport(transportOptions(options));
    wireConnect(this.#send, connect);
  }

  openRecv(options: TransportOptions, connect: (dtlsParameters: MediaJson) => Promise<void>): void {
    this.#recv?.close();
    this.#recv = this.device.createRecvTransport(transportOptions(options));
    wireConnect(this.#recv, connect);
  }

  /** Starts sending a synthetic track; resolves once the SFU accepted it. */
  async publish(options: PublishOptions): Promise<Publication> {
    const transport = this.#send;
    if (!transport) throw new Error('openSend first');
    const listener = ({ kind, rtpParameters }: { kind: MediaKind; rtpParameters: msc.RtpParameters }, callback: (r: { id: string }) => void, errback: (e: Error) => void): void => {
      options.produce(kind, structuredClone(rtpParameters) as unknown as MediaJson).then((id) => callback({ id }), errback);
    };
    transport.on('produce', listener);
    const nonstandard = (wrtc as unknown as { nonstandard: Nonstandard }).nonstandard;
    let track: NodeTrack;
    let timer: NodeJS.Timeout;
    const tone = { loud: options.loud ?? false };
    if (options.kind === 'video') {
      const source = new nonstandard.RTCVideoSource();
      track = source.createTrack();
      const width = options.width ?? (options.simulcast ? 1280 : 320);
      const height = options.height ?? (options.simulcast ? 720 : 240);
      timer = startVideo(source, width, height);
    } else {
      const source = new nonstandard.RTCAudioSource();
      track = source.createTrack();
      timer = startAudio(source, () => tone.loud);
    }
    try {
      const producer = await transport.produce({
        track: track as unknown as msc.Producer['track'] & object,
        ...(options.simulcast
          ? { encodings: [{ scaleResolutionDownBy: 4, maxBitrate: 150_000 }, { scaleResolutionDownBy: 2, maxBitrate: 500_000 }, { scaleResolutionDownBy: 1, maxBitrate: 1_500_000 }] }
          : {}),
      });
      const publication = new Publication(producer.id, producer, track, timer, tone);
      this.#publications.add(publication);
      return publication;
    } catch (error) {
      clearInterval(timer);
      track.stop();
      throw error;
    } finally {
      transport.off('produce', listener);
    }
  }

  /** Creates the consumer for an SFU subscription (call SfuControl.resumeSubscription after). */
  async receive(subscription: SubscriptionOptions): Promise<void> {
    const transport = this.#recv;
    if (!transport) throw new Error('openRecv first');
    const consumer = await transport.consume({
      id: subscription.id,
      producerId: subscription.trackId,
      kind: subscription.kind,
      rtpParameters: subscription.rtpParameters as unknown as msc.RtpParameters,
    });
    this.#consumers.set(subscription.trackId, consumer);
  }

  /** The receiver's inbound-rtp counters for a track it consumes (zeros before the first packet). */
  async inbound(trackId: string): Promise<InboundStats> {
    const consumer = this.#consumers.get(trackId);
    if (!consumer) throw new Error(`not receiving ${trackId}`);
    // wrtc has no RTCRtpReceiver.getStats(): read the whole connection's report and pick this
    // consumer's stream by its SSRC.
    const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
    const report = (await this.#recv?.getStats()) as unknown as Map<string, Record<string, unknown>> | undefined;
    const stats: InboundStats = { packetsReceived: 0, bytesReceived: 0, framesDecoded: 0, frameWidth: 0 };
    for (const entry of report?.values() ?? []) {
      if (entry.type !== 'inbound-rtp' || entry.ssrc !== ssrc) continue;
      stats.packetsReceived += num(entry.packetsReceived);
      stats.bytesReceived += num(entry.bytesReceived);
      stats.framesDecoded += num(entry.framesDecoded);
      stats.frameWidth = Math.max(stats.frameWidth, num(entry.frameWidth));
    }
    return stats;
  }

  close(): void {
    for (const p of this.#publications) p.close();
    this.#publications.clear();
    for (const c of this.#consumers.values()) c.close();
    this.#consumers.clear();
    this.#send?.close();
    this.#recv?.close();
  }
}

function transportOptions(options: TransportOptions): msc.TransportOptions {
  return {
    id: options.id,
    iceParameters: options.iceParameters as unknown as msc.IceParameters,
    iceCandidates: options.iceCandidates as unknown as msc.IceCandidate[],
    dtlsParameters: options.dtlsParameters as unknown as msc.DtlsParameters,
    iceServers: [],
  };
}

function wireConnect(transport: msc.Transport, connect: (dtlsParameters: MediaJson) => Promise<void>): void {
  transport.on('connect', ({ dtlsParameters }, callback, errback) => {
    connect(structuredClone(dtlsParameters) as unknown as MediaJson).then(callback, errback);
  });
}

function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** A moving gradient at 15 fps, so the encoder always has something to send. */
function startVideo(source: VideoSource, width: number, height: number): NodeJS.Timeout {
  const data = new Uint8Array(width * height * 1.5).fill(128);
  let frame = 0;
  return setInterval(() => {
    frame += 1;
    const shift = (frame * 4) % 256;
    for (let y = 0; y < height; y += 1) data.fill((y + shift) & 0xff, y * width, y * width + width);
    source.onFrame({ width, height, data });
  }, 1000 / 15);
}

/** 10 ms of 48 kHz mono per tick: a 440 Hz tone when loud, silence otherwise. */
function startAudio(source: AudioSource, loud: () => boolean): NodeJS.Timeout {
  const sampleRate = 48_000;
  const numberOfFrames = 480;
  let t = 0;
  return setInterval(() => {
    const samples = new Int16Array(numberOfFrames);
    if (loud()) for (let i = 0; i < numberOfFrames; i += 1) samples[i] = Math.round(Math.sin((2 * Math.PI * 440 * (t + i)) / sampleRate) * 16_000);
    t += numberOfFrames;
    source.onData({ samples, sampleRate, bitsPerSample: 16, channelCount: 1, numberOfFrames });
  }, 10);
}
