/**
 * One meeting's media: its routers (one per worker it spans; the first is the home router with
 * the audio observers), its peers and its published tracks. A room starts on the least loaded
 * worker; once every router it has carries more than `maxConsumersPerRouter` consumers, new peers
 * get a router on another worker and tracks are piped (router.pipeToRouter) to wherever they are
 * subscribed. Microphones are piped home so the observers hear everyone.
 */
import type { types as ms } from 'mediasoup';
import type { WorkerPool, WorkerSlot } from './worker-pool.js';
import type { MediaKind, TrackSource } from './types.js';
import { mediaCodecs } from './codecs.js';
import { LoudestAudio } from './loudest-audio.js';
import type { MediaPeer } from './media-peer.js';
import type { Subscription } from './subscription.js';
import { SfuError } from './errors.js';

export interface RoomSettings {
  maxConsumersPerRouter: number;
  loudestAudio: number;
  onActiveSpeaker: (roomId: string, peerId: string) => void;
  onError: (error: unknown) => void;
}

/** A published track as the room sees it: its producer on its publisher's router, and its pipes. */
export interface RoomTrack {
  trackId: string;
  peer: MediaPeer;
  source: TrackSource;
  kind: MediaKind;
  producer: ms.Producer;
  /** Router ID -> the pipe of this track into that router (same producer ID there). */
  pipes: Map<string, Promise<void>>;
}

interface RoomRouter {
  slot: WorkerSlot;
  router: ms.Router;
  consumers: number;
}

export class MediaRoom {
  readonly id: string;
  readonly peers = new Map<string, MediaPeer>();
  readonly tracks = new Map<string, RoomTrack>();
  readonly loudest: LoudestAudio;
  readonly #pool: WorkerPool;
  readonly #settings: RoomSettings;
  readonly #routers: RoomRouter[] = [];
  readonly #trackByProducer = new Map<string, string>();
  #observers: { level: ms.AudioLevelObserver; speaker: ms.ActiveSpeakerObserver } | undefined;
  #placing: Promise<unknown> = Promise.resolve();
  #closed = false;

  private constructor(id: string, pool: WorkerPool, settings: RoomSettings) {
    this.id = id;
    this.#pool = pool;
    this.#settings = settings;
    this.loudest = new LoudestAudio(settings.loudestAudio);
  }

  static async create(id: string, pool: WorkerPool, settings: RoomSettings): Promise<MediaRoom> {
    const room = new MediaRoom(id, pool, settings);
    const slot = pool.leastLoaded();
    if (!slot) throw new SfuError('invalid-state', 'no live media worker');
    const home = await room.#addRouter(slot);
    try {
      const maxEntries = Math.max(1, settings.loudestAudio);
      const level = await home.createAudioLevelObserver({ maxEntries, threshold: -70, interval: 500 });
      const speaker = await home.createActiveSpeakerObserver({ interval: 300 });
      level.on('volumes', (volumes) => room.#onVolumes(volumes.map((v) => v.producer.id)));
      speaker.on('dominantspeaker', ({ producer }) => {
        const track = room.#trackFor(producer.id);
        if (track && !room.#closed) settings.onActiveSpeaker(room.id, track.peer.id);
      });
      room.#observers = { level, speaker };
    } catch (error) {
      room.close();
      throw error;
    }
    return room;
  }

  get closed(): boolean {
    return this.#closed;
  }

  get rtpCapabilities(): ms.RtpCapabilities {
    const home = this.#routers[0];
    if (!home) throw new SfuError('invalid-state', `room ${this.id} has no router`);
    return home.router.rtpCapabilities;
  }

  /** Whether any of this room's routers lives on `slot`. */
  usesWorker(slot: WorkerSlot): boolean {
    return this.#routers.some((r) => r.slot === slot);
  }

  get routerCount(): number {
    return this.#routers.length;
  }

  /**
   * The router for a new peer: the first with room for more consumers, else a new one on the
   * least loaded worker this room is not on yet, else the emptiest. Serialised so two joins do
   * not both open a router.
   */
  placePeer(): Promise<{ router: ms.Router; slot: WorkerSlot }> {
    const placed = this.#placing.then(async () => {
      this.#assertOpen();
      const roomy = this.#routers.find((r) => r.consumers <= this.#settings.maxConsumersPerRouter);
      if (roomy) return roomy;
      const slot = this.#pool.leastLoaded(new Set(this.#routers.map((r) => r.slot)));
      if (slot) {
        const router = await this.#addRouter(slot);
        return { slot, router };
      }
      return this.#routers.reduce((a, b) => (b.consumers < a.consumers ? b : a));
    });
    this.#placing = placed.catch(() => undefined);
    return placed.then(({ router, slot }) => ({ router, slot }));
  }

  addTrack(track: RoomTrack): void {
    this.tracks.set(track.trackId, track);
    this.#trackByProducer.set(track.producer.id, track.trackId);
    if (track.source !== 'microphone') return;
    this.loudest.add(track.trackId);
    void this.#observe(track).catch((error: unknown) => this.#settings.onError(error));
    this.#applyLoudest();
  }

  /** Forgets a track and closes its producer (which closes its pipes and consumers). */
  removeTrack(trackId: string): RoomTrack | undefined {
    const track = this.tracks.get(trackId);
    if (!track) return undefined;
    this.tracks.delete(trackId);
    this.#trackByProducer.delete(track.producer.id);
    track.peer.publications.delete(trackId);
    for (const peer of this.peers.values()) {
      peer.subscriptions.get(trackId)?.close();
      peer.subscriptions.delete(trackId);
    }
    track.producer.close();
    if (track.source === 'microphone') {
      this.loudest.remove(trackId);
      this.#applyLoudest();
    }
    return track;
  }

  /** Makes the track's producer available on `router` (same producer ID); resolves when it is. */
  async pipeTo(track: RoomTrack, router: ms.Router): Promise<void> {
    const origin = track.peer.router;
    if (origin === router) return;
    let pipe = track.pipes.get(router.id);
    if (!pipe) {
      pipe = origin.pipeToRouter({ producerId: track.producer.id, router, enableSctp: false }).then(() => undefined);
      track.pipes.set(router.id, pipe);
      pipe.catch(() => track.pipes.delete(router.id));
    }
    await pipe;
  }

  /**
   * A paused subscription of `peer` to a track of this room: the track is piped to the peer's
   * router first if it lives on another worker; a quiet microphone starts not-loudest.
   */
  async subscribe(peer: MediaPeer, trackId: string): Promise<Subscription> {
    const track = this.tracks.get(trackId);
    if (!track) throw new SfuError('unknown-track', `track ${trackId} closed`);
    await this.pipeTo(track, peer.router);
    if (this.tracks.get(trackId) !== track) throw new SfuError('unknown-track', `track ${trackId} closed`);
    const sub = await peer.consume(trackId, track.producer.id);
    if (this.tracks.get(trackId) !== track) {
      sub.close();
      throw new SfuError('unknown-track', `track ${trackId} closed`);
    }
    if (track.source === 'microphone' && !this.loudest.forwards(trackId)) await sub.setReason('not-loudest', true);
    // A shared screen is what people read: it gets bandwidth before cameras when it is short.
    if (track.source === 'screen') await sub.consumer.setPriority(2);
    return sub;
  }

  /** Every subscription to a track, across peers. */
  *subscriptionsTo(trackId: string): Generator<Subscription> {
    for (const peer of this.peers.values()) {
      const sub = peer.subscriptions.get(trackId);
      if (sub) yield sub;
    }
  }

  /** Re-applies the loudest-audio verdict to every microphone subscription. */
  #applyLoudest(): void {
    for (const track of this.tracks.values()) {
      if (track.source !== 'microphone') continue;
      const muted = !this.loudest.forwards(track.trackId);
      for (const sub of this.subscriptionsTo(track.trackId)) {
        sub.setReason('not-loudest', muted).catch((error: unknown) => this.#settings.onError(error));
      }
    }
  }

  #onVolumes(producerIds: string[]): void {
    if (this.#closed) return;
    const trackIds = producerIds.flatMap((id) => this.#trackByProducer.get(id) ?? []);
    if (this.loudest.speaking(trackIds)) this.#applyLoudest();
  }

  async #observe(track: RoomTrack): Promise<void> {
    const home = this.#routers[0];
    const observers = this.#observers;
    if (!home || !observers) return;
    await this.pipeTo(track, home.router);
    if (track.producer.closed || this.#closed) return;
    await observers.level.addProducer({ producerId: track.producer.id });
    await observers.speaker.addProducer({ producerId: track.producer.id });
  }

  #trackFor(producerId: string): RoomTrack | undefined {
    const trackId = this.#trackByProducer.get(producerId);
    return trackId === undefined ? undefined : this.tracks.get(trackId);
  }

  async #addRouter(slot: WorkerSlot): Promise<ms.Router> {
    const router = await this.#pool.createRouter(slot, mediaCodecs);
    if (this.#closed) {
      router.close();
      throw new SfuError('invalid-state', `room ${this.id} closed`);
    }
    const entry: RoomRouter = { slot, router, consumers: 0 };
    router.observer.on('newtransport', (transport) => {
      transport.observer.on('newconsumer', (consumer) => {
        entry.consumers += 1;
        consumer.observer.once('close', () => (entry.consumers -= 1));
      });
    });
    this.#routers.push(entry);
    return router;
  }

  #assertOpen(): void {
    if (this.#closed) throw new SfuError('invalid-state', `room ${this.id} closed`);
  }

  /** Closes peers, observers and routers. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const peer of this.peers.values()) peer.close();
    this.peers.clear();
    this.tracks.clear();
    this.#trackByProducer.clear();
    for (const { router } of this.#routers) router.close();
  }
}
