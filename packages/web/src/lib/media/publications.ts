/**
 * Publications owns this participant's producers on one send transport: one per published source,
 * each producer's ID being the Parley track ID the server gave it. The camera goes out as three
 * simulcast layers, a screen share as one sharp layer, the microphone as Opus with DTX and FEC.
 * Tracks belong to LocalMedia: closing a producer never stops its track.
 */
import type { TrackSource } from '@parley/protocol';
import type { types } from 'mediasoup-client';
import type { SignalingClient } from '../signaling.js';
import type { ProducerAppData } from './transports.js';

/**
 * More producer options for one source, in an end-to-end encrypted meeting: the codec and the
 * callback that puts the encryption transform on the new RTCRtpSender (see lib/e2ee/transforms.ts).
 */
export type ProducerExtras = (source: TrackSource) => Pick<types.ProducerOptions, 'codec' | 'onRtpSender'>;

/** One local track as the server knows it. */
export interface PublishedTrack {
  readonly trackId: string;
  readonly source: TrackSource;
  /** Sends `track` instead (null: send nothing, the device is off). */
  replaceTrack(track: MediaStreamTrack | null): Promise<void>;
}

/** Simulcast for cameras: a thumbnail, a medium tile and the large speaker tile, each with 3 temporal layers. */
export const CAMERA_ENCODINGS: types.RtpEncodingParameters[] = [
  { rid: 'r0', scaleResolutionDownBy: 4, maxBitrate: 150_000, scalabilityMode: 'L1T3' },
  { rid: 'r1', scaleResolutionDownBy: 2, maxBitrate: 500_000, scalabilityMode: 'L1T3' },
  { rid: 'r2', scaleResolutionDownBy: 1, maxBitrate: 1_500_000, scalabilityMode: 'L1T3' },
];

/** Screen shares: one layer, full resolution (text must stay sharp). */
export const SCREEN_ENCODINGS: types.RtpEncodingParameters[] = [{ maxBitrate: 2_500_000 }];

/** What mediasoup-client's `produce()` gets for each source, besides the track. */
export function produceOptions(source: TrackSource): Omit<types.ProducerOptions<ProducerAppData>, 'track'> {
  const appData: ProducerAppData = { source };
  const common = { stopTracks: false, appData };
  switch (source) {
    case 'camera':
      return { ...common, encodings: CAMERA_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } };
    case 'screen':
      return { ...common, encodings: SCREEN_ENCODINGS, codecOptions: { videoGoogleStartBitrate: 1000 } };
    case 'microphone':
    case 'screen-audio':
      return { ...common, codecOptions: { opusDtx: true, opusFec: true } };
  }
}

export class Publications {
  readonly #transport: types.Transport<types.AppData>;
  readonly #signaling: SignalingClient;
  readonly #producers = new Set<types.Producer>();
  readonly #extras: ProducerExtras | undefined;
  #closed = false;

  constructor(transport: types.Transport<types.AppData>, signaling: SignalingClient, extras?: ProducerExtras) {
    this.#transport = transport;
    this.#signaling = signaling;
    this.#extras = extras;
  }

  /** Sends `track` as `source`; resolves once the server has accepted it and named the track. */
  async publish(track: MediaStreamTrack, source: TrackSource): Promise<PublishedTrack> {
    if (this.#closed) throw new Error('publications closed');
    // The extras first: if they cannot be had (no VP8 in an encrypted meeting), nothing is produced.
    const extras = this.#extras?.(source) ?? {};
    const producer = await this.#transport.produce({ track, ...produceOptions(source), ...extras });
    if (this.#closed) {
      producer.close();
      throw new Error('publications closed');
    }
    this.#producers.add(producer);
    producer.on('transportclose', () => this.#producers.delete(producer));
    return { trackId: producer.id, source, replaceTrack: (next) => producer.replaceTrack({ track: next }) };
  }

  /** Stops sending `published` and tells the server. */
  async unpublish(published: PublishedTrack): Promise<void> {
    const producer = [...this.#producers].find((p) => p.id === published.trackId);
    if (!producer) return;
    producer.close();
    this.#producers.delete(producer);
    await this.#signaling.request('unpublish', { trackId: published.trackId });
  }

  /** Forgets every producer (their transport closes them). Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const p of this.#producers) p.close();
    this.#producers.clear();
  }
}
