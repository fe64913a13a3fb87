/**
 * Network quality per participant (the tiles' bars): the SFU scores every stream it receives from a
 * publisher and every stream it sends to a subscriber, 0 (unusable) to 10 (no loss), from RTP
 * sequence numbers and RTCP receiver reports (mediasoup's producer and consumer `score`). The
 * server relays, per participant, their uplink (the worst of their live tracks, each at its best
 * simulcast layer) and downlink (the worst of the streams sent to them), and the level the worse
 * of the two falls in. The thresholds live here only; docs/protocol.md §5 repeats them.
 */
import { z } from 'zod';
import { OpaqueId } from './ids.js';

export const NETWORK_QUALITY_LEVELS = ['good', 'fair', 'poor'] as const;
export const NetworkQualityLevel = z.enum(NETWORK_QUALITY_LEVELS);
export type NetworkQualityLevel = z.infer<typeof NetworkQualityLevel>;

/**
 * The lowest score of each level. mediasoup's score is round(10 × delivered⁴) per interval, so
 * `good` (8–10) is under about 5 % loss, `fair` (5–7) about 5–15 %, `poor` (0–4) more.
 */
export const NETWORK_QUALITY_THRESHOLDS = { good: 8, fair: 5 } as const;

/** The level of a 0–10 score. */
export function qualityLevel(score: number): NetworkQualityLevel {
  if (score >= NETWORK_QUALITY_THRESHOLDS.good) return 'good';
  if (score >= NETWORK_QUALITY_THRESHOLDS.fair) return 'fair';
  return 'poor';
}

const Score = z.number().int().min(0).max(10);

/**
 * The level of a participant's connection from their uplink and downlink scores (null: nothing to
 * judge by, e.g. no live track); null when neither is known.
 */
export function participantQuality(uplink: number | null, downlink: number | null): NetworkQualityLevel | null {
  const known = [uplink, downlink].filter((s): s is number => s !== null);
  return known.length === 0 ? null : qualityLevel(Math.min(...known));
}

/**
 * To everyone in the meeting (the person included): a participant's connection quality changed
 * level (at most once per 2 s per person), or someone just joined (then once per person known).
 * `uplink`: what the server receives from them; `downlink`: what they receive (0–10, null when
 * there is nothing to measure).
 */
export const NetworkQualityEvent = z.object({
  type: z.literal('networkQuality'),
  participantId: OpaqueId,
  level: NetworkQualityLevel,
  uplink: Score.nullable(),
  downlink: Score.nullable(),
});
export type NetworkQualityEvent = z.infer<typeof NetworkQualityEvent>;
