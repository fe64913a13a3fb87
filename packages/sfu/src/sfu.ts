/**
 * The SfuControl implementation: owns the peers and the SFU-wide track registry, validates every
 * call at the boundary, and turns werift's failures into SfuErrors. Nothing here touches RTP.
 */
import { Counters } from './counters.js';
import { TypedEmitter } from './emitter.js';
import { SfuError } from './errors.js';
import { Peer } from './peer.js';
import type { PublishedTrack } from './published-track.js';
import { isMediaKind } from './sdp-check.js';
import type { PublishedTrackSpec, SfuControl, SfuEvents, SfuOptions, SfuStats, SubscriberOffer } from './types.js';

const DEFAULT_CONNECT_TIMEOUT_MS = 20_000;
const MAX_ID_LENGTH = 256;

export class Sfu implements SfuControl {
  readonly #options: SfuOptions;
  readonly #peers = new Map<string, Peer>();
  readonly #tracks = new Map<string, PublishedTrack>();
  readonly #counters = new Counters();
  readonly #events = new TypedEmitter<SfuEvents>();
  #closing: Promise<void> | undefined;

  constructor(options: SfuOptions = {}) {
    validateOptions(options);
    this.#options = structuredClone(options);
  }

  async createPeer(peerId: string): Promise<void> {
    this.#assertOpen();
    checkId(peerId, 'peerId');
    if (this.#peers.has(peerId)) throw new SfuError('peer-exists', `peer ${peerId} already exists`);
    const peer = new Peer({
      id: peerId,
      options: this.#options,
      registry: this.#tracks,
      counters: this.#counters,
      connectTimeoutMs: this.#options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
      onState: (role, state) => this.#events.emit('connectionState', peerId, role, state),
      onFlowing: (trackId) => this.#events.emit('trackFlowing', trackId),
    });
    this.#peers.set(peerId, peer);
  }

  async publish(peerId: string, offerSdp: string, tracks: PublishedTrackSpec[]): Promise<{ sdp: string }> {
    const peer = this.#peer(peerId);
    if (!Array.isArray(tracks)) throw new SfuError('invalid-argument', 'tracks must be an array');
    for (const spec of tracks) {
      checkId(spec?.trackId, 'trackId');
      checkId(spec.mid, 'mid');
      if (!isMediaKind(spec.kind)) throw new SfuError('invalid-argument', `invalid kind ${String(spec.kind)}`);
    }
    if (new Set(tracks.map((t) => t.trackId)).size !== tracks.length) throw new SfuError('invalid-argument', 'duplicate trackId');
    return { sdp: await peer.publisher.publish(offerSdp, tracks) };
  }

  async unpublish(peerId: string, offerSdp: string, trackIds: string[]): Promise<{ sdp: string }> {
    const peer = this.#peer(peerId);
    if (!Array.isArray(trackIds)) throw new SfuError('invalid-argument', 'trackIds must be an array');
    return { sdp: await peer.publisher.unpublish(offerSdp, trackIds) };
  }

  async subscribe(peerId: string, trackId: string): Promise<void> {
    const peer = this.#peer(peerId);
    const track = this.#tracks.get(trackId);
    if (!track || track.closed) throw new SfuError('unknown-track', `unknown track ${String(trackId)}`);
    peer.subscriber.subscribe(track);
  }

  async setTrackPaused(trackId: string, paused: boolean): Promise<void> {
    this.#assertOpen();
    const track = this.#tracks.get(trackId);
    if (!track || track.closed) throw new SfuError('unknown-track', `unknown track ${String(trackId)}`);
    track.setPaused(paused === true);
  }

  async unsubscribe(peerId: string, trackId: string): Promise<void> {
    this.#peer(peerId).subscriber.unsubscribe(trackId);
  }

  async createSubscriberOffer(peerId: string): Promise<SubscriberOffer> {
    return this.#peer(peerId).subscriber.createOffer();
  }

  async applySubscriberAnswer(peerId: string, answerSdp: string): Promise<void> {
    await this.#peer(peerId).subscriber.applyAnswer(answerSdp);
  }

  async closePeer(peerId: string): Promise<void> {
    this.#assertOpen();
    const peer = this.#peers.get(peerId);
    if (!peer) return;
    this.#peers.delete(peerId);
    await peer.close();
  }

  async stats(): Promise<SfuStats> {
    this.#assertOpen();
    const peers = [...this.#peers.values()];
    return {
      peers: peers.length,
      tracks: this.#tracks.size,
      subscriptions: peers.reduce((sum, p) => sum + p.subscriber.subscriptionCount, 0),
      packetsReceived: this.#counters.packetsReceived,
      packetsForwarded: this.#counters.packetsForwarded,
      keyframeRequests: this.#counters.keyframeRequests,
      retransmissions: this.#counters.retransmissionsOfClosed + peers.reduce((sum, p) => sum + p.subscriber.retransmissions(), 0),
    };
  }

  on<E extends keyof SfuEvents>(event: E, listener: (...args: SfuEvents[E]) => void): void {
    this.#events.on(event, listener);
  }

  off<E extends keyof SfuEvents>(event: E, listener: (...args: SfuEvents[E]) => void): void {
    this.#events.off(event, listener);
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      const peers = [...this.#peers.values()];
      this.#peers.clear();
      await Promise.all(peers.map((p) => p.close()));
      this.#events.removeAllListeners();
    })();
    return this.#closing;
  }

  #assertOpen(): void {
    if (this.#closing) throw new SfuError('sfu-closed', 'the SFU is closed');
  }

  #peer(peerId: string): Peer {
    this.#assertOpen();
    const peer = this.#peers.get(peerId);
    if (!peer) throw new SfuError('unknown-peer', `unknown peer ${String(peerId)}`);
    return peer;
  }
}

function checkId(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw new SfuError('invalid-argument', `${name} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`);
  }
}

function validateOptions(options: SfuOptions): void {
  const { portRange, maxIncomingBitrate, connectTimeoutMs } = options;
  if (portRange && !(Number.isInteger(portRange.min) && Number.isInteger(portRange.max) && 0 < portRange.min && portRange.min < portRange.max && portRange.max <= 65535)) {
    throw new SfuError('invalid-argument', 'portRange must be integers with 0 < min < max <= 65535');
  }
  if (maxIncomingBitrate !== undefined && !(Number.isFinite(maxIncomingBitrate) && maxIncomingBitrate > 0)) {
    throw new SfuError('invalid-argument', 'maxIncomingBitrate must be a positive number');
  }
  if (connectTimeoutMs !== undefined && !(Number.isFinite(connectTimeoutMs) && connectTimeoutMs > 0)) {
    throw new SfuError('invalid-argument', 'connectTimeoutMs must be a positive number');
  }
}
