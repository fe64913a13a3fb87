/**
 * One subscription: a mediasoup consumer on a peer's recv transport, and why it is paused. A
 * consumer forwards only when no reason holds: the client has not resumed it yet, the client
 * hides the tile, or (microphones) it is not among the loudest. The publisher's own pause is the
 * producer's (mediasoup applies it on top).
 */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';
import type { Layer, SubscriptionOptions } from './types.js';

export type PauseReason = 'not-resumed' | 'hidden' | 'not-loudest';

const LAYER_INDEX: Record<Layer, number> = { low: 0, medium: 1, high: 2 };

export class Subscription {
  readonly trackId: string;
  readonly consumer: ms.Consumer;
  readonly #reasons = new Set<PauseReason>(['not-resumed']);
  #paused = true;
  #closed = false;

  constructor(trackId: string, consumer: ms.Consumer) {
    this.trackId = trackId;
    this.consumer = consumer;
    // The publisher resumed (setTrackPaused, or a pipe from another worker resumed): ask for a
    // keyframe so the picture comes back at once.
    consumer.on('producerresume', () => void this.requestKeyFrame().catch(() => undefined));
  }

  get closed(): boolean {
    return this.#closed || this.consumer.closed;
  }

  clientOptions(): SubscriptionOptions {
    const c = this.consumer;
    return { id: c.id, trackId: this.trackId, kind: c.kind, rtpParameters: structuredClone(c.rtpParameters) as unknown as Record<string, unknown> };
  }

  /** Sets or clears one reason and pauses or resumes the consumer if the verdict changed. */
  async setReason(reason: PauseReason, on: boolean): Promise<void> {
    if (on) this.#reasons.add(reason);
    else this.#reasons.delete(reason);
    await this.#apply();
  }

  /** Caps the simulcast/SVC layer; a no-op for a single-layer consumer. */
  async setLayer(layer: Layer): Promise<void> {
    const spatialLayers = this.#spatialLayers();
    if (this.closed || spatialLayers <= 1) return;
    await this.consumer.setPreferredLayers({ spatialLayer: Math.min(LAYER_INDEX[layer], spatialLayers - 1) });
  }

  /** After the publisher resumed: a video subscriber needs a keyframe to decode again. */
  async requestKeyFrame(): Promise<void> {
    if (this.closed || this.#paused || this.consumer.kind !== 'video') return;
    await this.consumer.requestKeyFrame();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.consumer.close();
  }

  async #apply(): Promise<void> {
    const paused = this.#reasons.size > 0;
    // Decided and recorded synchronously: mediasoup's channel keeps requests in order, so the
    // last verdict is the one the worker ends up with.
    if (this.closed || paused === this.#paused) return;
    this.#paused = paused;
    try {
      if (paused) {
        await this.consumer.pause();
      } else {
        await this.consumer.resume();
        if (this.consumer.kind === 'video') await this.consumer.requestKeyFrame();
      }
    } catch (error) {
      if (!this.closed) throw error; // closed meanwhile: nothing left to pause
    }
  }

  #spatialLayers(): number {
    if (this.consumer.type !== 'simulcast' && this.consumer.type !== 'svc') return 1;
    const mode = this.consumer.rtpParameters.encodings?.[0]?.scalabilityMode;
    return mode ? mediasoup.parseScalabilityMode(mode).spatialLayers : 1;
  }
}
