/**
 * Client-to-server messages. Every one is a request: it carries an `id` (a positive integer unique
 * on its socket) and gets exactly one reply: `welcome` for `hello`, otherwise `result` or `error`
 * with the same `id`. docs/protocol.md describes them in the order of a meeting's life.
 */
import { z } from 'zod';
import { DisplayName, MeetingId, OpaqueId, Passcode } from './ids.js';
import { MlsBytes } from './e2ee.js';
import { ChatMessage, IceServer, MediaKind, MeetingSettingsPatch, Reaction, RoomState, Sensitivity, TrackSource, TransportOptions } from './model.js';

const RequestId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** First message on every socket: who is speaking, which protocol. */
export const Hello = z.object({
  type: z.literal('hello'),
  id: RequestId,
  protocolVersion: z.number().int().positive(),
  /** The web client's build identifier (a semver string). */
  clientBuild: z.string().min(1).max(64),
});

/**
 * Ask to enter a meeting. Signed-in users (session cookie on the WebSocket upgrade) get their
 * account's name and may omit `displayName`; guests must give one.
 */
export const Join = z.object({
  type: z.literal('join'),
  id: RequestId,
  meetingId: MeetingId,
  passcode: Passcode.optional(),
  displayName: DisplayName.optional(),
});

/**
 * Come back as the same participant after a dropped socket, a reload or a server restart, without
 * passcode or lobby: `token` is the participant's current resume credential (from `RoomState.resume`
 * or the latest `resumeToken` event). It is single-use: the result carries a new one.
 */
export const Resume = z.object({
  type: z.literal('resume'),
  id: RequestId,
  meetingId: MeetingId,
  participantId: OpaqueId,
  token: z.string().min(16).max(128),
});

/**
 * Media parameters produced and consumed by mediasoup-client (RTP capabilities and parameters, ICE
 * and DTLS parameters): JSON objects the server's media plane validates in depth.
 */
const MediaJson = z.record(z.string(), z.unknown());

/**
 * Set up (or set up again) this participant's media: `rtpCapabilities` is the client's
 * mediasoup-client Device, loaded with the room's `media.rtpCapabilities`. The result holds a
 * transport to create for each direction (no `send` for view-only attendees). Calling it again
 * replaces both transports: the participant's tracks end and every subscription is offered anew.
 */
export const SetupMedia = z.object({ type: z.literal('setupMedia'), id: RequestId, rtpCapabilities: MediaJson });

/** The client's DTLS parameters for one of its transports (mediasoup-client's `connect` event). */
export const ConnectTransport = z.object({
  type: z.literal('connectTransport'),
  id: RequestId,
  transportId: OpaqueId,
  dtlsParameters: MediaJson,
});

/** A transport's connection broke: ask for new ICE parameters (then `transport.restartIce()`). */
export const RestartIce = z.object({ type: z.literal('restartIce'), id: RequestId, transportId: OpaqueId });

/**
 * Publish one track on the send transport (mediasoup-client's `produce` event). Camera video may
 * carry up to three simulcast encodings; a screen share carries one.
 */
export const Publish = z.object({
  type: z.literal('publish'),
  id: RequestId,
  source: TrackSource,
  kind: MediaKind,
  rtpParameters: MediaJson,
});

/** Stop publishing a track. */
export const Unpublish = z.object({ type: z.literal('unpublish'), id: RequestId, trackId: OpaqueId });

/** The client created its consumer for a `subscription` event: start forwarding. */
export const ResumeSubscription = z.object({ type: z.literal('resumeSubscription'), id: RequestId, trackId: OpaqueId });

/**
 * What this client's view needs of a remote track: `hidden` (off screen, another page) stops its
 * forwarding to this client; `layer` caps its simulcast layer (a thumbnail needs `low`).
 */
export const SetSubscription = z.object({
  type: z.literal('setSubscription'),
  id: RequestId,
  trackId: OpaqueId,
  hidden: z.boolean().optional(),
  layer: z.enum(['low', 'medium', 'high']).optional(),
});

/** Mark one's own track muted or unmuted (microphone off, camera off), for everyone's UI. */
export const SetMuted = z.object({
  type: z.literal('setMuted'),
  id: RequestId,
  trackId: OpaqueId,
  muted: z.boolean(),
});

/**
 * Leave the meeting. The server replies, then closes the socket. `handOverTo`: a host leaving with
 * no other host present names who takes over (present, not an attendee, and a signed-in member or
 * co-host unless the organization lets guests moderate); otherwise the server chooses.
 */
export const Leave = z.object({
  type: z.literal('leave'),
  id: RequestId,
  handOverTo: OpaqueId.optional(),
});

/** Host or co-host: let someone in the lobby into the meeting. */
export const Admit = z.object({ type: z.literal('admit'), id: RequestId, lobbyId: OpaqueId });

/** Host or co-host: turn someone in the lobby away, with an optional message shown to them. */
export const Deny = z.object({
  type: z.literal('deny'),
  id: RequestId,
  lobbyId: OpaqueId,
  message: z.string().trim().max(200).optional(),
});

/** Host or co-host: admit everyone waiting. */
export const AdmitAll = z.object({ type: z.literal('admitAll'), id: RequestId });

/** Host or co-host: lock or unlock the meeting. While locked nobody new may join or reach the lobby. */
export const Lock = z.object({ type: z.literal('lock'), id: RequestId, locked: z.boolean() });

/**
 * Change a participant's role. Hosts promote to and demote from co-host; hosts and co-hosts
 * promote a view-only attendee to participant.
 */
export const SetRole = z.object({
  type: z.literal('setRole'),
  id: RequestId,
  participantId: OpaqueId,
  role: z.enum(['cohost', 'participant']),
});

/** Host: change the meeting's settings live (lobby, join before host, members skip lobby, access). */
export const UpdateSettings = z.object({ type: z.literal('updateSettings'), id: RequestId, settings: MeetingSettingsPatch });

/**
 * Host: raise the meeting's sensitivity class. `sensitive` forces its settings at once: everyone who is
 * not a signed-in member of the organization, in the meeting or the lobby, gets `bye`
 * (`sensitivity-raised`) and their resume credential is revoked. A class is never lowered while the
 * meeting exists (`forced_by_sensitivity`).
 */
export const SetSensitivity = z.object({ type: z.literal('setSensitivity'), id: RequestId, sensitivity: Sensitivity });

/** Host: end the meeting for everyone. */
export const EndMeeting = z.object({ type: z.literal('endMeeting'), id: RequestId });

/** The longest chat message, in characters. */
export const MAX_CHAT_CHARS = 2000;

/** Post a chat message: to everyone, or privately `to` one participant. Plain text only. */
export const Chat = z.object({
  type: z.literal('chat'),
  id: RequestId,
  text: z.string().min(1).max(MAX_CHAT_CHARS),
  to: OpaqueId.optional(),
});

/** Moderator: release a message held for approval to everyone. */
export const ApproveMessage = z.object({ type: z.literal('approveMessage'), id: RequestId, messageId: OpaqueId });
/** Moderator: discard a message held for approval. */
export const RejectMessage = z.object({ type: z.literal('rejectMessage'), id: RequestId, messageId: OpaqueId });

/** Moderator: remove a participant; they stay out (account, browser, link) until allowed back. */
export const Remove = z.object({ type: z.literal('remove'), id: RequestId, participantId: OpaqueId });
/** Moderator: let a removed person back in (they still pass passcode and lobby as usual). */
export const AllowBack = z.object({ type: z.literal('allowBack'), id: RequestId, removedId: OpaqueId });

/** Moderator: mute one participant's microphone (the server stops forwarding it). */
export const Mute = z.object({ type: z.literal('mute'), id: RequestId, participantId: OpaqueId });
/** Moderator: mute every participant's microphone but the moderators'. */
export const MuteAll = z.object({ type: z.literal('muteAll'), id: RequestId });
/** Moderator: ask a participant to unmute; they may then unmute once even where unmuting oneself is off. */
export const AskToUnmute = z.object({ type: z.literal('askToUnmute'), id: RequestId, participantId: OpaqueId });
/** Moderator: stop a participant's camera. */
export const StopVideo = z.object({ type: z.literal('stopVideo'), id: RequestId, participantId: OpaqueId });
/** Moderator: stop a participant's screen share. */
export const StopScreenShare = z.object({ type: z.literal('stopScreenShare'), id: RequestId, participantId: OpaqueId });

/** Rename oneself (if allowed) or, as a moderator, someone else. */
export const Rename = z.object({ type: z.literal('rename'), id: RequestId, participantId: OpaqueId.optional(), displayName: DisplayName });

export const RaiseHand = z.object({ type: z.literal('raiseHand'), id: RequestId, raised: z.boolean() });
/** Moderator: lower every raised hand. */
export const LowerAllHands = z.object({ type: z.literal('lowerAllHands'), id: RequestId });
/** Moderator: lower one participant's raised hand. */
export const LowerHand = z.object({ type: z.literal('lowerHand'), id: RequestId, participantId: OpaqueId });
export const React = z.object({ type: z.literal('react'), id: RequestId, emoji: Reaction });

/**
 * Moderator: Suspend participant activities. Stops everyone's video, audio and screen sharing (all but
 * moderators'), turns chat and every collaboration switch off, and locks the meeting.
 */
export const Suspend = z.object({ type: z.literal('suspend'), id: RequestId });

/** Report a participant to the organization's administrators. */
export const Report = z.object({ type: z.literal('report'), id: RequestId, participantId: OpaqueId, note: z.string().trim().min(1).max(1000) });

/**
 * Sensitive meetings (end-to-end encrypted): this client is ready to join the meeting's MLS group with
 * this KeyPackage (its credential must name this participant as the server knows them). Sent after
 * every `setupMedia`; a new KeyPackage from a member replaces their old leaf in one commit.
 */
export const E2eeReady = z.object({ type: z.literal('e2eeReady'), id: RequestId, keyPackage: MlsBytes });
/** After a `create` delivery: the group exists at epoch 0 with this public ratchet tree. */
export const E2eeGroupCreated = z.object({ type: z.literal('e2eeGroupCreated'), id: RequestId, groupId: MlsBytes, ratchetTree: MlsBytes });
/** After a `commitRequest`: the commit, the Welcome for joiners (if any) and the new public ratchet tree. */
export const E2eeCommit = z.object({ type: z.literal('e2eeCommit'), id: RequestId, commit: MlsBytes, welcome: MlsBytes.optional(), ratchetTree: MlsBytes });
/** An encrypted chat message (an MLS application message) for every member. */
export const E2eeChat = z.object({ type: z.literal('e2eeChat'), id: RequestId, message: MlsBytes });

/**
 * This client decoded its first remote video frame since it was admitted (joined or resumed). The
 * server times it on its own clock, from the admission to this message, once per admission: the
 * join-to-first-frame metric. It carries no number a client could inflate.
 */
export const FirstFrame = z.object({ type: z.literal('firstFrame'), id: RequestId });

export const ClientMessage = z.discriminatedUnion('type', [
  Hello,
  Join,
  Resume,
  SetupMedia,
  ConnectTransport,
  RestartIce,
  Publish,
  Unpublish,
  ResumeSubscription,
  SetSubscription,
  SetMuted,
  Leave,
  Admit,
  Deny,
  AdmitAll,
  Lock,
  SetRole,
  UpdateSettings,
  SetSensitivity,
  EndMeeting,
  Chat,
  ApproveMessage,
  RejectMessage,
  Remove,
  AllowBack,
  Mute,
  MuteAll,
  AskToUnmute,
  StopVideo,
  StopScreenShare,
  Rename,
  RaiseHand,
  LowerAllHands,
  LowerHand,
  React,
  Suspend,
  Report,
  E2eeReady,
  E2eeGroupCreated,
  E2eeCommit,
  E2eeChat,
  FirstFrame,
]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];
export type ClientRequest<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;
export const CLIENT_MESSAGE_TYPES = ClientMessage.options.map((o) => o.shape.type.value);

/** The `result` payload of each request (hello is answered by `welcome` instead). */
export const RESULTS = {
  hello: z.object({}),
  /**
   * Either admitted at once (with the room state), or waiting: in the lobby for a host's decision,
   * or for a host to arrive. A waiting socket then receives only `lobbyStatus` and, if let in, `admitted`.
   */
  join: z.discriminatedUnion('status', [
    z.object({ status: z.literal('admitted'), state: RoomState }),
    z.object({
      status: z.literal('waiting'),
      reason: z.enum(['lobby', 'host-absent']),
      /** Set for a sensitive meeting: the one fact about the meeting the lobby learns. */
      sensitivity: Sensitivity.optional(),
    }),
  ]),
  /** Like `join`'s admitted result: the participant is back, with the room as it is now. */
  resume: z.object({ status: z.literal('admitted'), state: RoomState }),
  setupMedia: z.object({ send: TransportOptions.nullable(), recv: TransportOptions }),
  connectTransport: z.object({}),
  /** New ICE parameters, and fresh ICE servers (TURN credentials) to gather the new candidates with. */
  restartIce: z.object({ iceParameters: MediaJson, iceServers: z.array(IceServer) }),
  publish: z.object({ trackId: OpaqueId }),
  unpublish: z.object({}),
  resumeSubscription: z.object({}),
  setSubscription: z.object({}),
  setMuted: z.object({}),
  leave: z.object({}),
  admit: z.object({}),
  deny: z.object({}),
  admitAll: z.object({ admitted: z.number().int().nonnegative() }),
  lock: z.object({}),
  setRole: z.object({}),
  updateSettings: z.object({}),
  /** `movedOut`: how many people (in the meeting and the lobby) had to leave; `passcode`: a new one, if the meeting had none. */
  setSensitivity: z.object({ movedOut: z.number().int().nonnegative(), passcode: z.string().optional() }),
  endMeeting: z.object({}),
  /** `held`: the link policy holds it for a moderator; the sender gets `chatRejected` if it is discarded. */
  chat: z.object({ status: z.enum(['sent', 'held']), message: ChatMessage }),
  approveMessage: z.object({}),
  rejectMessage: z.object({}),
  remove: z.object({}),
  allowBack: z.object({}),
  mute: z.object({}),
  muteAll: z.object({ muted: z.number().int().nonnegative() }),
  askToUnmute: z.object({}),
  stopVideo: z.object({}),
  stopScreenShare: z.object({}),
  rename: z.object({}),
  raiseHand: z.object({}),
  lowerAllHands: z.object({}),
  lowerHand: z.object({}),
  react: z.object({}),
  suspend: z.object({}),
  report: z.object({}),
  /** Accepted for the delivery service; what it decides comes as `e2ee` events (a refusal as `rejected`). */
  e2eeReady: z.object({}),
  e2eeGroupCreated: z.object({}),
  e2eeCommit: z.object({}),
  e2eeChat: z.object({}),
  firstFrame: z.object({}),
} satisfies Record<ClientMessageType, z.ZodType>;
export type RequestResult<T extends ClientMessageType> = z.infer<(typeof RESULTS)[T]>;
