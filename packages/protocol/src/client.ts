/**
 * Client-to-server messages. Every one is a request: it carries an `id` (a positive integer unique
 * on its socket) and gets exactly one reply: `welcome` for `hello`, otherwise `result` or `error`
 * with the same `id`. docs/protocol.md describes them in the order of a meeting's life.
 */
import { z } from 'zod';
import { DisplayName, MeetingId, OpaqueId, Passcode } from './ids.js';
import { IceServer, MediaKind, MeetingInfo, ParticipantInfo, TrackInfo, TrackSource } from './model.js';

/** SDP bodies from clients: a publisher offer with a few m-lines fits well inside this. */
const Sdp = z.string().min(1).max(60_000);
const RequestId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** First message on every socket: who is speaking, which protocol. */
export const Hello = z.object({
  type: z.literal('hello'),
  id: RequestId,
  protocolVersion: z.number().int().positive(),
  /** The web client's build identifier (a semver string). */
  clientBuild: z.string().min(1).max(64),
});

/** Ask to enter a meeting. */
export const Join = z.object({
  type: z.literal('join'),
  id: RequestId,
  meetingId: MeetingId,
  passcode: Passcode.optional(),
  displayName: DisplayName,
});

/**
 * Publish one track. The client has added a send-only transceiver for it to its publisher
 * connection and sends that connection's new offer; `mid` names the transceiver.
 */
export const Publish = z.object({
  type: z.literal('publish'),
  id: RequestId,
  source: TrackSource,
  kind: MediaKind,
  mid: z.string().min(1).max(32),
  sdp: Sdp,
});

/** Stop publishing a track. `sdp` is the publisher connection's new offer without it. */
export const Unpublish = z.object({
  type: z.literal('unpublish'),
  id: RequestId,
  trackId: OpaqueId,
  sdp: Sdp,
});

/** Answer the server's offer for the subscriber connection (see the `offer` event). */
export const Answer = z.object({
  type: z.literal('answer'),
  id: RequestId,
  negotiationId: OpaqueId,
  sdp: Sdp,
});

/** Mark one's own track muted or unmuted (microphone off, camera off), for everyone's UI. */
export const SetMuted = z.object({
  type: z.literal('setMuted'),
  id: RequestId,
  trackId: OpaqueId,
  muted: z.boolean(),
});

/** Leave the meeting. The server replies, then closes the socket. */
export const Leave = z.object({
  type: z.literal('leave'),
  id: RequestId,
});

export const ClientMessage = z.discriminatedUnion('type', [Hello, Join, Publish, Unpublish, Answer, SetMuted, Leave]);
export type ClientMessage = z.infer<typeof ClientMessage>;
export type ClientMessageType = ClientMessage['type'];
export type ClientRequest<T extends ClientMessageType> = Extract<ClientMessage, { type: T }>;
export const CLIENT_MESSAGE_TYPES = ClientMessage.options.map((o) => o.shape.type.value);

/** The `result` payload of each request (hello is answered by `welcome` instead). */
export const RESULTS = {
  hello: z.object({}),
  join: z.object({
    meeting: MeetingInfo,
    self: ParticipantInfo,
    /** Everyone already in the meeting, not including `self`. */
    participants: z.array(ParticipantInfo),
    /** Every track published in the meeting (the joiner has none yet). */
    tracks: z.array(TrackInfo),
    iceServers: z.array(IceServer),
  }),
  publish: z.object({ trackId: OpaqueId, sdp: z.string() }),
  unpublish: z.object({ sdp: z.string() }),
  answer: z.object({}),
  setMuted: z.object({}),
  leave: z.object({}),
} satisfies Record<ClientMessageType, z.ZodType>;
export type RequestResult<T extends ClientMessageType> = z.infer<(typeof RESULTS)[T]>;
