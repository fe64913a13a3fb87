/**
 * Subscriber owns the server-offers connection that receives other participants' tracks. It
 * answers each `offer` event and maps every received track to its Parley track ID through the
 * offer's mid→trackId table.
 */
import type { ServerEvent } from '@parley/protocol';
import { Emitter } from './emitter.js';
import { peerConfig, waitForIceGathering } from './ice.js';
import type { SignalingClient } from './signaling.js';

type OfferEvent = Extract<ServerEvent, { type: 'offer' }>;

export type SubscriberEvents = {
  /** Media for `trackId` arrives on `track` (the same MediaStreamTrack may later carry another ID). */
  track: [trackId: string, track: MediaStreamTrack];
  connectionState: [RTCPeerConnectionState];
};

export class Subscriber extends Emitter<SubscriberEvents> {
  readonly #pc: RTCPeerConnection;
  readonly #signaling: SignalingClient;
  /** mid → trackId, from the latest offer. */
  #mids = new Map<string, string>();
  /** trackId → the MediaStreamTrack last reported for it, so each is reported once. */
  #reported = new Map<string, MediaStreamTrack>();
  #closed = false;

  constructor(signaling: SignalingClient, iceServers: RTCIceServer[]) {
    super();
    this.#signaling = signaling;
    this.#pc = new RTCPeerConnection(peerConfig(iceServers));
    this.#pc.addEventListener('connectionstatechange', () => this.emit('connectionState', this.#pc.connectionState));
    this.#pc.addEventListener('track', (ev) => {
      const mid = ev.transceiver.mid;
      const trackId = mid === null ? undefined : this.#mids.get(mid);
      if (trackId) this.#report(trackId, ev.track);
    });
  }

  /** Applies the server's offer and answers it. Callers serialise offers with the other events. */
  async handleOffer(offer: OfferEvent): Promise<void> {
    if (this.#closed) return;
    // The table must be in place before setRemoteDescription, which fires `track`.
    this.#mids = new Map(offer.tracks.map((t) => [t.mid, t.trackId]));
    await this.#pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    const answer = await this.#pc.createAnswer();
    await this.#pc.setLocalDescription(answer);
    await waitForIceGathering(this.#pc);
    const sdp = this.#pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    // `track` fires only when an m-line starts receiving; a reused m-line may carry a new ID without it.
    for (const t of this.#pc.getTransceivers()) {
      const trackId = t.mid === null ? undefined : this.#mids.get(t.mid);
      if (trackId) this.#report(trackId, t.receiver.track);
    }
    await this.#signaling.request('answer', { negotiationId: offer.negotiationId, sdp });
  }

  /** Forgets a track that is no longer published. */
  forget(trackId: string): void {
    this.#reported.delete(trackId);
  }

  get connection(): RTCPeerConnection {
    return this.#pc;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pc.close();
    this.removeAllListeners();
  }

  #report(trackId: string, track: MediaStreamTrack): void {
    if (this.#reported.get(trackId) === track) return;
    this.#reported.set(trackId, track);
    this.emit('track', trackId, track);
  }
}
