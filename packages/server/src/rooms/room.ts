/**
 * A live meeting: its lobby, its admitted participants and their published tracks. One writer:
 * every change runs through the room's ActionQueue, every participant message passes the one
 * permission check, and clients only ever receive the resulting state. The room drives the SFU
 * through its narrow control interface and never touches werift.
 */
import {
  ParleyError,
  SOURCE_KIND,
  type ClientMessage,
  type MeetingInfo,
  type MeetingSettings,
  type MeetingSettingsPatch,
  type RequestResult,
  type RoomState,
  type ServerMessage,
  type TrackInfo,
} from '@parley/protocol';
import type { ConnectionRole, ConnectionState, SfuControl } from '@parley/sfu';
import type { Logger } from '../log.js';
import { lockedBy, resolveSettings, weakenings, type OrgPolicy } from '../meetings/settings.js';
import type { AuditLog } from '../storage/audit.js';
import { ActionQueue } from '../util/action-queue.js';
import { newOpaqueId } from '../util/secrets.js';
import { TypedEmitter } from '../util/typed-emitter.js';
import { decideAdmission, reconsider, successor } from './admission.js';
import { Lobby, type Waiter } from './lobby.js';
import { Participant, type Entrant, type ParticipantSink } from './participant.js';
import { actionFor, can, isModerator } from './permissions.js';

export interface RoomDeps {
  sfu: SfuControl;
  log: Logger;
  audit: AuditLog;
  policy: OrgPolicy;
  /** Persists a meeting's end and its settings. */
  store: { end(meetingId: string): Promise<void>; saveSettings(meetingId: string, settings: MeetingSettingsPatch): Promise<void> };
  /** How long a participant's media may stay failed or disconnected before removal. */
  mediaGraceMs: number;
  maxParticipants: number;
}

export interface RoomEvents {
  /** A participant was admitted; their ID is also their SFU peer ID. */
  participantAdded: [participantId: string];
  participantRemoved: [participantId: string];
  /** Nobody is in the room or its lobby; the registry closes it. */
  empty: [];
}

export type RemovalReason = 'left' | 'disconnected' | 'media-failed';

/** Thrown by `enter` on a room that closed while the join waited in its queue: enter a fresh room. */
export class RoomClosedError extends Error {}

/** Sends the successful reply to the request being handled. */
export type Reply<T> = (result: T) => void;

/** Messages an admitted participant sends into the room. */
export type RoomMessage = Exclude<ClientMessage, { type: 'hello' | 'join' | 'leave' }>;

interface Track {
  info: TrackInfo;
  mid: string;
}

export interface RoomInit {
  meeting: MeetingInfo;
  hostUserId: string | null;
  settings: MeetingSettingsPatch;
}

export class Room extends TypedEmitter<RoomEvents> {
  readonly meeting: MeetingInfo;
  readonly #deps: RoomDeps;
  readonly #log: Logger;
  readonly #queue = new ActionQueue();
  readonly #participants = new Map<string, Participant>();
  readonly #tracks = new Map<string, Track>();
  readonly #lobby = new Lobby();
  #meetingSettings: MeetingSettingsPatch;
  #locked = false;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(init: RoomInit, deps: RoomDeps) {
    super();
    this.meeting = init.meeting;
    this.#meetingSettings = init.settings;
    this.#deps = deps;
    this.#log = deps.log.child({ meetingId: init.meeting.id });
  }

  get closed(): boolean {
    return this.#closed;
  }

  get participantCount(): number {
    return this.#participants.size;
  }

  get settings(): MeetingSettings {
    return resolveSettings({ policy: this.#deps.policy, meeting: this.#meetingSettings, live: { locked: this.#locked } });
  }

  /** Someone asks to enter: admitted at once, put in the lobby, or refused (locked, restricted). */
  enter(entrant: Entrant, reply: Reply<RequestResult<'join'>>): Promise<void> {
    return this.#queue.push(async () => {
      if (this.#closed) throw new RoomClosedError();
      let decision;
      try {
        decision = decideAdmission(entrant, this.settings, this.#hostPresent());
      } catch (err) {
        if (err instanceof ParleyError) await this.#audit('join.refused', entrant, null, { code: err.code });
        throw err;
      }
      if (decision.outcome === 'admit') {
        await this.#admit(entrant, decision.role, (state) => reply({ status: 'admitted', state }));
        return;
      }
      const status = decision.outcome === 'lobby' ? 'waiting' : 'waiting-for-host';
      const waiter = this.#lobby.add(entrant, decision.role, status);
      reply({ status: 'waiting', reason: decision.outcome === 'lobby' ? 'lobby' : 'host-absent' });
      this.#log.info({ waiterId: waiter.id, status }, 'waiting');
      await this.#audit('lobby.entered', entrant, null, { status });
      if (status === 'waiting') this.#lobbyChanged(waiter.id);
    });
  }

  /** A message from an admitted participant: one permission check, then the action. */
  handle(participantId: string, message: RoomMessage, reply: Reply<object>): Promise<void> {
    return this.#queue.push(async () => {
      const actor = this.#participant(participantId);
      const action = actionFor(message);
      if (action && !can(actor, action, { settings: this.settings })) {
        await this.#audit('forbidden', actor.entrant, null, { attempted: message.type, role: actor.role });
        throw new ParleyError('forbidden', `a ${actor.role} may not ${message.type}`);
      }
      switch (message.type) {
        case 'publish':
          return this.#publish(actor, message, reply);
        case 'unpublish':
          return this.#unpublish(actor, message.trackId, message.sdp, reply);
        case 'answer':
          return this.#answer(actor, message.negotiationId, message.sdp, reply);
        case 'setMuted':
          return this.#setMuted(actor, message.trackId, message.muted, reply);
        case 'admit':
          return this.#admitWaiter(actor, message.lobbyId, reply);
        case 'admitAll':
          return this.#admitAll(actor, reply);
        case 'deny':
          return this.#deny(actor, message.lobbyId, message.message, reply);
        case 'lock':
          return this.#lock(actor, message.locked, reply);
        case 'setRole':
          return this.#setRole(actor, message.participantId, message.role, reply);
        case 'updateSettings':
          return this.#updateSettings(actor, message.settings, reply);
        case 'endMeeting':
          return this.#end(actor, reply);
      }
    });
  }

  /** Removes a participant (left, socket gone, media failed). Idempotent. */
  remove(participantId: string, reason: RemovalReason): Promise<void> {
    return this.#queue.push(() => this.#remove(participantId, reason));
  }

  /** A waiting socket left or went away. */
  leaveLobby(sink: ParticipantSink): Promise<void> {
    return this.#queue.push(async () => {
      const found = this.#lobby.all().find((w) => w.entrant.sink === sink);
      const waiter = found && this.#lobby.take(found.id);
      if (!waiter) return;
      await this.#audit('lobby.left', waiter.entrant, null, {});
      if (waiter.status === 'waiting') this.#lobbyChanged();
      this.#emptyCheck();
    });
  }

  /** Tells the moderators something they should look at. */
  alertModerators(kind: 'passcode-guessing', message: string): void {
    for (const p of this.#participants.values()) if (isModerator(p.role)) p.send({ type: 'alert', kind, message });
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

  /** Says goodbye to everyone (participants and lobby), frees their SFU peers. Idempotent. */
  close(message = 'The meeting has ended.', reason: 'shutdown' | 'ended' = 'shutdown'): Promise<void> {
    this.#closed = true;
    this.#closing ??= (async () => {
      await this.#queue.push(() => this.#closeAll(message, reason));
      await this.#queue.close();
      this.removeAllListeners();
    })();
    return this.#closing;
  }

  // --- admission and the lobby -------------------------------------------------------------

  async #admit(entrant: Entrant, role: Participant['role'], deliver: (state: RoomState) => void): Promise<Participant> {
    if (this.#participants.size >= this.#deps.maxParticipants) throw new ParleyError('meeting_full');
    const participant = new Participant(newOpaqueId(), entrant, role);
    await this.#deps.sfu.createPeer(participant.id);
    this.#participants.set(participant.id, participant);
    entrant.sink.admitted(participant.id);
    this.emit('participantAdded', participant.id);
    for (const track of this.#tracks.values()) await this.#deps.sfu.subscribe(participant.id, track.info.id);
    deliver(this.#stateFor(participant));
    this.#broadcast({ type: 'participantJoined', participant: participant.info() }, participant.id);
    this.#log.info({ participantId: participant.id, role, participants: this.#participants.size }, 'participant admitted');
    await this.#audit('participant.joined', entrant, participant.id, { role });
    if (role === 'host') await this.#reconsiderWaiting();
    if (this.#tracks.size > 0) await this.#renegotiate(participant);
    return participant;
  }

  async #admitWaiter(actor: Participant, waiterId: string, reply: Reply<object>): Promise<void> {
    const waiter = this.#lobby.take(waiterId);
    if (!waiter) throw new ParleyError('not_found', 'nobody with this ID is waiting');
    await this.#audit('lobby.admitted', actor.entrant, waiterId, { displayName: waiter.entrant.displayName });
    reply({});
    this.#lobbyChanged();
    await this.#admitFromLobby(waiter);
  }

  async #admitAll(actor: Participant, reply: Reply<object>): Promise<void> {
    const waiting = this.#lobby.all().filter((w) => w.status === 'waiting');
    for (const waiter of waiting) this.#lobby.take(waiter.id);
    await this.#audit('lobby.admitted-all', actor.entrant, null, { count: waiting.length });
    reply({ admitted: waiting.length });
    this.#lobbyChanged();
    for (const waiter of waiting) await this.#admitFromLobby(waiter);
  }

  async #admitFromLobby(waiter: Waiter): Promise<void> {
    try {
      await this.#admit(waiter.entrant, waiter.role, (state) => waiter.entrant.sink.send({ type: 'admitted', state }));
    } catch (err) {
      this.#log.warn({ err, waiterId: waiter.id }, 'admission from the lobby failed');
      waiter.entrant.sink.send({ type: 'lobbyStatus', status: 'denied', message: err instanceof ParleyError ? err.message : 'Could not join.' });
      waiter.entrant.sink.drop();
    }
  }

  async #deny(actor: Participant, waiterId: string, message: string | undefined, reply: Reply<object>): Promise<void> {
    const waiter = this.#lobby.take(waiterId);
    if (!waiter) throw new ParleyError('not_found', 'nobody with this ID is waiting');
    await this.#audit('lobby.denied', actor.entrant, waiterId, { displayName: waiter.entrant.displayName, message: message ?? null });
    reply({});
    waiter.entrant.sink.send({ type: 'lobbyStatus', status: 'denied', ...(message ? { message } : {}) });
    waiter.entrant.sink.drop();
    this.#lobbyChanged();
    this.#emptyCheck();
  }

  /** A host arrived or the settings changed: move waiters on (to the queue, or straight in). */
  async #reconsiderWaiting(): Promise<void> {
    let queueChanged = false;
    for (const waiter of this.#lobby.all()) {
      const outcome = reconsider(waiter.entrant, this.settings, this.#hostPresent());
      if (outcome === 'admit') {
        this.#lobby.take(waiter.id);
        queueChanged ||= waiter.status === 'waiting';
        await this.#admitFromLobby(waiter);
      } else if (outcome === 'lobby' && waiter.status !== 'waiting') {
        this.#lobby.setStatus(waiter, 'waiting');
        queueChanged = true;
      } else if (outcome === 'host-absent' && waiter.status !== 'waiting-for-host') {
        this.#lobby.setStatus(waiter, 'waiting-for-host');
        queueChanged = true;
      }
    }
    if (queueChanged) this.#lobbyChanged();
  }

  #lobbyChanged(knock?: string): void {
    const entries = this.#lobby.entries();
    for (const p of this.#participants.values()) {
      if (isModerator(p.role)) p.send({ type: 'lobbyUpdated', entries, ...(knock ? { knock } : {}) });
    }
  }

  #hostPresent(): boolean {
    for (const p of this.#participants.values()) if (p.role === 'host') return true;
    return false;
  }

  // --- moderation ------------------------------------------------------------------------------

  async #lock(actor: Participant, locked: boolean, reply: Reply<object>): Promise<void> {
    this.#locked = locked;
    await this.#audit(locked ? 'meeting.locked' : 'meeting.unlocked', actor.entrant, null, {});
    reply({});
    this.#broadcast({ type: 'settingsUpdated', settings: this.settings });
  }

  async #setRole(actor: Participant, targetId: string, role: 'cohost' | 'participant', reply: Reply<object>): Promise<void> {
    const target = this.#participants.get(targetId);
    if (!target) throw new ParleyError('not_found', 'no such participant in this meeting');
    if (target.role === 'host') throw new ParleyError('bad_request', 'a host’s role cannot be changed');
    if (target.role === 'cohost' && !can(actor, 'role.cohost', { settings: this.settings })) {
      await this.#audit('forbidden', actor.entrant, targetId, { attempted: 'demote co-host', role: actor.role });
      throw new ParleyError('forbidden', 'only hosts change co-hosts');
    }
    const before = target.role;
    target.role = role === 'cohost' ? 'cohost' : target.identity === 'guest' ? 'guest' : 'participant';
    await this.#audit('role.changed', actor.entrant, targetId, { from: before, to: target.role });
    reply({});
    if (before !== target.role) this.#broadcast({ type: 'participantUpdated', participant: target.info() });
    if (isModerator(target.role) && !isModerator(before)) target.send({ type: 'lobbyUpdated', entries: this.#lobby.entries() });
  }

  async #updateSettings(actor: Participant, patch: MeetingSettingsPatch, reply: Reply<object>): Promise<void> {
    const refused = lockedBy(this.#deps.policy, patch);
    if (refused.length > 0) throw new ParleyError('forbidden', `the organization's policy locks ${refused.join(', ')}`);
    this.#meetingSettings = { ...this.#meetingSettings, ...patch };
    await this.#deps.store.saveSettings(this.meeting.id, this.#meetingSettings);
    await this.#audit('meeting.settings', actor.entrant, null, { patch, weakened: weakenings(patch) });
    reply({});
    this.#broadcast({ type: 'settingsUpdated', settings: this.settings });
    await this.#reconsiderWaiting();
  }

  async #end(actor: Participant, reply: Reply<object>): Promise<void> {
    await this.#deps.store.end(this.meeting.id);
    await this.#audit('meeting.ended', actor.entrant, null, {});
    reply({});
    this.#closed = true;
    await this.#closeAll('The host ended the meeting.', 'ended');
    this.emit('empty');
  }

  async #closeAll(message: string, reason: 'shutdown' | 'ended'): Promise<void> {
    for (const waiter of this.#lobby.all()) {
      this.#lobby.take(waiter.id);
      waiter.entrant.sink.send({ type: 'lobbyStatus', status: 'ended', message });
      waiter.entrant.sink.drop();
    }
    for (const participant of [...this.#participants.values()]) {
      participant.close({ reason, message });
      await this.#remove(participant.id, 'disconnected');
    }
  }

  // --- media ------------------------------------------------------------------------------------

  async #publish(actor: Participant, request: Extract<RoomMessage, { type: 'publish' }>, reply: Reply<object>): Promise<void> {
    if (SOURCE_KIND[request.source] !== request.kind) {
      throw new ParleyError('bad_request', `a ${request.source} track must be ${SOURCE_KIND[request.source]}`);
    }
    for (const track of this.#tracks.values()) {
      if (track.info.participantId !== actor.id) continue;
      if (track.info.source === request.source) throw new ParleyError('wrong_state', `already publishing ${request.source}`);
      if (track.mid === request.mid) throw new ParleyError('bad_request', `m-line ${request.mid} already carries a track`);
    }
    const info: TrackInfo = { id: newOpaqueId(), participantId: actor.id, kind: request.kind, source: request.source, muted: false };
    const answer = await this.#negotiate(() =>
      this.#deps.sfu.publish(actor.id, request.sdp, [{ mid: request.mid, trackId: info.id, kind: info.kind }]),
    );
    this.#tracks.set(info.id, { info, mid: request.mid });
    reply({ trackId: info.id, sdp: answer.sdp });
    this.#broadcast({ type: 'trackPublished', track: info }, actor.id);
    this.#log.info({ participantId: actor.id, trackId: info.id, source: info.source }, 'track published');
    for (const other of this.#others(actor.id)) {
      await this.#deps.sfu.subscribe(other.id, info.id);
      await this.#renegotiate(other);
    }
  }

  async #unpublish(actor: Participant, trackId: string, sdp: string, reply: Reply<object>): Promise<void> {
    const track = this.#ownTrack(actor.id, trackId);
    const answer = await this.#negotiate(() => this.#deps.sfu.unpublish(actor.id, sdp, [track.info.id]));
    this.#tracks.delete(track.info.id);
    reply({ sdp: answer.sdp });
    this.#broadcast({ type: 'trackUnpublished', trackId: track.info.id }, actor.id);
    for (const other of this.#others(actor.id)) await this.#renegotiate(other);
  }

  async #answer(actor: Participant, negotiationId: string, sdp: string, reply: Reply<object>): Promise<void> {
    if (actor.pendingNegotiation !== negotiationId) {
      throw new ParleyError('wrong_state', 'no offer with this negotiation ID is awaiting an answer');
    }
    await this.#negotiate(() => this.#deps.sfu.applySubscriberAnswer(actor.id, sdp));
    actor.pendingNegotiation = null;
    reply({});
    if (actor.needsRenegotiation) await this.#renegotiate(actor);
  }

  #setMuted(actor: Participant, trackId: string, muted: boolean, reply: Reply<object>): void {
    const track = this.#ownTrack(actor.id, trackId);
    track.info = { ...track.info, muted };
    reply({});
    this.#broadcast({ type: 'trackUpdated', track: track.info }, actor.id);
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

  // --- leaving ----------------------------------------------------------------------------------

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
    await this.#audit('participant.left', participant.entrant, participantId, { reason });
    if (participant.role === 'host' && !this.#hostPresent() && !this.#closed) await this.#handOverHost();
    if (removed.length > 0) for (const other of this.#participants.values()) await this.#renegotiate(other);
    this.#emptyCheck();
  }

  async #handOverHost(): Promise<void> {
    const next = successor([...this.#participants.values()]);
    if (!next) return;
    const before = next.role;
    next.role = 'host';
    await this.#audit('role.changed', null, next.id, { from: before, to: 'host', reason: 'last host left' });
    this.#broadcast({ type: 'participantUpdated', participant: next.info() });
    if (!isModerator(before)) next.send({ type: 'lobbyUpdated', entries: this.#lobby.entries() });
  }

  #emptyCheck(): void {
    if (this.#participants.size === 0 && this.#lobby.size === 0 && !this.#closed) this.emit('empty');
  }

  // --- helpers ----------------------------------------------------------------------------------

  #stateFor(participant: Participant): RoomState {
    return {
      meeting: this.meeting,
      self: participant.info(),
      participants: this.#others(participant.id).map((p) => p.info()),
      tracks: [...this.#tracks.values()].map((t) => t.info),
      settings: this.settings,
      lobby: isModerator(participant.role) ? this.#lobby.entries() : [],
      iceServers: [],
    };
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

  async #audit(action: string, actor: Entrant | null, target: string | null, details: Record<string, unknown>): Promise<void> {
    await this.#deps.audit
      .append({
        meetingId: this.meeting.id,
        actor: actor ? (actor.userId ?? `guest:${actor.displayName}`) : 'system',
        action,
        target,
        clientAddress: actor?.clientAddress ?? null,
        details: actor ? { displayName: actor.displayName, ...details } : details,
      })
      .catch((err: unknown) => this.#log.error({ err }, 'audit append failed'));
  }
}
