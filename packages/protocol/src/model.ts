/** Shapes that appear inside several messages: participants, tracks, the meeting. */
import { z } from 'zod';
import { DisplayName, MeetingId, OpaqueId } from './ids.js';

/**
 * A participant's role in a meeting. `guest` is a participant who is not signed in; `attendee` is
 * view-only (sees and hears; cannot publish until a moderator promotes them). Hosts and co-hosts
 * are the meeting's moderators.
 */
export const Role = z.enum(['host', 'cohost', 'participant', 'guest', 'attendee']);
export type Role = z.infer<typeof Role>;

/** Who someone is, as the badge beside their name says. */
export const IdentityKind = z.enum(['member', 'external', 'guest']);
export type IdentityKind = z.infer<typeof IdentityKind>;

/** Who may join: anyone with the passcode, only signed-in users, or only the organization's members. */
export const Access = z.enum(['anyone', 'signed-in', 'organization']);
export type Access = z.infer<typeof Access>;

/** A meeting's effective settings, as resolved by the server (safe defaults in brackets). */
export const MeetingSettings = z.object({
  /** Who may join [anyone with the passcode]. */
  access: Access,
  /** Newcomers wait in the lobby until a host admits them [on]. */
  lobby: z.boolean(),
  /** Newcomers may enter before a host is present [off]. */
  joinBeforeHost: z.boolean(),
  /** Signed-in organization members skip the lobby [off]. */
  membersSkipLobby: z.boolean(),
  /** No passcode; newcomers join as view-only attendees [off]. */
  public: z.boolean(),
  /** Live: nobody new may join or reach the lobby [off]. */
  locked: z.boolean(),
});
export type MeetingSettings = z.infer<typeof MeetingSettings>;

/** The settings a host may choose when creating a meeting or change live. */
export const MeetingSettingsPatch = MeetingSettings.omit({ locked: true }).partial().strict();
export type MeetingSettingsPatch = z.infer<typeof MeetingSettingsPatch>;

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
  identity: IdentityKind,
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

/** Someone waiting in the lobby, as hosts and co-hosts see them. */
export const LobbyEntry = z.object({
  id: OpaqueId,
  displayName: DisplayName,
  identity: IdentityKind,
  /** The account's email for signed-in users; null for guests. */
  email: z.string().nullable(),
  /** Milliseconds since the epoch when they knocked. */
  since: z.number().int().nonnegative(),
});
export type LobbyEntry = z.infer<typeof LobbyEntry>;

/** What an admitted participant learns on entering: the meeting, the people, the tracks. */
export const RoomState = z.object({
  meeting: MeetingInfo,
  self: ParticipantInfo,
  /** Everyone already in the meeting, not including `self`. */
  participants: z.array(ParticipantInfo),
  /** Every track published in the meeting. */
  tracks: z.array(TrackInfo),
  settings: MeetingSettings,
  /** The lobby queue; filled for hosts and co-hosts only. */
  lobby: z.array(LobbyEntry),
  iceServers: z.array(IceServer),
});
export type RoomState = z.infer<typeof RoomState>;
