/**
 * MediaPlane owns this participant's side of the SFU for a whole session: the Device, and for each
 * `setupMedia` (on joining, after every resume, after being allowed to speak) the transports with
 * their consumers and producers, replacing the previous ones. It reports remote tracks by Parley
 * track ID and keeps the server told what the view needs of each remote video.
 */
import { SOURCE_KIND, type RoomState, type ServerEvent } from '@parley/protocol';
import type { Device } from 'mediasoup-client';
import { Emitter } from '../emitter.js';
import type { MediaE2ee } from '../e2ee/transforms.js';
import type { Need } from '../layout.js';
import type { SignalingClient } from '../signaling.js';
import { loadDevice } from './device.js';
import { FirstFrameWatch } from './firstFrame.js';
import { toJson } from './mediasoupTypes.js';
import { NeedsSender } from './needs.js';
import { Publications } from './publications.js';
import { Subscriptions } from './subscriptions.js';
import { MediaTransports } from './transports.js';

export type MediaPlaneEvents = {
  /** Media for `trackId` arrives on `track`. */
  track: [trackId: string, track: MediaStreamTrack];
};

export class MediaPlane extends Emitter<MediaPlaneEvents> {
  #device: Device | null = null;
  /** The router capabilities `#device` was loaded with (a restarted server may bring others). */
  #loadedFor = '';
  #signaling: SignalingClient | null = null;
  #transports: MediaTransports | null = null;
  #subscriptions: Subscriptions | null = null;
  #publications: Publications | null = null;
  #firstFrame: FirstFrameWatch | null = null;
  readonly #needs = new NeedsSender({
    send: async (trackId, need) => {
      const signaling = this.#signaling;
      if (!signaling || signaling.closed) throw new Error('not connected');
      await signaling.request('setSubscription', { trackId, ...need });
    },
    ready: (trackId) => this.#subscriptions?.has(trackId) ?? false,
  });
  #closed = false;

  /**
   * Sets media up (again) on `signaling`: new transports replace the old ones, whose producers and
   * consumers end. Resolves with the publications of the send transport (null for view-only).
   * In an end-to-end encrypted meeting `e2ee` puts the encryption transforms on every sender and
   * receiver; without it (standard meetings) nothing changes.
   */
  async setup(signaling: SignalingClient, media: RoomState['media'], e2ee?: MediaE2ee): Promise<Publications | null> {
    this.#teardown();
    this.#signaling = signaling;
    const wanted = JSON.stringify(media.rtpCapabilities);
    if (!this.#device || this.#loadedFor !== wanted) {
      this.#device = await loadDevice(media.rtpCapabilities);
      this.#loadedFor = wanted;
    }
    const device = this.#device;
    const result = await signaling.request('setupMedia', { rtpCapabilities: toJson(device.rtpCapabilities) });
    if (this.#closed || this.#signaling !== signaling) return null;
    const transports = new MediaTransports(device, signaling, result, media, e2ee?.peerConnectionSettings);
    this.#transports = transports;
    const codecs = device.rtpCapabilities.codecs ?? [];
    const subscriptions = new Subscriptions(transports.recv, signaling, e2ee && ((kind, rtpParameters) => e2ee.consumerOptions(kind, rtpParameters)));
    const firstFrame = new FirstFrameWatch(() => transports.recv.getStats(), () => signaling.request('firstFrame', {}));
    this.#firstFrame = firstFrame;
    subscriptions.on('track', (trackId, track) => {
      if (track.kind === 'video') firstFrame.start();
      this.emit('track', trackId, track);
      this.#needs.poke();
    });
    this.#subscriptions = subscriptions;
    const producerExtras = e2ee && ((source: keyof typeof SOURCE_KIND) => e2ee.producerOptions(source, SOURCE_KIND[source], codecs));
    this.#publications = transports.send ? new Publications(transports.send, signaling, producerExtras) : null;
    this.#needs.reset();
    return this.#publications;
  }

  /** A `subscription` event: consume it. A consumer that cannot be created costs that track only. */
  async subscribe(event: Extract<ServerEvent, { type: 'subscription' }>): Promise<void> {
    const subscriptions = this.#subscriptions;
    if (!subscriptions) return;
    try {
      await subscriptions.add(event);
    } catch (err) {
      if (!this.#closed && this.#subscriptions === subscriptions && !this.#signaling?.closed) console.warn(`could not receive track ${event.trackId}`, err);
    }
  }

  /** An `iceServers` event: fresh TURN credentials for the current transports' next candidates. */
  updateIceServers(iceServers: RoomState['media']['iceServers']): Promise<void> {
    return this.#transports?.updateIceServers(iceServers) ?? Promise.resolve();
  }

  /** The track was unpublished. */
  forget(trackId: string): void {
    this.#subscriptions?.forget(trackId);
  }

  /** What the view needs of every remote video now (sent debounced, changes only). */
  setNeeds(needs: Map<string, Need>): void {
    this.#needs.update(needs);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#needs.close();
    this.#teardown();
    this.removeAllListeners();
  }

  #teardown(): void {
    this.#firstFrame?.stop();
    this.#firstFrame = null;
    this.#publications?.close();
    this.#subscriptions?.close();
    this.#transports?.close();
    this.#publications = null;
    this.#subscriptions = null;
    this.#transports = null;
  }
}
