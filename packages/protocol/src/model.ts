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

/**
 * Collaboration switches: what participants (not moderators) may do. Safe defaults in brackets:
 * everything beyond audio, video and raising a hand is off unless the meeting turns it on.
 */
export const Features = z.object({
  /** Public chat [off]. */
  chat: z.boolean(),
  /** Private messages between participants [off]; moderators may always message anyone privately. */
  privateChat: z.boolean(),
  /** Who may share a screen [hosts]. */
  screenShare: z.enum(['hosts', 'everyone']),
  /** Sending files [off]. */
  fileSharing: z.boolean(),
  /** Emoji reactions [off]. */
  reactions: z.boolean(),
  /** Raise hand [on]. */
  raiseHand: z.boolean(),
  /** Renaming oneself [off]: names are locked. */
  renameSelf: z.boolean(),
  /** Unmuting oneself [on]. */
  unmuteSelf: z.boolean(),
  /** Starting one's video [on]. */
  startVideo: z.boolean(),
});
export type Features = z.infer<typeof Features>;
export type Feature = keyof Features;

/** What happens to chat messages with links: refused, held for a moderator, or allowed to listed domains. */
export const LinkPolicy = z.enum(['block', 'hold', 'allow']);
export type LinkPolicy = z.infer<typeof LinkPolicy>;

/** A domain for the `allow` policy: lower-case host name, no scheme or path. */
export const AllowedDomain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, 'not a domain name');

/**
 * A meeting's sensitivity class (control C8): `standard`, or `sensitive`, which forces end-to-end
 * encryption, signed-in organization members only, the waiting room, nobody before the host, a
 * passcode and no server-side files. Chosen at creation; during a meeting it may be raised, never lowered.
 */
export const Sensitivity = z.enum(['standard', 'sensitive']);
export type Sensitivity = z.infer<typeof Sensitivity>;

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
  /** Collaboration switches. */
  features: Features,
  /** Links in chat [block]. */
  linkPolicy: LinkPolicy,
  /** Domains whose `https:` links become clickable under the `allow` policy [none]. */
  linkAllowList: z.array(AllowedDomain).max(50),
  /** Lock the meeting automatically when disruption is detected [off]. */
  autoLockOnDisruption: z.boolean(),
  /** Live: nobody new may join or reach the lobby [off]. */
  locked: z.boolean(),
  /** The meeting's sensitivity class [standard]. Not a host's setting: see `setSensitivity`. */
  sensitivity: Sensitivity,
  /** Media and chat must be end-to-end encrypted in the browsers [off]; forced on by the `sensitive` class, never a host's choice. */
  e2ee: z.boolean(),
  /** The settings the sensitivity class forces (`lobby`, `features.fileSharing`, ...): hosts cannot change them [none]. */
  forcedBySensitivity: z.array(z.string().max(64)).max(64),
  /** The settings the organization's policy locks (`features.chat`, ...): hosts cannot change them [none]. */
  lockedByPolicy: z.array(z.string().max(64)).max(64),
});
export type MeetingSettings = z.infer<typeof MeetingSettings>;

/** The settings a host may choose when creating a meeting or change live (features merge key by key). */
export const MeetingSettingsPatch = MeetingSettings.omit({ locked: true, features: true, sensitivity: true, e2ee: true, forcedBySensitivity: true, lockedByPolicy: true })
  .extend({ features: Features.partial().strict() })
  .partial()
  .strict();
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
  handRaised: z.boolean(),
  /** While the hand is up: milliseconds since the epoch when it went up (raised hands are listed by it). */
  handRaisedAt: z.number().int().nonnegative().optional(),
  /** `reconnecting` while their connection is down and the server keeps their place for a resume. */
  connection: z.enum(['connected', 'reconnecting']),
  /** Milliseconds since the epoch when they were admitted. */
  joinedAt: z.number().int().nonnegative(),
});
export type ParticipantInfo = z.infer<typeof ParticipantInfo>;

export const TrackInfo = z.object({
  id: OpaqueId,
  participantId: OpaqueId,
  kind: MediaKind,
  source: TrackSource,
  /** Not forwarded: muted by its owner, or stopped by a moderator (then the server refuses to forward it). */
  muted: z.boolean(),
  /** A moderator muted or stopped it; the owner needs permission (unmuteSelf/startVideo or a request) to resume. */
  mutedByModerator: z.boolean(),
});
export type TrackInfo = z.infer<typeof TrackInfo>;

export const MeetingInfo = z.object({
  id: MeetingId,
  title: z.string().max(200),
});
export type MeetingInfo = z.infer<typeof MeetingInfo>;

/** The meeting as its participants see it: also when its room started (the Meeting info popover shows how long it runs). */
export const RunningMeetingInfo = MeetingInfo.extend({
  /** Milliseconds since the epoch when the room opened (its first person entered since it was last empty, or the server restarted). */
  startedAt: z.number().int().nonnegative(),
});
export type RunningMeetingInfo = z.infer<typeof RunningMeetingInfo>;

/** ICE servers the client should use (the operator's own STUN/TURN; empty by default). */
export const IceServer = z.object({
  urls: z.union([z.string(), z.array(z.string())]),
  username: z.string().optional(),
  credential: z.string().optional(),
});
export type IceServer = z.infer<typeof IceServer>;

/**
 * Which ICE candidates a client may use for media (RTCConfiguration.iceTransportPolicy): `all` (directly to
 * the media server, or through the operator's TURN server when that is all that gets through), or `relay`
 * (only through TURN: the media server and other networks never see the client's own addresses).
 */
export const IceTransportPolicy = z.enum(['all', 'relay']);
export type IceTransportPolicy = z.infer<typeof IceTransportPolicy>;

/** What a client needs to create one mediasoup-client transport (its TransportOptions). */
export const TransportOptions = z.object({
  id: OpaqueId,
  iceParameters: z.record(z.string(), z.unknown()),
  iceCandidates: z.array(z.record(z.string(), z.unknown())),
  dtlsParameters: z.record(z.string(), z.unknown()),
});
export type TransportOptions = z.infer<typeof TransportOptions>;

/** A participant's resume credential: present it with `resume` to come back as the same participant. */
export const ResumeCredential = z.object({
  token: z.string(),
  /** Seconds it stays valid once the connection drops (a server restart counts from the restart). */
  windowSeconds: z.number().int().positive(),
});
export type ResumeCredential = z.infer<typeof ResumeCredential>;

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


/** A chat message's text, cut into plain text and the links the server vetted as clickable. */
// The link form first: a union takes the first member that matches, and `{text}` would strip `link`.
export const ChatSegment = z.union([z.object({ link: z.string(), text: z.string() }).strict(), z.object({ text: z.string() }).strict()]);
export type ChatSegment = z.infer<typeof ChatSegment>;

export const ChatMessage = z.object({
  id: OpaqueId,
  from: OpaqueId,
  fromName: z.string(),
  /** Recipient of a private message; null for everyone. */
  to: OpaqueId.nullable(),
  toName: z.string().nullable(),
  text: z.string(),
  /** Render these, in order: text as text, links (https: only, vetted) as links. Never HTML. */
  segments: z.array(ChatSegment),
  at: z.number().int().nonnegative(),
});
export type ChatMessage = z.infer<typeof ChatMessage>;

export const SharedFile = z.object({
  id: OpaqueId,
  from: OpaqueId,
  fromName: z.string(),
  name: z.string(),
  size: z.number().int().nonnegative(),
  type: z.string(),
  at: z.number().int().nonnegative(),
});
export type SharedFile = z.infer<typeof SharedFile>;

/** Someone a moderator removed (they stay out until allowed back). */
export const RemovedEntry = z.object({ id: OpaqueId, displayName: z.string(), identity: IdentityKind, at: z.number() });
export type RemovedEntry = z.infer<typeof RemovedEntry>;

export const REACTIONS = ['👍', '👏', '❤️', '😂', '😮', '🎉'] as const;
export const Reaction = z.enum(REACTIONS);

/** What an admitted participant learns on entering: the meeting, the people, the tracks. */
export const RoomState = z.object({
  meeting: RunningMeetingInfo,
  self: ParticipantInfo,
  /** Everyone already in the meeting, not including `self`. */
  participants: z.array(ParticipantInfo),
  /** Every track published in the meeting. */
  tracks: z.array(TrackInfo),
  settings: MeetingSettings,
  /** The lobby queue; filled for hosts and co-hosts only. */
  lobby: z.array(LobbyEntry),
  /** Chat history visible to this participant (public, and private to or from them). */
  chat: z.array(ChatMessage),
  files: z.array(SharedFile),
  /** Removed people; filled for hosts and co-hosts only. */
  removed: z.array(RemovedEntry),
  /** Messages held for approval; filled for hosts and co-hosts only. */
  held: z.array(ChatMessage),
  /** Sent with requests for this participant's files: `x-parley-participant`. A secret: never shown. */
  participantToken: z.string(),
  /**
   * For the media plane: the room router's RTP capabilities (load a mediasoup-client Device), the ICE servers
   * (TURN credentials minted for this participant at this join or resume) and the ICE transport policy both
   * transports must use.
   */
  media: z.object({ rtpCapabilities: z.record(z.string(), z.unknown()), iceServers: z.array(IceServer), iceTransportPolicy: IceTransportPolicy }),
  /** The participant now speaking loudest, if anyone has. */
  activeSpeaker: OpaqueId.nullable(),
  resume: ResumeCredential,
});
export type RoomState = z.infer<typeof RoomState>;
