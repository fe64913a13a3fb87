/** Shapes that appear inside several messages: participants, tracks, the meeting. */
import { z } from 'zod';
import { DisplayName, MeetingId, OpaqueId } from './ids.js';

export const Role = z.enum(['host', 'participant']);
export type Role = z.infer<typeof Role>;

export const MediaKind = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKind>;

/** What a published track carries. One of each per participant at most. */
export const TrackSource = z.enum(['microphone', 'camera', 'screen', 'screen-audio']);
export type TrackSource = z.infer<typeof TrackSource>;

/** The kind each source must have. */
export const SOURCE_KIND: Record<TrackSource, MediaKind> = {
  microphone: 'audio',
  camera: 'video',
  screen: 'video',
  'screen-audio': 'audio',
};

export const ParticipantInfo = z.object({
  id: OpaqueId,
  displayName: DisplayName,
  role: Role,
  /** Milliseconds since the epoch when they were admitted. */
  joinedAt: z.number().int().nonnegative(),
});
export type ParticipantInfo = z.infer<typeof ParticipantInfo>;

export const TrackInfo = z.object({
  id: OpaqueId,
  participantId: OpaqueId,
  kind: MediaKind,
  source: TrackSource,
  muted: z.boolean(),
});
export type TrackInfo = z.infer<typeof TrackInfo>;

export const MeetingInfo = z.object({
  id: MeetingId,
  title: z.string().max(200),
});
export type MeetingInfo = z.infer<typeof MeetingInfo>;

/** ICE servers the client should use (the operator's own STUN/TURN; empty by default). */
export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;
