/**
 * A live meeting: its lobby, its admitted participants, their tracks, chat and files. One writer:
 * every change runs through the room's ActionQueue, every participant message passes the one
 * permission check, and clients only ever receive the resulting state. The room drives the SFU
 * through its narrow control interface and never touches werift. Action handlers live beside it
 * (lobby-, media-, moderation-, chat-actions) and see the room through RoomContext.
 */
import {
  ParleyError,
  type ClientMessage,
  type MeetingInfo,
  type MeetingSettings,
  type MeetingSettingsPatch,
  type RequestResult,
  type RoomState,
  type ServerMessage,
  type SharedFile,
} from '@parley/protocol';
import type { ConnectionRole, ConnectionState } from '@parley/sfu';
import type { Logger } from '../log.js';
import { resolveSettings } from '../meetings/settings.js';
import { ActionQueue } from '../util/action-queue.js';
import { newOpaqueId } from '../util/secrets.js';
import { TypedEmitter } from '../util/typed-emitter.js';
import { decideAdmission, successor } from './admission.js';
import * as chatActions from './chat-actions.js';
import { ChatLog } from './chat-log.js';
import type { AlertInit, LobbyChange, RemovalReason, Reply, RoomContext, RoomDeps, Track } from './context.js';
import { DisruptionDetector } from './disruption.js';
import { authorize, dispatch } from './dispatch.js';
import { FileBox, type StoredFile } from './file-box.js';
import { Lobby, entryOf, type Waiter } from './lobby.js';
import * as lobbyActions from './lobby-actions.js';
import * as media from './media-actions.js';
import * as moderation from './moderation-actions.js';
import { Participant, type Entrant, type ParticipantSink } from './participant.js';
import { actionFor, isModerator } from './permissions.js';

export type { RoomDeps, RemovalReason, Reply } from './context.js';

export interface RoomEvents {
  /** A participant was admitted; their ID is also their SFU peer ID. */
  participantAdded: [participantId: string];
  participantRemoved: [participantId: string];
  /** Nobody is in the room or its lobby, or the meeting ended; the registry closes it. */
  empty: [];
}

/** Thrown by `enter` on a room that closed while the join waited in its queue: enter a fresh room. */
export class RoomClosedError extends Error {}

/** Messages an admitted participant sends into the room. */
export type RoomMessage = Exclude<ClientMessage, { type: 'hello' | 'join' | 'leave' }>;

export interface RoomInit {
  meeting: MeetingInfo;
  hostUserId: string | null;
  settings: MeetingSettingsPatch;
}

export class Room extends TypedEmitter<RoomEvents> implements RoomContext {
  readonly meeting: MeetingInfo;
  readonly deps: RoomDeps;
  readonly log: Logger;
  readonly participants = new Map<string, Participant>();
  readonly tracks = new Map<string, Track>();
  readonly lobby = new Lobby();
  readonly chat = new ChatLog();
  readonly files = new FileBox();
  readonly disruption = new DisruptionDetector();
  meetingSettings: MeetingSettingsPatch;
  locked = false;
  closed = false;
  readonly #queue = new ActionQueue();
  #closing: Promise<void> | undefined;

  constructor(init: RoomInit, deps: RoomDeps) {
    super();
    this.meeting = init.meeting;
    this.meetingSettings = init.settings;
    this.deps = deps;
    this.log = deps.log.child({ meetingId: init.meeting.id });
  }

  get participantCount(): number {
    return this.participants.size;
  }

  settings(): MeetingSettings {
    return resolveSettings({ policy: this.deps.policy, meeting: this.meetingSettings, live: { locked: this.locked } });
  }

  // --- the room's public operations, each one action in the queue ---------------------------------

  /** Someone asks to enter: admitted at once, put in the lobby, or refused (removed, locked, restricted). */
  enter(entrant: Entrant, reply: Reply<RequestResult<'join'>>): Promise<void> {
    return this.#queue.push(async () => {
      if (this.closed) throw new RoomClosedError();
      if (!entrant.isOwner && (await this.deps.moderation.isBanned(this.meeting.id, entrant))) {
        await this.audit('join.refused', entrant, null, { code: 'removed' });
        throw new ParleyError('removed');
      }
      let decision;
      try {
        decision = decideAdmission(entrant, this.settings(), this.hostPresent());
      } catch (err) {
        if (err instanceof ParleyError) await this.audit('join.refused', entrant, null, { code: err.code });
        throw err;
      }
      this.#watchJoinBurst();
      if (decision.outcome === 'admit') {
        await this.admit(entrant, decision.role, (state) => reply({ status: 'admitted', state }));
        return;
      }
      const status = decision.outcome === 'lobby' ? 'waiting' : 'waiting-for-host';
      const waiter = this.lobby.add(entrant, decision.role, status);
      reply({ status: 'waiting', reason: decision.outcome === 'lobby' ? 'lobby' : 'host-absent' });
      await this.audit('lobby.entered', entrant, null, { status });
      if (status === 'waiting') this.lobbyChanged({ added: [waiter], knock: waiter.id });
    });
  }

  /** A message from an admitted participant: one permission check, then the action. */
  handle(participantId: string, message: RoomMessage, reply: Reply): Promise<void> {
    return this.#queue.push(async () => {
      const actor = this.#participant(participantId);
      await authorize(this, actor, actionFor(message), message.type);
      return dispatch(this, actor, message, reply);
    });
  }

  /** A file upload from a participant (over HTTP, with their participant token). */
  shareFile(token: string, name: string, data: Buffer): Promise<SharedFile> {
    return this.#queue.push(async () => {
      const actor = this.#byToken(token);
      await authorize(this, actor, 'file.share', 'share a file');
      return chatActions.shareFile(this, actor, name, data);
    });
  }

  /** A shared file, for a participant of this meeting (by participant token). */
  file(token: string, fileId: string): StoredFile {
    this.#byToken(token);
    const file = this.files.get(fileId);
    if (!file) throw new ParleyError('not_found', 'no such file in this meeting');
    return file;
  }

  /** A participant leaves (left, socket gone, media failed). Idempotent. */
  leave(participantId: string, reason: RemovalReason): Promise<void> {
    return this.#queue.push(() => this.remove(participantId, reason));
  }

  /** A waiting socket left or went away. */
  leaveLobby(sink: ParticipantSink): Promise<void> {
    return this.#queue.push(async () => {
      const found = this.lobby.all().find((w) => w.entrant.sink === sink);
      const waiter = found && this.lobby.take(found.id);
      if (!waiter) return;
      await this.audit('lobby.left', waiter.entrant, null, {});
      if (waiter.status === 'waiting') this.lobbyChanged({ removed: [waiter.id] });
      this.emptyCheck();
    });
  }

  /** The SFU reports a participant's connection state; a connection down past the grace period removes them. */
  connectionStateChanged(participantId: string, role: ConnectionRole, state: ConnectionState): void {
    const participant = this.participants.get(participantId);
    if (!participant) return;
    if (state === 'connected') {
      clearTimeout(participant.mediaGraceTimer);
      participant.mediaGraceTimer = undefined;
    } else if ((state === 'failed' || state === 'disconnected' || state === 'closed') && !participant.mediaGraceTimer) {
      this.log.warn({ participantId, role, state }, 'media connection down; grace period started');
      participant.mediaGraceTimer = setTimeout(() => {
        participant.close({ reason: 'media-failed', message: 'The media connection failed.' });
        this.leave(participantId, 'media-failed').catch((err: unknown) => this.log.error({ err }, 'removal failed'));
      }, this.deps.mediaGraceMs);
    }
  }

  /** Says goodbye to everyone (participants and lobby), frees their SFU peers and files. Idempotent. */
  close(message = 'The meeting has ended.', reason: 'shutdown' | 'ended' = 'shutdown'): Promise<void> {
    this.closed = true;
    this.#closing ??= (async () => {
      await this.#queue.push(() => this.closeAll(message, reason));
      await this.#queue.close();
      this.files.clear();
      this.removeAllListeners();
    })();
    return this.#closing;
  }

  // --- RoomContext: shared by the action handlers ---------------------------------------------------

  async admit(entrant: Entrant, role: Participant['role'], deliver: (state: RoomState) => void): Promise<Participant> {
    if (this.participants.size >= this.deps.maxParticipants) throw new ParleyError('meeting_full');
    const participant = new Participant(newOpaqueId(), entrant, role, newOpaqueId(24));
    await this.deps.sfu.createPeer(participant.id);
    this.participants.set(participant.id, participant);
    entrant.sink.admitted(participant.id);
    this.emit('participantAdded', participant.id);
    for (const track of this.tracks.values()) await this.deps.sfu.subscribe(participant.id, track.info.id);
    deliver(await this.stateFor(participant));
    this.broadcast({ type: 'participantJoined', participant: participant.info() }, participant.id);
    this.log.info({ participantId: participant.id, role, participants: this.participants.size }, 'participant admitted');
    await this.audit('participant.joined', entrant, participant.id, { role });
    if (role === 'host') await lobbyActions.reconsiderWaiting(this);
    if (this.tracks.size > 0) await this.renegotiate(participant);
    return participant;
  }

  async admitFromLobby(waiter: Waiter): Promise<void> {
    // Admit, Admit all and turning the lobby off all come here: someone removed while waiting stays out.
    if (!waiter.entrant.isOwner && (await this.deps.moderation.isBanned(this.meeting.id, waiter.entrant))) {
      await this.audit('join.refused', waiter.entrant, null, { code: 'removed', from: 'lobby' });
      waiter.entrant.sink.send({ type: 'lobbyStatus', status: 'denied', message: new ParleyError('removed').message });
      waiter.entrant.sink.drop();
      return;
    }
    try {
      await this.admit(waiter.entrant, waiter.role, (state) => waiter.entrant.sink.send({ type: 'admitted', state }));
    } catch (err) {
      this.log.warn({ err, waiterId: waiter.id }, 'admission from the lobby failed');
      waiter.entrant.sink.send({ type: 'lobbyStatus', status: 'denied', message: err instanceof ParleyError ? err.message : 'Could not join.' });
      waiter.entrant.sink.drop();
    }
  }

  renegotiate(participant: Participant): Promise<void> {
    return media.renegotiate(this, participant);
  }

  lobbyChanged(change: LobbyChange): void {
    const added = (change.added ?? []).map(entryOf);
    const removed = change.removed ?? [];
    if (added.length === 0 && removed.length === 0) return;
    this.toModerators({ type: 'lobbyChanged', added, removed, ...(change.knock ? { knock: change.knock } : {}) });
  }

  hostPresent(): boolean {
    for (const p of this.participants.values()) if (p.role === 'host') return true;
    return false;
  }

  async stateFor(participant: Participant): Promise<RoomState> {
    const moderator = isModerator(participant.role);
    return {
      meeting: this.meeting,
      self: participant.info(),
      participants: this.others(participant.id).map((p) => p.info()),
      tracks: [...this.tracks.values()].map((t) => t.info),
      settings: this.settings(),
      lobby: moderator ? this.lobby.entries() : [],
      chat: this.chat.visibleTo(participant.id),
      files: this.files.list(),
      removed: moderator ? await this.deps.moderation.removed(this.meeting.id) : [],
      held: moderator ? this.chat.held() : [],
      participantToken: participant.token,
      iceServers: [],
    };
  }

  others(participantId: string): Participant[] {
    return [...this.participants.values()].filter((p) => p.id !== participantId);
  }

  broadcast(message: ServerMessage, exceptId?: string): void {
    for (const participant of this.participants.values()) if (participant.id !== exceptId) participant.send(message);
  }

  toModerators(message: ServerMessage): void {
    for (const p of this.participants.values()) if (isModerator(p.role)) p.send(message);
  }

  /** Tells the moderators something they should look at; locks the meeting on disruption if the host chose so. */
  alert(init: AlertInit): void {
    const lock = init.kind === 'disruption' && this.settings().autoLockOnDisruption && !this.locked;
    if (lock) {
      this.locked = true;
      void this.audit('meeting.auto-locked', null, null, { reason: init.attempted ?? init.kind });
      this.broadcast({ type: 'settingsUpdated', settings: this.settings() });
    }
    this.toModerators({ type: 'alert', ...init, ...(lock ? { locked: true } : {}) });
  }

  /** Kept for the registry's guessing alerts. */
  alertModerators(kind: 'passcode-guessing', message: string): void {
    this.alert({ kind, message });
  }

  emptyCheck(): void {
    if (this.participants.size === 0 && this.lobby.size === 0 && !this.closed) this.emit('empty');
  }

  async closeAll(message: string, reason: 'shutdown' | 'ended'): Promise<void> {
    for (const waiter of this.lobby.all()) {
      this.lobby.take(waiter.id);
      waiter.entrant.sink.send({ type: 'lobbyStatus', status: 'ended', message });
      waiter.entrant.sink.drop();
    }
    for (const participant of [...this.participants.values()]) {
      participant.close({ reason, message });
      await this.remove(participant.id, 'disconnected');
    }
    if (reason === 'ended') this.emit('empty');
  }

  async audit(action: string, actor: Entrant | null, target: string | null, details: Record<string, unknown>): Promise<void> {
    await this.deps.audit
      .append({
        meetingId: this.meeting.id,
        actor: actor ? (actor.userId ?? 'guest') : 'system',
        action,
        target,
        clientAddress: actor?.clientAddress ?? null,
        details: actor ? { actorName: actor.displayName, ...details } : details,
      })
      .catch((err: unknown) => this.log.error({ err }, 'audit append failed'));
  }

  // --- internals ------------------------------------------------------------------------------------

  /** Removes a participant, inside the queue: frees their SFU peer and tracks, tells the others. Idempotent. */
  async remove(participantId: string, reason: RemovalReason): Promise<void> {
    const participant = this.participants.get(participantId);
    if (!participant) return;
    this.participants.delete(participantId);
    participant.close();
    const removed = [...this.tracks.values()].filter((t) => t.info.participantId === participantId);
    for (const track of removed) this.tracks.delete(track.info.id);
    await this.deps.sfu.closePeer(participantId).catch((err: unknown) => this.log.error({ err }, 'closePeer failed'));
    for (const track of removed) this.broadcast({ type: 'trackUnpublished', trackId: track.info.id });
    this.broadcast({ type: 'participantLeft', participantId, reason });
    this.emit('participantRemoved', participantId);
    this.disruption.forget(participantId);
    this.log.info({ participantId, reason, participants: this.participants.size }, 'participant removed');
    await this.audit('participant.left', participant.entrant, participantId, { reason });
    if (participant.role === 'host' && !this.hostPresent() && !this.closed) await this.#handOverHost();
    if (removed.length > 0) for (const other of this.participants.values()) await this.renegotiate(other);
    this.emptyCheck();
  }

  async #handOverHost(): Promise<void> {
    const next = successor([...this.participants.values()]);
    if (!next) return;
    const before = next.role;
    next.role = 'host';
    await this.audit('role.changed', null, next.id, { from: before, to: 'host', reason: 'last host left' });
    this.broadcast({ type: 'participantUpdated', participant: next.info() });
    if (!isModerator(before)) await moderation.briefNewModerator(this, next);
  }

  #watchJoinBurst(): void {
    if (this.disruption.record('join-burst')) {
      this.alert({ kind: 'disruption', attempted: 'join-burst', message: 'Many people are trying to join at once.' });
    }
  }

  #participant(participantId: string): Participant {
    const participant = this.participants.get(participantId);
    if (!participant) throw new ParleyError('wrong_state', 'not in this meeting');
    return participant;
  }

  #byToken(token: string): Participant {
    for (const p of this.participants.values()) if (p.token === token) return p;
    throw new ParleyError('forbidden', 'only participants of this meeting may do this');
  }
}
