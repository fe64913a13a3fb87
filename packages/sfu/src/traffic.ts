/**
 * RTP totals for monitoring. mediasoup counts per stream (a producer's simulcast layer, a
 * consumer's outbound stream), and a stream's counts vanish with it; these totals must only ever
 * grow. So each poll reads every live stream and adds what it counted since the previous poll (a
 * stream seen for the first time adds all it counted); streams gone since are forgotten.
 */
import type { types as ms } from 'mediasoup';
import type { SfuTrafficStats } from './types.js';

type Totals = Omit<SfuTrafficStats, 'tracksRead' | 'subscriptionsRead'>;

/** The cumulative counts of one stream at the last poll. */
type Seen = Partial<Record<keyof Totals, number>>;

/** A producer's or consumer's streams (by SSRC) at the last poll. */
type Streams = Map<number, Seen>;

interface Readable<T> {
  readonly id: string;
  readonly closed: boolean;
  getStats(): Promise<T[]>;
}

export class TrafficTotals {
  readonly #totals: Totals = {
    receivedPackets: 0,
    receivedBytes: 0,
    receivedPacketsLost: 0,
    forwardedPackets: 0,
    forwardedBytes: 0,
    forwardedPacketsLost: 0,
    retransmittedPackets: 0,
    nacks: 0,
  };
  #seen = new Map<string, Streams>();
  #polling: Promise<SfuTrafficStats> | undefined;

  /** Reads every stream once; concurrent callers share one poll. */
  poll(producers: ms.Producer[], consumers: ms.Consumer[]): Promise<SfuTrafficStats> {
    this.#polling ??= this.#poll(producers, consumers).finally(() => (this.#polling = undefined));
    return this.#polling;
  }

  async #poll(producers: ms.Producer[], consumers: ms.Consumer[]): Promise<SfuTrafficStats> {
    const read = async <T>(target: Readable<T>): Promise<{ id: string; target: Readable<T>; stats: T[] | undefined }> => ({
      id: target.id,
      target,
      stats: target.closed ? [] : await target.getStats().catch(() => undefined),
    });
    const [producerStats, consumerStats] = await Promise.all([Promise.all(producers.map(read)), Promise.all(consumers.map(read))]);
    const next = new Map<string, Streams>();
    for (const { id, target, stats } of producerStats) {
      this.#each(next, `p:${id}`, target, stats, (s) => [s.ssrc, { receivedPackets: s.packetCount, receivedBytes: s.byteCount, receivedPacketsLost: s.packetsLost }]);
    }
    for (const { id, target, stats } of consumerStats) {
      // A consumer's stats also carry its producer's inbound stream: only its own outbound one counts here.
      this.#each(next, `c:${id}`, target, stats?.filter((s) => s.type === 'outbound-rtp'), (s) => [
        s.ssrc,
        { forwardedPackets: s.packetCount, forwardedBytes: s.byteCount, forwardedPacketsLost: s.packetsLost, retransmittedPackets: s.packetsRetransmitted, nacks: s.nackCount },
      ]);
    }
    this.#seen = next;
    return { ...this.#totals, tracksRead: producers.length, subscriptionsRead: consumers.length };
  }

  /**
   * Adds one producer's or consumer's growth. Its stats could not be read (`undefined`) but it is
   * still open: keep what was seen, so its whole history is not added again next time.
   */
  #each<T>(next: Map<string, Streams>, key: string, target: Readable<T>, stats: T[] | undefined, counts: (s: T) => [number, Seen]): void {
    const before = this.#seen.get(key);
    if (stats === undefined) {
      if (before && !target.closed) next.set(key, before);
      return;
    }
    const streams: Streams = new Map();
    for (const s of stats) {
      const [ssrc, now] = counts(s);
      streams.set(ssrc, this.#add(before?.get(ssrc) ?? {}, now));
    }
    next.set(key, streams);
  }

  /** Adds a stream's growth since the last poll; a count that went down (RTCP loss can) adds nothing. */
  #add(before: Seen, now: Seen): Seen {
    const kept: Seen = {};
    for (const name of Object.keys(now) as (keyof Totals)[]) {
      const value = now[name];
      if (value === undefined || !Number.isFinite(value)) continue;
      const last = before[name] ?? 0;
      if (value > last) this.#totals[name] += value - last;
      kept[name] = Math.max(value, last);
    }
    return kept;
  }
}
