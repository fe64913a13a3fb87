/**
 * The SFU: implements SfuControl over the worker pool. Owns the ID maps (room, peer, track) and the
 * checks on every untrusted argument; the media objects (MediaRoom, MediaPeer, Subscription) do
 * the work. Every check runs before any state changes, so a rejected call changes nothing.
 */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import { TypedEmitter } from './emitter.js';
import { SfuError, untrusted } from './errors.js';
import { WorkerPool, type WorkerSlot } from './worker-pool.js';
import { MediaRoom } from './media-room.js';
import { MediaPeer } from './media-peer.js';
import type { Subscription } from './subscription.js';
import { TrafficTotals } from './traffic.js';
import { checkProduceSpec, checkId, checkDirection, checkMediaJson, checkPreference } from './validate.js';
import type {
  MediaJson, ProduceSpec, SfuControl, SfuEvents, SfuOptions, SfuStats, SfuTrafficStats, SubscriptionOptions, TransportDirection, TransportOptions, Layer,
} from './types.js';

export class Sfu implements SfuControl {
  readonly #options: Required<Pick<SfuOptions, 'initialOutgoingBitrate' | 'maxIncomingBitrate' | 'loudestAudio' | 'connectTimeoutMs' | 'maxConsumersPerRouter'>>;
  readonly #onError: (error: unknown) => void;
  readonly #events: TypedEmitter<SfuEvents>;
  readonly #rooms = new Map<string, MediaRoom | Promise<MediaRoom>>();
  readonly #peers = new Map<string, MediaPeer>();
  readonly #peerRoom = new Map<string, MediaRoom>();
  readonly #reserved = new Set<string>(); // peer and track IDs being created
  readonly #trackRoom = new Map<string, MediaRoom>();
  readonly #trafficTotals = new TrafficTotals();
  #pool!: WorkerPool;
  #closed = false;

  private constructor(options: SfuOptions) {
    this.#onError = options.onError ?? (() => undefined);
    this.#events = new TypedEmitter<SfuEvents>(this.#onError);
    this.#options = {
      initialOutgoingBitrate: options.initialOutgoingBitrate ?? 1_000_000,
      maxIncomingBitrate: options.maxIncomingBitrate ?? 5_000_000,
      loudestAudio: options.loudestAudio ?? 6,
      connectTimeoutMs: options.connectTimeoutMs ?? 20_000,
      maxConsumersPerRouter: options.maxConsumersPerRouter ?? 500,
    };
  }

  static async create(options: SfuOptions): Promise<Sfu> {
    const sfu = new Sfu(options);
    sfu.#pool = await WorkerPool.create({
      workers: options.workers ?? 0,
      listenAddress: options.listenAddress ?? '127.0.0.1',
      announcedAddress: options.announcedAddress,
      port: options.port,
      portRange: options.portRange,
      workerBin: options.workerBin,
      onWorkerDied: (slot, error) => sfu.#workerDied(slot, error),
      onError: sfu.#onError,
    });
    return sfu;
  }

  async openRoom(roomId: string): Promise<{ rtpCapabilities: MediaJson }> {
    this.#assertOpen();
    checkId('roomId', roomId);
    let room = this.#rooms.get(roomId);
    if (!room) {
      const opening = MediaRoom.create(roomId, this.#pool, {
        maxConsumersPerRouter: this.#options.maxConsumersPerRouter,
        loudestAudio: this.#options.loudestAudio,
        onActiveSpeaker: (id, peerId) => this.#events.emit('activeSpeaker', id, peerId),
        onError: this.#onError,
      });
      room = opening;
      this.#rooms.set(roomId, opening);
      opening.then(
        (opened) => (this.#rooms.get(roomId) === opening && !this.#closed ? this.#rooms.set(roomId, opened) : opened.close()),
        () => this.#rooms.get(roomId) === opening && this.#rooms.delete(roomId),
      );
    }
    const opened = await room;
    return { rtpCapabilities: json(opened.rtpCapabilities) };
  }

  async closeRoom(roomId: string): Promise<void> {
    this.#assertOpen();
    const entry = this.#rooms.get(roomId);
    if (!entry) return;
    this.#rooms.delete(roomId);
    const room = await Promise.resolve(entry).catch(() => undefined);
    if (room) this.#dropRoom(room);
  }

  async createPeer(roomId: string, peerId: string, rtpCapabilities: MediaJson): Promise<void> {
    this.#assertOpen();
    checkId('peerId', peerId);
    const room = await this.#room(roomId);
    if (this.#peers.has(peerId) || this.#reserved.has(peerId)) throw new SfuError('peer-exists', `peer ${peerId} exists`);
    const caps = structuredClone(checkMediaJson('rtpCapabilities', rtpCapabilities)) as unknown as ms.RtpCapabilities;
    await untrusted('rtpCapabilities', () => mediasoup.ortc.validateAndNormalizeRtpCapabilities(caps));
    this.#reserved.add(peerId);
    try {
      const { router, slot } = await room.placePeer();
      this.#assertOpen();
      if (room.closed) throw new SfuError('unknown-room', `room ${roomId} closed`);
      const peer = new MediaPeer(peerId, router, slot, caps, {
        initialOutgoingBitrate: this.#options.initialOutgoingBitrate,
        maxIncomingBitrate: this.#options.maxIncomingBitrate,
        connectTimeoutMs: this.#options.connectTimeoutMs,
        onState: (id, direction, state) => this.#events.emit('connectionState', id, direction, state),
        onScore: (id, score) => this.#events.emit('networkScore', id, score),
      });
      room.peers.set(peerId, peer);
      this.#peers.set(peerId, peer);
      this.#peerRoom.set(peerId, room);
    } finally {
      this.#reserved.delete(peerId);
    }
  }

  async createTransport(peerId: string, direction: TransportDirection): Promise<TransportOptions> {
    const { peer, room } = this.#peer(peerId);
    checkDirection(direction);
    const transport = await peer.createTransport(direction, () => {
      if (direction === 'send') for (const trackId of [...peer.publications.keys()]) this.#closeTrackIn(room, trackId);
      else for (const sub of peer.subscriptions.values()) sub.close();
      if (direction === 'recv') peer.subscriptions.clear();
    });
    return transport.clientOptions();
  }

  async connectTransport(peerId: string, transportId: string, dtlsParameters: MediaJson): Promise<void> {
    const { peer } = this.#peer(peerId);
    const transport = peer.transportById(String(transportId));
    await transport.connect(structuredClone(checkMediaJson('dtlsParameters', dtlsParameters)));
  }

  async restartIce(peerId: string, transportId: string): Promise<MediaJson> {
    const { peer } = this.#peer(peerId);
    return json(await peer.transportById(String(transportId)).restartIce());
  }

  async produce(peerId: string, spec: ProduceSpec): Promise<void> {
    const { peer, room } = this.#peer(peerId);
    const checked = checkProduceSpec(spec);
    if (this.#trackRoom.has(checked.trackId) || this.#reserved.has(checked.trackId)) {
      throw new SfuError('track-exists', `track ${checked.trackId} exists`);
    }
    this.#reserved.add(checked.trackId);
    try {
      const { producer } = await peer.produce(checked);
      if (this.#closed) {
        producer.close();
        throw new SfuError('sfu-closed', 'the SFU is closed');
      }
      this.#trackRoom.set(checked.trackId, room);
      producer.observer.once('close', () => {
        if (room.tracks.get(checked.trackId)?.producer === producer) this.#closeTrackIn(room, checked.trackId);
      });
      room.addTrack({ trackId: checked.trackId, peer, source: checked.source, kind: checked.kind, producer, pipes: new Map() });
    } finally {
      this.#reserved.delete(checked.trackId);
    }
  }

  async closeTrack(trackId: string): Promise<void> {
    this.#assertOpen();
    const room = this.#trackRoom.get(trackId);
    if (room) this.#closeTrackIn(room, trackId);
  }

  async setTrackPaused(trackId: string, paused: boolean): Promise<void> {
    const { room, track } = this.#track(trackId);
    if (typeof paused !== 'boolean') throw new SfuError('invalid-argument', 'paused must be a boolean');
    if (paused) return track.producer.pause();
    await track.producer.resume();
    if (track.kind === 'video') await Promise.all([...room.subscriptionsTo(trackId)].map((s) => s.requestKeyFrame()));
  }

  async subscribe(peerId: string, trackId: string): Promise<SubscriptionOptions> {
    const { peer, room } = this.#peer(peerId);
    const { track } = this.#track(trackId);
    if (this.#trackRoom.get(trackId) !== room) throw new SfuError('unknown-track', `track ${trackId} is not in room ${room.id}`);
    const existing = peer.subscriptions.get(trackId);
    if (existing && !existing.closed) return existing.clientOptions();
    if (!peer.transport('recv')) throw new SfuError('invalid-state', `peer ${peerId} has no recv transport`);
    if (peer.router === track.peer.router && !peer.router.canConsume({ producerId: track.producer.id, rtpCapabilities: peer.rtpCapabilities })) {
      throw new SfuError('invalid-argument', `peer ${peerId} cannot receive track ${trackId} (no common codec)`);
    }
    let pending = peer.pendingSubscriptions.get(trackId);
    if (!pending) {
      pending = room.subscribe(peer, trackId);
      peer.pendingSubscriptions.set(trackId, pending);
      void pending.catch(() => undefined).finally(() => peer.pendingSubscriptions.delete(trackId));
    }
    return (await pending).clientOptions();
  }

  async resumeSubscription(peerId: string, trackId: string): Promise<void> {
    await this.#subscription(peerId, trackId).setReason('not-resumed', false);
  }

  async setSubscriptionPreference(peerId: string, trackId: string, preference: { hidden?: boolean; layer?: Layer }): Promise<void> {
    const sub = this.#subscription(peerId, trackId);
    const { hidden, layer } = checkPreference(preference);
    if (layer !== undefined) await sub.setLayer(layer);
    if (hidden !== undefined) await sub.setReason('hidden', hidden);
  }

  async unsubscribe(peerId: string, trackId: string): Promise<void> {
    const { peer } = this.#peer(peerId);
    peer.subscriptions.get(trackId)?.close();
    peer.subscriptions.delete(trackId);
  }

  async closePeer(peerId: string): Promise<void> {
    this.#assertOpen();
    const peer = this.#peers.get(peerId);
    const room = this.#peerRoom.get(peerId);
    if (!peer || !room) return;
    for (const trackId of [...peer.publications.keys()]) this.#closeTrackIn(room, trackId);
    this.#forgetPeer(room, peer);
  }

  async stats(options: { traffic?: boolean } = {}): Promise<SfuStats> {
    this.#assertOpen();
    const rooms = [...this.#rooms.values()].filter((r): r is MediaRoom => r instanceof MediaRoom);
    let subscriptions = 0;
    for (const peer of this.#peers.values()) subscriptions += peer.subscriptions.size;
    const [usage, traffic] = await Promise.all([this.#pool.usage(), options.traffic === true ? this.#traffic() : undefined]);
    return {
      workers: this.#pool.slots.filter((s) => !s.worker.closed).length,
      rooms: rooms.length,
      peers: this.#peers.size,
      tracks: this.#trackRoom.size,
      subscriptions,
      workerRss: usage.rss,
      workerCpuMs: usage.cpuMs,
      workerDetails: usage.workers,
      ...(traffic ? { traffic } : {}),
    };
  }

  on<E extends keyof SfuEvents>(event: E, listener: (...args: SfuEvents[E]) => void): void {
    this.#events.on(event, listener);
  }

  off<E extends keyof SfuEvents>(event: E, listener: (...args: SfuEvents[E]) => void): void {
    this.#events.off(event, listener);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const entry of this.#rooms.values()) if (entry instanceof MediaRoom) entry.close();
    this.#rooms.clear();
    this.#peers.clear();
    this.#peerRoom.clear();
    this.#trackRoom.clear();
    this.#pool.close();
    this.#events.removeAllListeners();
  }

  /** For src/testing only: the mediasoup objects behind IDs (never exported from the index). */
  internals(): SfuInternals {
    return {
      consumer: (peerId, trackId) => this.#peers.get(peerId)?.subscriptions.get(trackId)?.consumer,
      producer: (trackId) => this.#trackRoom.get(trackId)?.tracks.get(trackId)?.producer,
      router: (trackId) => this.#trackRoom.get(trackId)?.tracks.get(trackId)?.peer.router,
      routerCount: (roomId) => {
        const room = this.#rooms.get(roomId);
        return room instanceof MediaRoom ? room.routerCount : 0;
      },
      peerWorker: (peerId) => this.#peers.get(peerId)?.slot.index,
      workers: () => this.#pool.slots.map((s) => s.worker),
    };
  }

  /** Every track's producer and every subscription's consumer, read once (see TrafficTotals). */
  #traffic(): Promise<SfuTrafficStats> {
    const producers: ms.Producer[] = [];
    const consumers: ms.Consumer[] = [];
    for (const peer of this.#peers.values()) {
      for (const publication of peer.publications.values()) producers.push(publication.producer);
      for (const subscription of peer.subscriptions.values()) if (!subscription.closed) consumers.push(subscription.consumer);
    }
    return this.#trafficTotals.poll(producers, consumers);
  }

  #closeTrackIn(room: MediaRoom, trackId: string): void {
    this.#trackRoom.delete(trackId);
    room.removeTrack(trackId);
  }

  #forgetPeer(room: MediaRoom, peer: MediaPeer): void {
    room.peers.delete(peer.id);
    this.#peers.delete(peer.id);
    this.#peerRoom.delete(peer.id);
    peer.close();
  }

  #dropRoom(room: MediaRoom): void {
    for (const peer of room.peers.values()) {
      this.#peers.delete(peer.id);
      this.#peerRoom.delete(peer.id);
    }
    for (const trackId of room.tracks.keys()) this.#trackRoom.delete(trackId);
    room.close();
  }

  #workerDied(slot: WorkerSlot, error: Error): void {
    this.#onError(new SfuError('invalid-state', `media worker ${slot.worker.pid} died: ${error.message}`, { cause: error }));
    const dead: string[] = [];
    for (const [roomId, entry] of this.#rooms) {
      if (entry instanceof MediaRoom && entry.usesWorker(slot)) {
        dead.push(roomId);
        this.#rooms.delete(roomId);
        this.#dropRoom(entry);
      }
    }
    this.#events.emit('workerDied', dead);
  }

  async #room(roomId: string): Promise<MediaRoom> {
    const entry = this.#rooms.get(roomId);
    if (!entry) throw new SfuError('unknown-room', `room ${String(roomId)} is not open`);
    return entry;
  }

  #peer(peerId: string): { peer: MediaPeer; room: MediaRoom } {
    this.#assertOpen();
    const peer = this.#peers.get(peerId);
    const room = this.#peerRoom.get(peerId);
    if (!peer || !room) throw new SfuError('unknown-peer', `peer ${String(peerId)} unknown`);
    return { peer, room };
  }

  #track(trackId: string): { room: MediaRoom; track: NonNullable<ReturnType<MediaRoom['tracks']['get']>> } {
    this.#assertOpen();
    const room = this.#trackRoom.get(trackId);
    const track = room?.tracks.get(trackId);
    if (!room || !track) throw new SfuError('unknown-track', `track ${String(trackId)} unknown`);
    return { room, track };
  }

  #subscription(peerId: string, trackId: string): Subscription {
    const { peer } = this.#peer(peerId);
    const sub = peer.subscriptions.get(trackId);
    if (!sub || sub.closed) throw new SfuError('unknown-track', `peer ${peerId} has no subscription to ${String(trackId)}`);
    return sub;
  }

  #assertOpen(): void {
    if (this.#closed) throw new SfuError('sfu-closed', 'the SFU is closed');
  }
}

export interface SfuInternals {
  consumer(peerId: string, trackId: string): ms.Consumer | undefined;
  producer(trackId: string): ms.Producer | undefined;
  /** The router the track's publisher is on (where its producer lives). */
  router(trackId: string): ms.Router | undefined;
  routerCount(roomId: string): number;
  peerWorker(peerId: string): number | undefined;
  workers(): ms.Worker[];
}

/** A plain-JSON copy of a mediasoup value. */
function json(value: object): MediaJson {
  return structuredClone(value) as MediaJson;
}
