/**
 * A live meeting: its admitted participants and their published tracks. One writer: every change
 * runs through the room's ActionQueue, and clients only ever receive the resulting state.
 * The room drives the SFU through its narrow control interface and never touches werift.
 */
import {
  ParleyError,
  SOURCE_KIND,
  type ClientRequest,
  type MeetingInfo,
  type RequestResult,
  type ServerMessage,
  type TrackInfo,
} from '@parley/protocol';
import type { ConnectionRole, ConnectionState, SfuControl } from '@parley/sfu';
import type { Logger } from '../log.js';
import type { AuditLog } from '../storage/audit.js';
import { ActionQueue } from '../util/action-queue.js';
import { newOpaqueId } from '../util/secrets.js';
import { TypedEmitter } from '../util/typed-emitter.js';
import { Participant, type ParticipantSink } from './participant.js';

export interface RoomDeps {
  sfu: SfuControl;
  log: Logger;
  audit: AuditLog;
  /** How long a participant's media may stay failed or disconnected before removal. */
  mediaGraceMs: number;
  maxParticipants: number;
}

export interface RoomEvents {
  /** A participant was admitted; their ID is also their SFU peer ID. */
  participantAdded: [participantId: string];
  /** A participant is gone. */
  participantRemoved: [participantId: string];
  /** The last participant left; the registry closes the room. */
  empty: [];
}

/** Why a participant is removed; `left` is their own choice. */
export type RemovalReason = 'left' | 'disconnected' | 'media-failed';

/** Thrown by `join` on a room that closed while the join waited in its queue: join a fresh room. */
export class RoomClosedError extends Error {}

/** Sends the successful reply to the request being handled. */
export type Reply<T> = (result: T) => void;

interface Track {
  info: TrackInfo;
  mid: string;
}

export class Room extends TypedEmitter<RoomEvents> {
  readonly meeting: MeetingInfo;
  readonly #deps: RoomDeps;
  readonly #log: Logger;
  readonly #queue = new ActionQueue();
  readonly #participants = new Map<string, Participant>();
  readonly #tracks = new Map<string, Track>();
  #closed = false;

  constructor(meeting: MeetingInfo, deps: RoomDeps) {
    super();
    this.meeting = meeting;
    this.#deps = deps;
    this.#log = deps.log.child({ meetingId: meeting.id });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get participantCount(): number {
    return this.#participants.size;
  }

  /** Admits a person: creates their SFU peer, subscribes them to every track, replies with the room state. */
  join(init: { displayName: string; clientAddress: string; sink: ParticipantSink }, reply: Reply<RequestResult<'join'>>): Promise<Participant> {
    return this.#queue.push(async () => {
      if (this.#closed) throw new RoomClosedError();
      if (this.#participants.size >= this.#deps.maxParticipants) throw new ParleyError('meeting_full');
      const participant = new Participant({ id: newOpaqueId(), role: 'participant', ...init });
      await this.#deps.sfu.createPeer(participant.id);
      this.#participants.set(participant.id, participant);
      this.emit('participantAdded', participant.id);
      for (const track of this.#tracks.values()) await this.#deps.sfu.subscribe(participant.id, track.info.id);
      reply({
        meeting: this.meeting,
        self: participant.info(),
        participants: this.#others(participant.id).map((p) => p.info()),
        tracks: [...this.#tracks.values()].map((t) => t.info),
        iceServers: [],
      });
      this.#broadcast({ type: 'participantJoined', participant: participant.info() }, participant.id);
      this.#log.info({ participantId: participant.id, participants: this.#participants.size }, 'participant joined');
      await this.#audit('participant.joined', participant);
      if (this.#tracks.size > 0) await this.#renegotiate(participant);
      return participant;
    });
  }

  publish(participantId: string, request: ClientRequest<'publish'>, reply: Reply<RequestResult<'publish'>>): Promise<void> {
    return this.#queue.push(async () => {
      this.#participant(participantId);
      if (SOURCE_KIND[request.source] !== request.kind) {
        throw new ParleyError('bad_request', `a ${request.source} track must be ${SOURCE_KIND[request.source]}`);
      }
      for (const track of this.#tracks.values()) {
        if (track.info.participantId !== participantId) continue;
        if (track.info.source === request.source) throw new ParleyError('wrong_state', `already publishing ${request.source}`);
        if (track.mid === request.mid) throw new ParleyError('bad_request', `m-line ${request.mid} already carries a track`);
      }
      const info: TrackInfo = { id: newOpaqueId(), participantId, kind: request.kind, source: request.source, muted: false };
      const answer = await this.#negotiate(() =>
        this.#deps.sfu.publish(participantId, request.sdp, [{ mid: request.mid, trackId: info.id, kind: info.kind }]),
      );
      this.#tracks.set(info.id, { info, mid: request.mid });
      reply({ trackId: info.id, sdp: answer.sdp });
      this.#broadcast({ type: 'trackPublished', track: info }, participantId);
      this.#log.info({ participantId, trackId: info.id, source: info.source }, 'track published');
      for (const other of this.#others(participantId)) {
        await this.#deps.sfu.subscribe(other.id, info.id);
        await this.#renegotiate(other);
      }
    });
  }

  unpublish(participantId: string, request: ClientRequest<'unpublish'>, reply: Reply<RequestResult<'unpublish'>>): Promise<void> {
    return this.#queue.push(async () => {
      this.#participant(participantId);
      const track = this.#ownTrack(participantId, request.trackId);
      const answer = await this.#negotiate(() => this.#deps.sfu.unpublish(participantId, request.sdp, [track.info.id]));
      this.#tracks.delete(track.info.id);
      reply({ sdp: answer.sdp });
      this.#broadcast({ type: 'trackUnpublished', trackId: track.info.id }, participantId);
      this.#log.info({ participantId, trackId: track.info.id }, 'track unpublished');
      for (const other of this.#others(participantId)) await this.#renegotiate(other);
    });
  }

  answer(participantId: string, request: ClientRequest<'answer'>, reply: Reply<RequestResult<'answer'>>): Promise<void> {
    return this.#queue.push(async () => {
      const participant = this.#participant(participantId);
      if (participant.pendingNegotiation !== request.negotiationId) {
        throw new ParleyError('wrong_state', 'no offer with this negotiation ID is awaiting an answer');
      }
      await this.#negotiate(() => this.#deps.sfu.applySubscriberAnswer(participantId, request.sdp));
      participant.pendingNegotiation = null;
      reply({});
      if (participant.needsRenegotiation) await this.#renegotiate(participant);
    });
  }

  setMuted(participantId: string, request: ClientRequest<'setMuted'>, reply: Reply<RequestResult<'setMuted'>>): Promise<void> {
    return this.#queue.push(() => {
      this.#participant(participantId);
      const track = this.#ownTrack(participantId, request.trackId);
      track.info = { ...track.info, muted: request.muted };
      reply({});
      this.#broadcast({ type: 'trackUpdated', track: track.info }, participantId);
    });
  }

  /** Removes a participant (left, socket gone, media failed). Idempotent. */
  remove(participantId: string, reason: RemovalReason): Promise<void> {
    return this.#queue.push(() => this.#remove(participantId, reason));
  }

  /** The SFU reports a participant's connection state; a connection down past the grace period removes them. */
  connectionStateChanged(participantId: string, role: ConnectionRole, state: ConnectionState): void {
    const participant = this.#participants.get(participantId);
    if (!participant) return;
    if (state === 'connected') {
      clearTimeout(participant.mediaGraceTimer);
      participant.mediaGraceTimer = undefined;
    } else if ((state === 'failed' || state === 'disconnected' || state === 'closed') && !participant.mediaGraceTimer) {
      this.#log.warn({ participantId, role, state }, 'media connection down; grace period started');
      participant.mediaGraceTimer = setTimeout(() => {
        participant.close({ reason: 'media-failed', message: 'The media connection failed.' });
        this.remove(participantId, 'media-failed').catch((err: unknown) => this.#log.error({ err }, 'removal failed'));
      }, this.#deps.mediaGraceMs);
    }
  }

  /** Tells everyone the server is going away, closes their sockets and SFU peers. Idempotent. */
  async close(message = 'The meeting has ended.'): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue.push(async () => {
      for (const participant of [...this.#participants.values()]) {
        participant.close({ reason: 'shutdown', message });
        await this.#remove(participant.id, 'disconnected');
      }
    });
    await this.#queue.close();
    this.removeAllListeners();
  }

  async #remove(participantId: string, reason: RemovalReason): Promise<void> {
    const participant = this.#participants.get(participantId);
    if (!participant) return;
    this.#participants.delete(participantId);
    participant.close();
    const removed = [...this.#tracks.values()].filter((t) => t.info.participantId === participantId);
    for (const track of removed) this.#tracks.delete(track.info.id);
    await this.#deps.sfu.closePeer(participantId).catch((err: unknown) => this.#log.error({ err }, 'closePeer failed'));
    for (const track of removed) this.#broadcast({ type: 'trackUnpublished', trackId: track.info.id });
    this.#broadcast({ type: 'participantLeft', participantId, reason });
    this.emit('participantRemoved', participantId);
    this.#log.info({ participantId, reason, participants: this.#participants.size }, 'participant removed');
    await this.#audit('participant.left', participant, { reason });
    if (removed.length > 0) for (const other of this.#participants.values()) await this.#renegotiate(other);
    if (this.#participants.size === 0) this.emit('empty');
  }

  /** Offers the participant's subscriber connection its current subscriptions, one offer at a time. */
  async #renegotiate(participant: Participant): Promise<void> {
    if (participant.closed) return;
    if (participant.pendingNegotiation) {
      participant.needsRenegotiation = true;
      return;
    }
    participant.needsRenegotiation = false;
    try {
      const offer = await this.#deps.sfu.createSubscriberOffer(participant.id);
      const negotiationId = newOpaqueId();
      participant.pendingNegotiation = negotiationId;
      participant.send({ type: 'offer', negotiationId, sdp: offer.sdp, tracks: offer.tracks });
    } catch (err) {
      this.#log.error({ err, participantId: participant.id }, 'subscriber offer failed; removing participant');
      participant.close({ reason: 'media-failed', message: 'The server could not set up your media.' });
      await this.#remove(participant.id, 'media-failed');
    }
  }

  /** Runs an SDP operation; a rejection is the client's bad SDP, reported as negotiation_failed. */
  async #negotiate<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (err) {
      this.#log.warn({ err }, 'negotiation failed');
      throw new ParleyError('negotiation_failed', err instanceof Error ? err.message.slice(0, 200) : undefined);
    }
  }

  #participant(participantId: string): Participant {
    const participant = this.#participants.get(participantId);
    if (!participant) throw new ParleyError('wrong_state', 'not in this meeting');
    return participant;
  }

  /** A track of this room that belongs to the sender; someone else's is forbidden, unknown is not_found. */
  #ownTrack(participantId: string, trackId: string): Track {
    const track = this.#tracks.get(trackId);
    if (!track) throw new ParleyError('not_found', 'no such track in this meeting');
    if (track.info.participantId !== participantId) throw new ParleyError('forbidden', 'not your track');
    return track;
  }

  #others(participantId: string): Participant[] {
    return [...this.#participants.values()].filter((p) => p.id !== participantId);
  }

  #broadcast(message: ServerMessage, exceptId?: string): void {
    for (const participant of this.#participants.values()) if (participant.id !== exceptId) participant.send(message);
  }

  async #audit(action: string, participant: Participant, details: Record<string, unknown> = {}): Promise<void> {
    await this.#deps.audit
      .append({
        meetingId: this.meeting.id,
        actor: participant.id,
        action,
        clientAddress: participant.clientAddress,
        details: { displayName: participant.displayName, ...details },
      })
      .catch((err: unknown) => this.#log.error({ err }, 'audit append failed'));
  }
}
