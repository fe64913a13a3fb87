/**
 * Subscriptions owns the consumers on one recv transport: one per remote track the server offers
 * with a `subscription` event, created with the server's consumer ID and the Parley track ID as
 * producer ID, then resumed (`resumeSubscription`). Each consumer's track is reported with its
 * Parley track ID, which is what the rest of the client knows. `trackUnpublished` closes it.
 */
import type { ServerEvent } from '@parley/protocol';
import type { types } from 'mediasoup-client';
import { Emitter } from '../emitter.js';
import type { SignalingClient } from '../signaling.js';
import { asRtpParameters } from './mediasoupTypes.js';

type SubscriptionEvent = Extract<ServerEvent, { type: 'subscription' }>;

/**
 * More consumer options for one remote track, in an end-to-end encrypted meeting: the callback
 * that puts the decryption transform on the new RTCRtpReceiver (see lib/e2ee/transforms.ts).
 */
export type ConsumerExtras = (kind: SubscriptionEvent['kind'], rtpParameters: types.RtpParameters) => Pick<types.ConsumerOptions, 'onRtpReceiver'>;

export type SubscriptionsEvents = {
  /** Media for `trackId` arrives on `track`. */
  track: [trackId: string, track: MediaStreamTrack];
};

export class Subscriptions extends Emitter<SubscriptionsEvents> {
  readonly #transport: types.Transport<types.AppData>;
  readonly #signaling: SignalingClient;
  readonly #consumers = new Map<string, types.Consumer>();
  readonly #extras: ConsumerExtras | undefined;
  #closed = false;

  constructor(transport: types.Transport<types.AppData>, signaling: SignalingClient, extras?: ConsumerExtras) {
    super();
    this.#transport = transport;
    this.#signaling = signaling;
    this.#extras = extras;
  }

  /** Whether `trackId` has a consumer (the server then accepts `setSubscription` for it). */
  has(trackId: string): boolean {
    return this.#consumers.has(trackId);
  }

  /** Creates the consumer for `event` (replacing an older one for the same track) and starts it. */
  async add(event: SubscriptionEvent): Promise<void> {
    if (this.#closed) return;
    this.forget(event.trackId);
    const rtpParameters = asRtpParameters(event.rtpParameters);
    const consumer = await this.#transport.consume({
      id: event.consumerId,
      producerId: event.trackId,
      kind: event.kind,
      rtpParameters,
      ...this.#extras?.(event.kind, rtpParameters),
    });
    if (this.#closed) return consumer.close();
    this.#consumers.set(event.trackId, consumer);
    consumer.on('transportclose', () => this.#drop(event.trackId, consumer));
    this.emit('track', event.trackId, consumer.track);
    // Not awaited: the next event need not wait a round trip. A failure leaves this track paused.
    this.#signaling.request('resumeSubscription', { trackId: event.trackId }).catch((err: unknown) => {
      if (!this.#closed && !this.#signaling.closed) console.warn(`could not resume track ${event.trackId}`, err);
    });
  }

  /** The track is gone: close its consumer. */
  forget(trackId: string): void {
    this.#consumers.get(trackId)?.close();
    this.#consumers.delete(trackId);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const c of this.#consumers.values()) c.close();
    this.#consumers.clear();
    this.removeAllListeners();
  }

  #drop(trackId: string, consumer: types.Consumer): void {
    if (this.#consumers.get(trackId) === consumer) this.#consumers.delete(trackId);
  }
}
