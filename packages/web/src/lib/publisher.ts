/**
 * Publisher owns the client-offers connection that sends local tracks to the SFU. Every
 * negotiation (publish, unpublish) runs through one serial queue, because a new offer may only be
 * made once the previous answer has been applied.
 */
import type { TrackSource } from '@parley/protocol';
import { SOURCE_KIND } from '@parley/protocol';
import { Emitter } from './emitter.js';
import { peerConfig, waitForIceGathering } from './ice.js';
import { SerialQueue } from './queue.js';
import type { SignalingClient } from './signaling.js';

/** One local track as the server knows it. */
export interface PublishedTrack {
  readonly trackId: string;
  readonly source: TrackSource;
  readonly sender: RTCRtpSender;
  readonly transceiver: RTCRtpTransceiver;
}

export type PublisherEvents = {
  /** The connection's state changed (watch for 'failed'). */
  connectionState: [RTCPeerConnectionState];
};

export class Publisher extends Emitter<PublisherEvents> {
  readonly #pc: RTCPeerConnection;
  readonly #signaling: SignalingClient;
  readonly #queue = new SerialQueue();
  #closed = false;

  constructor(signaling: SignalingClient, iceServers: RTCIceServer[]) {
    super();
    this.#signaling = signaling;
    this.#pc = new RTCPeerConnection(peerConfig(iceServers));
    this.#pc.addEventListener('connectionstatechange', () => this.emit('connectionState', this.#pc.connectionState));
  }

  /** Sends `track` as `source`; resolves once the server has answered and assigned a track ID. */
  publish(track: MediaStreamTrack, source: TrackSource): Promise<PublishedTrack> {
    return this.#queue.push(async () => {
      const transceiver = this.#pc.addTransceiver(track, { direction: 'sendonly' });
      try {
        const sdp = await this.#offer();
        const mid = transceiver.mid;
        if (mid === null) throw new Error('transceiver has no mid after setLocalDescription');
        const reply = await this.#signaling.request('publish', { source, kind: SOURCE_KIND[source], mid, sdp });
        await this.#pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
        return { trackId: reply.trackId, source, sender: transceiver.sender, transceiver };
      } catch (err) {
        await this.#abandon(transceiver);
        throw err;
      }
    });
  }

  /** Stops sending `published` and tells the server, with the offer that no longer carries it. */
  unpublish(published: PublishedTrack): Promise<void> {
    return this.#queue.push(async () => {
      published.transceiver.stop();
      const sdp = await this.#offer();
      const reply = await this.#signaling.request('unpublish', { trackId: published.trackId, sdp });
      await this.#pc.setRemoteDescription({ type: 'answer', sdp: reply.sdp });
    });
  }

  /** The underlying connection, read-only, for stats. */
  get connection(): RTCPeerConnection {
    return this.#pc;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#queue.close();
    this.#pc.close();
    this.removeAllListeners();
  }

  /**
   * A publication the server refused (a switch is off): undo the unanswered offer and drop the
   * transceiver, so the next negotiation starts from the last agreed state.
   */
  async #abandon(transceiver: RTCRtpTransceiver): Promise<void> {
    if (this.#closed) return;
    try {
      if (this.#pc.signalingState === 'have-local-offer') await this.#pc.setLocalDescription({ type: 'rollback' });
      transceiver.stop();
    } catch (err) {
      console.warn('could not undo a refused publication', err);
    }
  }

  async #offer(): Promise<string> {
    const offer = await this.#pc.createOffer();
    await this.#pc.setLocalDescription(offer);
    await waitForIceGathering(this.#pc);
    const sdp = this.#pc.localDescription?.sdp;
    if (!sdp) throw new Error('no local description');
    return sdp;
  }
}
