/**
 * Each participant's connection quality as the server last told it (`networkQuality`: the SFU's
 * scores and the level they fall in; the thresholds are @parley/protocol's), and the words the
 * tiles' bars say. Events about people this client does not know are ignored.
 */
import type { NetworkQualityEvent, NetworkQualityLevel, ParticipantInfo } from '@parley/protocol';

export interface PersonQuality {
  level: NetworkQualityLevel;
  /** 0–10: what the server receives from them; null when nothing is measured. */
  uplink: number | null;
  /** 0–10: what they receive; null when nothing is measured. */
  downlink: number | null;
}

/** How many of the three bars are lit. */
export const QUALITY_BARS: Record<NetworkQualityLevel, number> = { good: 3, fair: 2, poor: 1 };

const LEVEL_WORD: Record<NetworkQualityLevel, string> = { good: 'good', fair: 'fair', poor: 'poor' };

/** The state's quality map with this event applied; the same map if the person is unknown. */
export function withQuality(
  quality: Readonly<Record<string, PersonQuality>>,
  participants: readonly ParticipantInfo[],
  event: NetworkQualityEvent,
): Record<string, PersonQuality> {
  if (!participants.some((p) => p.id === event.participantId)) return quality;
  const present = new Set(participants.map((p) => p.id));
  const kept = Object.fromEntries(Object.entries(quality).filter(([id]) => present.has(id)));
  return { ...kept, [event.participantId]: { level: event.level, uplink: event.uplink, downlink: event.downlink } };
}

/** The text alternative of a tile's bars (short: it is read with the tile). */
export function qualityLabel(q: PersonQuality): string {
  return `Connection ${LEVEL_WORD[q.level]}`;
}

/** The tooltip: the level and the numbers behind it. */
export function qualityDetails(q: PersonQuality, isSelf: boolean): string {
  const score = (s: number | null): string => (s === null ? 'not measured' : `${s}/10`);
  const sending = isSelf ? 'You send' : 'Sending';
  const receiving = isSelf ? 'you receive' : 'receiving';
  return `${qualityLabel(q)}: ${sending} ${score(q.uplink)}, ${receiving} ${score(q.downlink)} (10 = nothing lost)`;
}
