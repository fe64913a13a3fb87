/**
 * Server-to-client messages: replies to requests (`welcome`, `result`, `error`) and events, which
 * carry no `id`. A socket that has not joined receives only replies; a joined one also receives
 * events about its meeting and nothing about any other.
 */
import { z } from 'zod';
import { E2eeDelivery } from './e2ee.js';
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { OpaqueId } from './ids.js';
import { NetworkQualityEvent } from './network-quality.js';
import { ChatMessage, IceServer, LobbyEntry, MeetingSettings, ParticipantInfo, Reaction, RemovedEntry, ResumeCredential, RoomState, Sensitivity, SharedFile, TrackInfo } from './model.js';

const ReplyId = z.number().int().positive();

/** Reply to `hello`. */
export const Welcome = z.object({
  type: z.literal('welcome'),
  id: ReplyId,
  protocolVersion: z.number().int().positive(),
  serverBuild: z.string(),
});

/** Successful reply to any other request; `result` is shaped by RESULTS[requestType]. */
export const Result = z.object({
  type: z.literal('result'),
  id: ReplyId,
  result: z.unknown(),
});

/** Failed reply. `id` is null when the request was too broken to read an id from. */
export const ErrorMessage = z.object({
  type: z.literal('error'),
  id: ReplyId.nullable(),
  code: z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]),
  message: z.string(),
});

export const ParticipantJoined = z.object({ type: z.literal('participantJoined'), participant: ParticipantInfo });

export const ParticipantLeft = z.object({
  type: z.literal('participantLeft'),
  participantId: OpaqueId,
  reason: z.enum(['left', 'disconnected', 'media-failed', 'replaced', 'removed']),
});

export const TrackPublished = z.object({ type: z.literal('trackPublished'), track: TrackInfo });
export const TrackUnpublished = z.object({ type: z.literal('trackUnpublished'), trackId: OpaqueId });
export const TrackUpdated = z.object({ type: z.literal('trackUpdated'), track: TrackInfo });

/**
 * A track to receive: create a consumer on the recv transport with these options (`id` is the
 * consumer ID), then send `resumeSubscription`. Sent for every track published while the
 * participant is in the meeting, after `setupMedia`.
 */
export const Subscription = z.object({
  type: z.literal('subscription'),
  trackId: OpaqueId,
  consumerId: z.string(),
  kind: z.enum(['audio', 'video']),
  rtpParameters: z.record(z.string(), z.unknown()),
});

/** The loudest speaker changed (drives the speaker view and the speaking highlight). */
export const ActiveSpeaker = z.object({ type: z.literal('activeSpeaker'), participantId: OpaqueId });

/** A fresh resume credential (the previous one stops working). */
export const ResumeToken = z.object({ type: z.literal('resumeToken'), resume: ResumeCredential });

/**
 * Fresh ICE servers (TURN credentials), sent with every `resumeToken` while the server has TURN configured:
 * the transports gather their next candidates with them (`transport.updateIceServers`), so a transport that
 * first carries media long after the join does not present expired credentials.
 */
export const IceServersEvent = z.object({ type: z.literal('iceServers'), iceServers: z.array(IceServer) });

/** A participant's role changed (promotion, demotion, host hand-over). */
export const ParticipantUpdated = z.object({ type: z.literal('participantUpdated'), participant: ParticipantInfo });

/**
 * To everyone: the last host left and the host role passed on (`participantId` is the new host, who
 * also gets `participantUpdated`), or nobody could take it (`participantId` null: no moderator is
 * present, and people waiting in the lobby cannot be admitted). `reason`: `chosen` by the departing
 * host, the longest-present `cohost`, the longest-present signed-in `member`, a `guest` (only where the
 * organization lets guests moderate), or `none`.
 */
export const HostChanged = z.object({
  type: z.literal('hostChanged'),
  participantId: OpaqueId.nullable(),
  displayName: z.string().nullable(),
  reason: z.enum(['chosen', 'cohost', 'member', 'guest', 'none']),
});

/** To hosts and co-hosts (not the raiser): someone raised their hand. */
export const HandRaised = z.object({ type: z.literal('handRaised'), participantId: OpaqueId, displayName: z.string() });

/** The meeting's effective settings changed (lock, lobby, ...). */
export const SettingsUpdated = z.object({ type: z.literal('settingsUpdated'), settings: MeetingSettings });

/**
 * To a socket in the lobby, and only to it: where it stands. `waiting` for a host's decision,
 * `waiting-for-host` until a host arrives, `denied` (with the host's optional message) or `ended`;
 * after `denied` and `ended` the server closes the socket. `sensitivity` is set when the meeting
 * became sensitive while they wait.
 */
export const LobbyStatus = z.object({
  type: z.literal('lobbyStatus'),
  status: z.enum(['waiting', 'waiting-for-host', 'denied', 'ended']),
  message: z.string().optional(),
  sensitivity: Sensitivity.optional(),
});

/** To a socket in the lobby: a host let it in. It is now a participant with this state. */
export const Admitted = z.object({ type: z.literal('admitted'), state: RoomState });

/**
 * To a host or co-host: the whole lobby queue, once, when they become a moderator (later changes
 * come as `lobbyChanged`). `knock` names an entry that just arrived (play a sound, show a notice).
 */
export const LobbyUpdated = z.object({
  type: z.literal('lobbyUpdated'),
  entries: z.array(LobbyEntry),
  knock: z.string().optional(),
});

/**
 * To hosts and co-hosts: what changed in the lobby queue. `added` joined the end of the queue (in
 * order), `removed` (IDs) left it (admitted, denied, gone); `knock` names an entry that just arrived.
 */
export const LobbyChanged = z.object({
  type: z.literal('lobbyChanged'),
  added: z.array(LobbyEntry),
  removed: z.array(z.string()),
  knock: z.string().optional(),
});

/**
 * To hosts and co-hosts: something a moderator should look at. `untrusted-activity`: someone tried
 * what the switches or the link policy forbid (`attempted` says what); `disruption`: a burst of
 * joins, repeated forbidden attempts or rapid renames; `passcode-guessing`: the meeting stopped
 * taking passcode guesses. `participantId` (when set) is who to remove with one click.
 */
export const Alert = z.object({
  type: z.literal('alert'),
  kind: z.enum(['passcode-guessing', 'untrusted-activity', 'disruption']),
  message: z.string(),
  participantId: OpaqueId.optional(),
  participantName: z.string().optional(),
  attempted: z.enum(['link', 'file', 'screen-share', 'rename', 'chat', 'private-chat', 'reaction', 'unmute', 'video', 'join-burst', 'forbidden-burst', 'rename-burst']).optional(),
  /** The meeting was locked automatically because of this. */
  locked: z.boolean().optional(),
});

/** A chat message for this participant (public, or private to or from them). */
export const ChatMessageEvent = z.object({ type: z.literal('chatMessage'), message: ChatMessage });
/** To moderators: a message the link policy holds for approval. */
export const ChatHeld = z.object({ type: z.literal('chatHeld'), message: ChatMessage });
/** To moderators: a held message was approved or rejected (by anyone). */
export const ChatHeldResolved = z.object({ type: z.literal('chatHeldResolved'), messageId: OpaqueId, approved: z.boolean() });
/** To the sender: a moderator discarded their held message. */
export const ChatRejected = z.object({ type: z.literal('chatRejected'), messageId: OpaqueId });
/** A file was shared in the meeting (download it with the participant token). */
export const FileShared = z.object({ type: z.literal('fileShared'), file: SharedFile });
/** To moderators: the removed list changed. */
export const RemovedUpdated = z.object({ type: z.literal('removedUpdated'), entries: z.array(RemovedEntry) });
/**
 * To one participant: a moderator acted on them. `muted`/`videoStopped`/`screenShareStopped`: the
 * server already stopped forwarding it (turn the device off); `unmuteRequested`: ask them to unmute;
 * `suspended`: all their audio, video and sharing stopped at once (Suspend participant activities);
 * `handLowered`: a moderator lowered their raised hand.
 */
export const ModeratorAction = z.object({
  type: z.literal('moderatorAction'),
  action: z.enum(['muted', 'videoStopped', 'screenShareStopped', 'unmuteRequested', 'renamed', 'suspended', 'handLowered']),
  by: z.string(),
});
export const ReactionEvent = z.object({ type: z.literal('reaction'), participantId: OpaqueId, emoji: Reaction });

/** Sensitive meetings: a message from the MLS delivery service for this participant. */
export const E2eeEvent = z.object({ type: z.literal('e2ee'), message: E2eeDelivery });

/**
 * The server is about to close this socket, and why. `sensitivity-raised`: the meeting became
 * sensitive and this person is not a signed-in member of the organization. `account-disabled`: an
 * administrator disabled this person's account (their sessions are gone; they may not come back as themselves).
 */
export const Bye = z.object({
  type: z.literal('bye'),
  reason: z.enum(['left', 'shutdown', 'replaced', 'media-failed', 'protocol', 'ended', 'removed', 'sensitivity-raised', 'account-disabled']),
  message: z.string(),
});

/**
 * To every socket, when a new web client build is deployed (and after `welcome`, to a client that is
 * not the served build): `build` is the served build; `required` means this client's build is below
 * the organization's minimum (reload now; the server refuses its next `hello`), otherwise a reload is
 * only offered.
 */
export const ClientBuildEvent = z.object({ type: z.literal('clientBuild'), build: z.string().max(64), required: z.boolean() });

export const ServerMessage = z.discriminatedUnion('type', [
  Welcome,
  Result,
  ErrorMessage,
  ParticipantJoined,
  ParticipantLeft,
  TrackPublished,
  TrackUnpublished,
  TrackUpdated,
  Subscription,
  ActiveSpeaker,
  ResumeToken,
  IceServersEvent,
  ParticipantUpdated,
  HostChanged,
  HandRaised,
  SettingsUpdated,
  LobbyStatus,
  Admitted,
  LobbyUpdated,
  LobbyChanged,
  Alert,
  ChatMessageEvent,
  ChatHeld,
  ChatHeldResolved,
  ChatRejected,
  FileShared,
  RemovedUpdated,
  ModeratorAction,
  ReactionEvent,
  E2eeEvent,
  Bye,
  ClientBuildEvent,
  NetworkQualityEvent,
]);
export type ServerMessage = z.infer<typeof ServerMessage>;
export type ServerMessageType = ServerMessage['type'];
export type ServerEvent = Exclude<ServerMessage, { type: 'welcome' | 'result' | 'error' }>;
export const SERVER_MESSAGE_TYPES = ServerMessage.options.map((o) => o.shape.type.value);
