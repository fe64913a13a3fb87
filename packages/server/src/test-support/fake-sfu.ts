/**
 * A recording stand-in for the media plane, for unit tests of room logic only (the real mediasoup
 * SFU is exercised by the integration tests). It keeps the same bookkeeping the real one does and
 * can be told to fail.
 */
import type { ConnectionState, MediaJson, ProduceSpec, SfuControl, SfuEvents, SfuStats, SubscriptionOptions, TransportDirection, TransportOptions } from '@parley/sfu';

export class FakeSfu implements SfuControl {
  readonly calls: string[] = [];
  readonly peers = new Set<string>();
  readonly tracks = new Map<string, { owner: string; spec: ProduceSpec }>();
  readonly subscriptions = new Map<string, Set<string>>();
  readonly paused = new Set<string>();
  failNextProduce = false;
  #listeners: { [E in keyof SfuEvents]?: ((...args: SfuEvents[E]) => void)[] } = {};
  #ids = 0;

  async openRoom(roomId: string): Promise<{ rtpCapabilities: MediaJson }> {
    return { rtpCapabilities: { codecs: [], headerExtensions: [], room: roomId } };
  }
  async closeRoom(roomId: string): Promise<void> {
    this.calls.push(`closeRoom ${roomId}`);
  }
  async createPeer(_roomId: string, peerId: string): Promise<void> {
    this.calls.push(`createPeer ${peerId}`);
    if (this.peers.has(peerId)) throw new Error('peer exists');
    this.peers.add(peerId);
    this.subscriptions.set(peerId, new Set());
  }
  async createTransport(peerId: string, direction: TransportDirection): Promise<TransportOptions> {
    this.calls.push(`createTransport ${peerId} ${direction}`);
    return { id: `t-${direction}-${++this.#ids}`, iceParameters: {}, iceCandidates: [], dtlsParameters: {} };
  }
  async connectTransport(peerId: string, transportId: string): Promise<void> {
    this.calls.push(`connectTransport ${peerId} ${transportId}`);
  }
  async restartIce(): Promise<MediaJson> {
    return { usernameFragment: 'u', password: 'p' };
  }
  async produce(peerId: string, spec: ProduceSpec): Promise<void> {
    this.calls.push(`produce ${peerId} ${spec.trackId}`);
    if (this.failNextProduce) {
      this.failNextProduce = false;
      throw new Error('bad RTP parameters');
    }
    this.tracks.set(spec.trackId, { owner: peerId, spec });
    if (spec.paused) this.paused.add(spec.trackId);
  }
  async closeTrack(trackId: string): Promise<void> {
    this.calls.push(`closeTrack ${trackId}`);
    this.tracks.delete(trackId);
    for (const subs of this.subscriptions.values()) subs.delete(trackId);
  }
  async setTrackPaused(trackId: string, paused: boolean): Promise<void> {
    this.calls.push(`pause ${trackId} ${paused}`);
    if (paused) this.paused.add(trackId);
    else this.paused.delete(trackId);
  }
  async subscribe(peerId: string, trackId: string): Promise<SubscriptionOptions> {
    this.calls.push(`subscribe ${peerId} ${trackId}`);
    const track = this.tracks.get(trackId);
    if (!track) throw new Error('unknown track');
    this.subscriptions.get(peerId)?.add(trackId);
    return { id: `c-${++this.#ids}`, trackId, kind: track.spec.kind, rtpParameters: {} };
  }
  async resumeSubscription(peerId: string, trackId: string): Promise<void> {
    this.calls.push(`resume ${peerId} ${trackId}`);
  }
  async setSubscriptionPreference(peerId: string, trackId: string): Promise<void> {
    this.calls.push(`prefer ${peerId} ${trackId}`);
  }
  async unsubscribe(peerId: string, trackId: string): Promise<void> {
    this.subscriptions.get(peerId)?.delete(trackId);
  }
  async closePeer(peerId: string): Promise<void> {
    this.calls.push(`closePeer ${peerId}`);
    this.peers.delete(peerId);
    this.subscriptions.delete(peerId);
    for (const [id, t] of this.tracks) {
      if (t.owner !== peerId) continue;
      this.tracks.delete(id);
      for (const subs of this.subscriptions.values()) subs.delete(id);
    }
  }
  async stats(): Promise<SfuStats> {
    const subscriptions = [...this.subscriptions.values()].reduce((n, s) => n + s.size, 0);
    return { workers: 1, rooms: 1, peers: this.peers.size, tracks: this.tracks.size, subscriptions, workerRss: 0, workerCpuMs: 0 };
  }
  on<E extends keyof SfuEvents>(event: E, listener: (...args: SfuEvents[E]) => void): void {
    const list = (this.#listeners[event] ??= []) as ((...args: SfuEvents[E]) => void)[];
    list.push(listener);
  }
  off(): void {}
  emitConnectionState(peerId: string, direction: TransportDirection, state: ConnectionState): void {
    for (const l of this.#listeners.connectionState ?? []) l(peerId, direction, state);
  }
  async close(): Promise<void> {}
}
