/**
 * A recording stand-in for the SFU, for unit tests of room logic only (the real SFU is exercised by
 * the integration tests). It keeps the same bookkeeping the real one does and can be told to fail.
 */
import type { ConnectionRole, ConnectionState, PublishedTrackSpec, SfuControl, SfuEvents, SfuStats, SubscriberOffer } from '@parley/sfu';

export class FakeSfu implements SfuControl {
  readonly calls: string[] = [];
  readonly peers = new Set<string>();
  readonly tracks = new Map<string, { owner: string; mid: string }>();
  readonly subscriptions = new Map<string, Set<string>>();
  failNextPublish = false;
  #listeners: ((...args: SfuEvents['connectionState']) => void)[] = [];
  #offers = 0;

  async createPeer(peerId: string): Promise<void> {
    this.calls.push(`createPeer ${peerId}`);
    if (this.peers.has(peerId)) throw new Error('peer exists');
    this.peers.add(peerId);
    this.subscriptions.set(peerId, new Set());
  }
  async publish(peerId: string, _sdp: string, tracks: PublishedTrackSpec[]): Promise<{ sdp: string }> {
    this.calls.push(`publish ${peerId} ${tracks.map((t) => t.trackId).join(',')}`);
    if (this.failNextPublish) {
      this.failNextPublish = false;
      throw new Error('bad SDP');
    }
    for (const t of tracks) this.tracks.set(t.trackId, { owner: peerId, mid: t.mid });
    return { sdp: `answer-for-${peerId}` };
  }
  async unpublish(peerId: string, _sdp: string, trackIds: string[]): Promise<{ sdp: string }> {
    this.calls.push(`unpublish ${peerId} ${trackIds.join(',')}`);
    for (const id of trackIds) {
      this.tracks.delete(id);
      for (const subs of this.subscriptions.values()) subs.delete(id);
    }
    return { sdp: 'answer' };
  }
  async subscribe(peerId: string, trackId: string): Promise<void> {
    this.calls.push(`subscribe ${peerId} ${trackId}`);
    this.subscriptions.get(peerId)?.add(trackId);
  }
  readonly paused = new Set<string>();
  async setTrackPaused(trackId: string, paused: boolean): Promise<void> {
    this.calls.push(`pause ${trackId} ${paused}`);
    if (paused) this.paused.add(trackId);
    else this.paused.delete(trackId);
  }
  async unsubscribe(peerId: string, trackId: string): Promise<void> {
    this.subscriptions.get(peerId)?.delete(trackId);
  }
  async createSubscriberOffer(peerId: string): Promise<SubscriberOffer> {
    this.calls.push(`offer ${peerId}`);
    this.#offers += 1;
    const tracks = [...(this.subscriptions.get(peerId) ?? [])].map((trackId, i) => ({ mid: String(i), trackId }));
    return { sdp: `offer-${this.#offers}`, tracks };
  }
  async applySubscriberAnswer(peerId: string): Promise<void> {
    this.calls.push(`answer ${peerId}`);
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
    return { peers: this.peers.size, tracks: this.tracks.size, subscriptions: 0, packetsReceived: 0, packetsForwarded: 0, keyframeRequests: 0, retransmissions: 0 };
  }
  on<E extends keyof SfuEvents>(event: E, listener: (...args: SfuEvents[E]) => void): void {
    if (event === 'connectionState') this.#listeners.push(listener as (...args: SfuEvents['connectionState']) => void);
  }
  off(): void {}
  emitConnectionState(peerId: string, role: ConnectionRole, state: ConnectionState): void {
    for (const l of this.#listeners) l(peerId, role, state);
  }
  async close(): Promise<void> {}
}
