/**
 * A peer's publisher connection: the client offers, the SFU answers. Turns the m-lines the room
 * registers into PublishedTracks (in the SFU-wide registry), ends them on unpublish, and sends
 * REMB so the client's sending bitrate can ramp up.
 */
import { randomUUID } from 'node:crypto';
import type { RTCRtpTransceiver, SessionDescription } from 'werift';
import { choosePublisherCodec } from './codecs.js';
import { Connection } from './connection.js';
import type { Counters } from './counters.js';
import { SfuError, sdpFailure } from './errors.js';
import { PublishedTrack } from './published-track.js';
import { buildRemb } from './remb.js';
import { checkPublishedMedia, isMediaKind, parseClientSdp } from './sdp-check.js';
import { fixMediaPorts } from './sdp-rewrite.js';
import type { ConnectionState, PublishedTrackSpec, SfuOptions } from './types.js';
import { sendRtcp } from './werift-glue.js';

const REMB_INTERVAL_MS = 1000;
const DEFAULT_MAX_INCOMING_BITRATE = 2_500_000;

export interface PublisherInit {
  peerId: string;
  options: SfuOptions;
  /** The SFU-wide registry: track IDs are unique across the SFU. */
  registry: Map<string, PublishedTrack>;
  counters: Counters;
  connectTimeoutMs: number;
  onState: (state: ConnectionState) => void;
  onFlowing: (trackId: string) => void;
}

export class Publisher {
  readonly #init: PublisherInit;
  readonly #connection: Connection;
  readonly #tracks = new Map<string, PublishedTrack>();
  readonly #remb: NodeJS.Timeout;
  /** One msid stream per publishing peer; random so that no room identifier leaks into SDP. */
  readonly #streamId = randomUUID();
  #closed = false;

  constructor(init: PublisherInit) {
    this.#init = init;
    this.#connection = new Connection({
      role: 'publisher',
      options: init.options,
      connectTimeoutMs: init.connectTimeoutMs,
      onState: init.onState,
    });
    this.#remb = setInterval(() => this.#sendRemb(), REMB_INTERVAL_MS);
    this.#remb.unref();
  }

  get tracks(): ReadonlyMap<string, PublishedTrack> {
    return this.#tracks;
  }

  publish(offerSdp: string, specs: readonly PublishedTrackSpec[]): Promise<string> {
    return this.#connection.run(async () => {
      const offer = parseClientSdp(offerSdp, 'offer');
      checkPublishedMedia(offer, specs);
      for (const spec of specs) {
        if (this.#init.registry.has(spec.trackId)) throw new SfuError('track-exists', `track ${spec.trackId} already exists`);
        if (this.#trackByMid(spec.mid)) throw new SfuError('invalid-argument', `mid ${spec.mid} already carries a track`);
      }
      await this.#applyOffer(offerSdp);
      const pending = specs.map((spec) => {
        const transceiver = this.#transceiverByMid(spec.mid);
        const source = transceiver?.receiver.tracks[0];
        const codec = transceiver?.codecs[0];
        return transceiver && source && codec ? { spec, transceiver, source, codec } : undefined;
      });
      if (pending.some((p) => p === undefined)) {
        await this.#rollback();
        throw new SfuError('invalid-sdp', 'a published m-line cannot be received (no codec the SFU forwards?)');
      }
      const answer = await this.#answer(offer);
      if (this.#closed) throw new SfuError('unknown-peer', `peer ${this.#init.peerId} closed while publishing`);
      for (const { spec, transceiver, source, codec } of pending.filter((p) => p !== undefined)) {
        const track = new PublishedTrack({
          trackId: spec.trackId,
          kind: spec.kind,
          mid: spec.mid,
          streamId: this.#streamId,
          codec,
          receiver: transceiver.receiver,
          source,
          counters: this.#init.counters,
          onFlowing: this.#init.onFlowing,
        });
        this.#tracks.set(track.id, track);
        this.#init.registry.set(track.id, track);
      }
      return answer;
    });
  }

  unpublish(offerSdp: string, trackIds: readonly string[]): Promise<string> {
    return this.#connection.run(async () => {
      for (const id of trackIds) {
        if (!this.#tracks.has(id)) throw new SfuError('unknown-track', `peer ${this.#init.peerId} publishes no track ${id}`);
      }
      const offer = parseClientSdp(offerSdp, 'offer');
      await this.#applyOffer(offerSdp);
      const answer = await this.#answer(offer);
      for (const id of trackIds) this.#closeTrack(id);
      return answer;
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#remb);
    for (const id of [...this.#tracks.keys()]) this.#closeTrack(id);
    await this.#connection.close();
  }

  async #applyOffer(offerSdp: string): Promise<void> {
    const pc = this.#connection.pc;
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: offerSdp });
    } catch (error) {
      await this.#rollback();
      throw sdpFailure('publisher offer rejected', error);
    }
    // Answer exactly one codec per m-line so the publisher cannot switch codecs under the
    // subscribers' feet, and with the SFU's own RTCP feedback (NACK, PLI, REMB; no transport-cc).
    for (const transceiver of pc.getTransceivers()) {
      // werift would otherwise recycle an inactive m-line's transceiver for a new one.
      transceiver.usedForSender = true;
      const live = transceiver.mid === null ? undefined : this.#trackByMid(transceiver.mid);
      if (!isMediaKind(transceiver.kind)) continue;
      const codec = choosePublisherCodec(transceiver.codecs, transceiver.kind, live?.codecKey);
      if (codec) transceiver.codecs = [codec];
      if (live && codec) live.setPublisherPayloadType(codec.payloadType);
    }
  }

  async #answer(offer: SessionDescription): Promise<string> {
    const pc = this.#connection.pc;
    try {
      await pc.setLocalDescription(await pc.createAnswer());
    } catch (error) {
      await this.#rollback();
      throw sdpFailure('cannot answer publisher offer', error);
    }
    const sdp = pc.localDescription?.sdp;
    if (!sdp) throw new SfuError('invalid-state', 'no local description after answering');
    this.#connection.armWatchdog();
    const rejectedByClient = offer.media.filter((m) => m.port === 0).flatMap((m) => (m.rtp.muxId ? [m.rtp.muxId] : []));
    return fixMediaPorts(sdp, new Set(rejectedByClient));
  }

  async #rollback(): Promise<void> {
    const pc = this.#connection.pc;
    if (pc.signalingState !== 'have-remote-offer') return;
    await pc.setRemoteDescription({ type: 'rollback', sdp: '' }).catch(() => undefined);
  }

  #closeTrack(id: string): void {
    const track = this.#tracks.get(id);
    if (!track) return;
    track.close();
    this.#tracks.delete(id);
    if (this.#init.registry.get(id) === track) this.#init.registry.delete(id);
  }

  #trackByMid(mid: string): PublishedTrack | undefined {
    return [...this.#tracks.values()].find((t) => t.mid === mid);
  }

  #transceiverByMid(mid: string): RTCRtpTransceiver | undefined {
    return this.#connection.pc.getTransceivers().find((t) => t.mid === mid);
  }

  #firstReceiver(): RTCRtpTransceiver['receiver'] | undefined {
    const first = [...this.#tracks.values()][0];
    return first ? this.#transceiverByMid(first.mid)?.receiver : undefined;
  }

  #sendRemb(): void {
    const receiver = this.#firstReceiver();
    const ssrcs = this.#mediaSsrcs();
    if (!receiver || ssrcs.length === 0) return;
    const bitrate = this.#init.options.maxIncomingBitrate ?? DEFAULT_MAX_INCOMING_BITRATE;
    void sendRtcp(receiver, buildRemb(receiver.rtcpSsrc, ssrcs, bitrate));
  }

  #mediaSsrcs(): number[] {
    const ssrcs: number[] = [];
    for (const track of this.#tracks.values()) {
      const ssrc = track.ssrc;
      if (ssrc !== undefined) ssrcs.push(ssrc);
    }
    return ssrcs;
  }
}
