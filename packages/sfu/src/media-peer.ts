/**
 * One client in a room: its router (the room's router on the worker it was placed on), its two
 * transports, the tracks it publishes (producers) and its subscriptions (consumers). Closing a
 * peer closes all of them, silently.
 */
import type { types as ms } from 'mediasoup';
import type { ConnectionState, PeerNetworkScore, TrackSource, TransportDirection } from './types.js';
import type { WorkerSlot } from './worker-pool.js';
import { MediaTransport } from './media-transport.js';
import { PeerScore } from './network-score.js';
import { Subscription } from './subscription.js';
import { SfuError, untrusted } from './errors.js';
import type { CheckedSpec } from './validate.js';

/** One producer per source, so four at most (microphone, camera, screen, screen-audio). */
const MAX_PUBLICATIONS = 4;

export interface PeerTransportSettings {
  initialOutgoingBitrate: number;
  maxIncomingBitrate: number;
  connectTimeoutMs: number;
  onState: (peerId: string, direction: TransportDirection, state: ConnectionState) => void;
  /** Its network scores changed (see PeerScore). */
  onScore?: (peerId: string, score: PeerNetworkScore) => void;
}

/** A track this peer publishes. */
export interface Publication {
  trackId: string;
  source: TrackSource;
  producer: ms.Producer;
}

export class MediaPeer {
  readonly id: string;
  readonly router: ms.Router;
  readonly slot: WorkerSlot;
  readonly rtpCapabilities: ms.RtpCapabilities;
  readonly publications = new Map<string, Publication>();
  readonly subscriptions = new Map<string, Subscription>();
  /** Subscriptions being set up, so a second subscribe() joins the first. */
  readonly pendingSubscriptions = new Map<string, Promise<Subscription>>();
  readonly #settings: PeerTransportSettings;
  readonly #transports: { send?: MediaTransport; recv?: MediaTransport } = {};
  readonly #score: PeerScore;
  #closed = false;

  constructor(id: string, router: ms.Router, slot: WorkerSlot, rtpCapabilities: ms.RtpCapabilities, settings: PeerTransportSettings) {
    this.id = id;
    this.router = router;
    this.slot = slot;
    this.rtpCapabilities = rtpCapabilities;
    this.#settings = settings;
    this.#score = new PeerScore((score) => settings.onScore?.(id, score));
  }

  get closed(): boolean {
    return this.#closed;
  }

  transport(direction: TransportDirection): MediaTransport | undefined {
    const t = this.#transports[direction];
    return t && !t.closed ? t : undefined;
  }

  transportById(transportId: string): MediaTransport {
    for (const t of [this.#transports.send, this.#transports.recv]) if (t && !t.closed && t.id === transportId) return t;
    throw new SfuError('unknown-transport', `peer ${this.id} has no transport ${transportId}`);
  }

  /**
   * A fresh transport for `direction`. The old one closes only once the new one exists, so a
   * failure leaves the peer as it was; `beforeReplace` lets the room drop what the old one carried.
   */
  async createTransport(direction: TransportDirection, beforeReplace: () => void): Promise<MediaTransport> {
    const created = await MediaTransport.create({
      direction,
      router: this.router,
      webRtcServer: this.slot.webRtcServer,
      initialOutgoingBitrate: this.#settings.initialOutgoingBitrate,
      maxIncomingBitrate: this.#settings.maxIncomingBitrate,
      connectTimeoutMs: this.#settings.connectTimeoutMs,
      onState: (state) => {
        if (this.#transports[direction] === created) this.#settings.onState(this.id, direction, state);
      },
    });
    if (this.#closed) {
      created.close();
      throw new SfuError('invalid-state', `peer ${this.id} closed`);
    }
    const old = this.#transports[direction];
    if (old) {
      beforeReplace();
      old.close();
    }
    this.#transports[direction] = created;
    return created;
  }

  /** Creates a producer on the send transport, once the limits allow it. */
  async produce(spec: CheckedSpec): Promise<Publication> {
    const transport = this.transport('send');
    if (!transport) throw new SfuError('invalid-state', `peer ${this.id} has no send transport`);
    this.#assertRoomFor(spec.source);
    const producer = await untrusted('produce', () =>
      transport.transport.produce({ kind: spec.kind, rtpParameters: spec.rtpParameters, paused: spec.paused, appData: { trackId: spec.trackId } }),
    );
    try {
      if (this.#closed || transport.closed || producer.closed) throw new SfuError('invalid-state', `peer ${this.id} or its transport closed meanwhile`);
      this.#assertRoomFor(spec.source); // a concurrent produce() may have taken the place
    } catch (error) {
      producer.close();
      throw error;
    }
    const publication: Publication = { trackId: spec.trackId, source: spec.source, producer };
    this.#score.watchProducer(producer);
    this.publications.set(spec.trackId, publication);
    return publication;
  }

  /** Creates a paused consumer of `producerId` (a producer on this peer's router) on the recv transport. */
  async consume(trackId: string, producerId: string): Promise<Subscription> {
    const transport = this.transport('recv');
    if (!transport) throw new SfuError('invalid-state', `peer ${this.id} has no recv transport`);
    if (!this.router.canConsume({ producerId, rtpCapabilities: this.rtpCapabilities })) {
      throw new SfuError('invalid-argument', `peer ${this.id} cannot receive track ${trackId} (no common codec)`);
    }
    const consumer = await untrusted('subscribe', () =>
      transport.transport.consume({ producerId, rtpCapabilities: this.rtpCapabilities, paused: true, appData: { trackId } }),
    );
    if (this.#closed || transport.closed || consumer.closed) {
      consumer.close();
      throw new SfuError('invalid-state', `subscription to ${trackId} ended while it was set up`);
    }
    const sub = new Subscription(trackId, consumer);
    this.#score.watchConsumer(consumer);
    this.subscriptions.set(trackId, sub);
    consumer.observer.once('close', () => {
      if (this.subscriptions.get(trackId) === sub) this.subscriptions.delete(trackId);
    });
    return sub;
  }

  /** Closes transports, producers and consumers. The room forgets the tracks first. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#score.close();
    for (const sub of this.subscriptions.values()) sub.close();
    this.subscriptions.clear();
    for (const pub of this.publications.values()) pub.producer.close();
    this.publications.clear();
    this.#transports.send?.close();
    this.#transports.recv?.close();
  }

  #assertRoomFor(source: TrackSource): void {
    const publications = [...this.publications.values()];
    if (publications.length >= MAX_PUBLICATIONS) throw new SfuError('invalid-state', `peer ${this.id} publishes ${MAX_PUBLICATIONS} tracks already`);
    if (publications.some((p) => p.source === source)) throw new SfuError('invalid-state', `peer ${this.id} already publishes its ${source}`);
  }
}
