/**
 * A peer's network scores (0–10, mediasoup's): what the SFU receives from it (uplink) and what it
 * receives from the SFU (downlink), recomputed whenever mediasoup re-scores one of its streams or
 * one is paused, resumed or closed; `onChange` hears only changes.
 *
 * Uplink: the worst live (unpaused) track, each at its best simulcast layer (a layer the browser
 * stopped sending for want of bandwidth scores 0, but the picture still arrives in another).
 * Downlink: the worst live subscription, counting only loss the publisher's own stream did not
 * already have (the SFU forwards a publisher's gaps, and a subscriber's receiver reports count
 * them): `score + (10 − producerScore)`, at most 10. Paused streams carry nothing, so they do not count.
 */
import type { types as ms } from 'mediasoup';
import type { PeerNetworkScore } from './types.js';

export class PeerScore {
  readonly #producers = new Set<ms.Producer>();
  readonly #consumers = new Set<ms.Consumer>();
  readonly #onChange: (score: PeerNetworkScore) => void;
  #last: PeerNetworkScore = { uplink: null, downlink: null };
  #closed = false;

  constructor(onChange: (score: PeerNetworkScore) => void) {
    this.#onChange = onChange;
  }

  get current(): PeerNetworkScore {
    return this.#last;
  }

  watchProducer(producer: ms.Producer): void {
    this.#producers.add(producer);
    const update = (): void => this.#update();
    producer.on('score', update);
    producer.observer.on('pause', update);
    producer.observer.on('resume', update);
    producer.observer.once('close', () => {
      this.#producers.delete(producer);
      update();
    });
  }

  watchConsumer(consumer: ms.Consumer): void {
    this.#consumers.add(consumer);
    const update = (): void => this.#update();
    consumer.on('score', update);
    consumer.observer.on('pause', update);
    consumer.observer.on('resume', update);
    consumer.on('producerpause', update);
    consumer.on('producerresume', update);
    consumer.observer.once('close', () => {
      this.#consumers.delete(consumer);
      update();
    });
  }

  /** Stops reporting (the peer closed). */
  close(): void {
    this.#closed = true;
  }

  #update(): void {
    if (this.#closed) return;
    const next = { uplink: uplinkOf(this.#producers), downlink: downlinkOf(this.#consumers) };
    if (next.uplink === this.#last.uplink && next.downlink === this.#last.downlink) return;
    this.#last = next;
    this.#onChange(next);
  }
}

function uplinkOf(producers: Iterable<ms.Producer>): number | null {
  let worst: number | null = null;
  for (const p of producers) {
    if (p.closed || p.paused || p.score.length === 0) continue;
    const best = Math.max(...p.score.map((s) => s.score));
    worst = worst === null ? best : Math.min(worst, best);
  }
  return worst;
}

function downlinkOf(consumers: Iterable<ms.Consumer>): number | null {
  let worst: number | null = null;
  for (const c of consumers) {
    if (c.closed || c.paused || c.producerPaused) continue;
    const own = Math.min(10, c.score.score + (10 - c.score.producerScore));
    worst = worst === null ? own : Math.min(worst, own);
  }
  return worst;
}
