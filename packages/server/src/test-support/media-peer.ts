/**
 * Node-side WebRTC peers (werift) that talk to Parley exactly as a browser does: a publisher
 * connection that offers, a subscriber connection that answers the server's offers. The publisher
 * sends synthetic RTP (recognisable payloads); the subscriber records what arrives per track.
 */
import { RTCPeerConnection, RtpHeader, RtpPacket, useOPUS, useVP8, type RTCRtpTransceiver } from 'werift';
import type { ServerMessage, TrackSource } from '@parley/protocol';
import type { TestClient } from './ws-client.js';

function newPeerConnection(): RTCPeerConnection {
  return new RTCPeerConnection({ iceServers: [], iceUseIpv6: false, codecs: { audio: [useOPUS()], video: [useVP8()] } });
}

export interface PublishedTestTrack {
  trackId: string;
  transceiver: RTCRtpTransceiver;
  /** Keyframe requests (PLI) the SFU sent for this track. */
  readonly plis: number;
  stop(): void;
}

/** Publishes synthetic media on one publisher connection. */
export class TestPublisher {
  readonly pc = newPeerConnection();
  readonly #client: TestClient;
  readonly #timers: NodeJS.Timeout[] = [];

  constructor(client: TestClient) {
    this.#client = client;
  }

  /** Adds a track, negotiates it with `publish`, and starts sending packets whose payload starts with `tag`. */
  async publish(source: TrackSource, tag: string): Promise<PublishedTestTrack> {
    const kind = source === 'microphone' || source === 'screen-audio' ? 'audio' : 'video';
    const transceiver = this.pc.addTransceiver(kind, { direction: 'sendonly' });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const result = await this.#client.request('publish', {
      source,
      kind,
      mid: transceiver.mid,
      sdp: this.pc.localDescription?.sdp,
    });
    await this.pc.setRemoteDescription({ type: 'answer', sdp: result.sdp });
    let plis = 0;
    transceiver.sender.onPictureLossIndication.subscribe(() => (plis += 1));
    let seq = 0;
    const timer = setInterval(() => {
      if (this.pc.connectionState !== 'connected') return;
      seq = (seq + 1) & 0xffff;
      const header = new RtpHeader({ sequenceNumber: seq, timestamp: seq * 3000, marker: true, payloadType: 96 });
      transceiver.sender.sendRtp(new RtpPacket(header, Buffer.from(`${tag}:${seq}`))).catch(() => undefined);
    }, kind === 'video' ? 33 : 20);
    this.#timers.push(timer);
    return {
      trackId: result.trackId,
      transceiver,
      get plis() {
        return plis;
      },
      stop: () => clearInterval(timer),
    };
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    await this.pc.close();
  }
}

/** Answers every `offer` on a client's socket and records the RTP payloads received per track. */
export class TestSubscriber {
  readonly pc = newPeerConnection();
  /** trackId → payloads received (as text). */
  readonly received = new Map<string, string[]>();
  readonly #client: TestClient;
  #midToTrack = new Map<string, string>();
  #listening = new Set<RTCRtpTransceiver>();
  #chain: Promise<void> = Promise.resolve();
  #negotiations = 0;

  constructor(client: TestClient) {
    this.#client = client;
  }

  /** Starts answering offers, including any already received. */
  start(): void {
    let seen = 0;
    const pump = (): void => {
      const offers = this.#client.messages.filter((m): m is Extract<ServerMessage, { type: 'offer' }> => m.type === 'offer');
      for (const offer of offers.slice(seen)) this.#chain = this.#chain.then(() => this.#answer(offer));
      seen = offers.length;
    };
    pump();
    this.#interval = setInterval(pump, 20);
  }

  #interval: NodeJS.Timeout | undefined;

  get negotiations(): number {
    return this.#negotiations;
  }

  async #answer(offer: Extract<ServerMessage, { type: 'offer' }>): Promise<void> {
    this.#midToTrack = new Map(offer.tracks.map(({ mid, trackId }) => [mid, trackId]));
    // werift would otherwise recycle an inactive transceiver for a new m-line (browsers do not).
    for (const transceiver of this.pc.getTransceivers()) transceiver.usedForSender = true;
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    for (const transceiver of this.pc.getTransceivers()) {
      if (this.#listening.has(transceiver)) continue;
      this.#listening.add(transceiver);
      transceiver.receiver.track.onReceiveRtp.subscribe((rtp) => {
        const trackId = this.#midToTrack.get(transceiver.mid ?? '');
        if (!trackId) return;
        const list = this.received.get(trackId) ?? [];
        list.push(rtp.payload.toString('utf8'));
        this.received.set(trackId, list);
      });
    }
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await this.#client.request('answer', { negotiationId: offer.negotiationId, sdp: this.pc.localDescription?.sdp });
    this.#negotiations += 1;
  }

  /** Resolves once `count` packets of `trackId` have arrived. */
  async waitForPackets(trackId: string, count: number, timeoutMs = 10_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const list = this.received.get(trackId) ?? [];
      if (list.length >= count) return list;
      if (Date.now() > deadline) throw new Error(`only ${list.length} of ${count} packets of ${trackId} arrived`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#interval);
    await this.pc.close();
  }
}
