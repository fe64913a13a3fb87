/**
 * A live meeting: its lobby, its admitted participants, their tracks, chat and files. One writer:
 * every change runs through the room's ActionQueue, every participant message passes the one
 * permission check, and clients only ever receive the resulting state. The room drives the media
 * plane through its contract (SfuControl) and never touches mediasoup. A participant whose socket
 * drops keeps their place for the resume window and comes back with their resume credential.
 * Action handlers live beside it (lobby-, media-, moderation-, chat-actions) and see the room
 * through RoomContext.
 */
import {
  ParleyError,
  type ClientMessage,
  type MeetingInfo,
  type MeetingSettings,
  type MeetingSettingsPatch,
  type RequestResult,
  type RoomState,
  type Sensitivity,
  type ServerMessage,
  type SharedFile,
} from '@parley/protocol';
import type { ConnectionState, MediaJson, PeerNetworkScore, TransportDirection } from '@parley/sfu';
import type { Logger } from '../log.js';
import type { ResumedParticipant } from '../storage/resume.js';
import { resolveSettings } from '../meetings/settings.js';
import { ActionQueue } from '../util/action-queue.js';
import { newOpaqueId } from '../util/secrets.js';
import { TypedEmitter } from '../util/typed-emitter.js';
import { accessRefusal, decideAdmission, mayBecomeHost, successor } from './admission.js';
import * as chatActions from './chat-actions.js';
import { ChatLog } from './chat-log.js';
import type { AlertInit, LobbyChange, RemovalReason, Reply, RoomContext, RoomDeps, Track } from './context.js';
import { DisruptionDetector } from './disruption.js';
import { E2eeRelay } from './e2ee-relay.js';
import { authorize, dispatch } from './dispatch.js';
import { FileBox, type StoredFile } from './file-box.js';
import { Lobby, entryOf, type Waiter } from './lobby.js';
import * as lobbyActions from './lobby-actions.js';
import * as media from './media-actions.js';
import * as moderation from './moderation-actions.js';
import { NetworkQualityRelay } from './network-quality.js';
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
export type RoomMessage = Exclude<ClientMessage, { type: 'hello' | 'join' | 'resume' | 'leave' | 'firstFrame' }>;

export interface RoomInit {
  meeting: MeetingInfo;
  hostUserId: string | null;
  settings: MeetingSettingsPatch;
  /** The live lock, as last saved (it survives restarts). */
  locked: boolean;
  sensitivity: Sensitivity;
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
  readonly e2ee: E2eeRelay;
  readonly quality = new NetworkQualityRelay({ broadcast: (event) => this.broadcast(event) });
  meetingSettings: MeetingSettingsPatch;
  sensitivity: Sensitivity;
  closed = false;
  #locked: boolean;
  activeSpeaker: string | null = null;
  /** When the room opened: participants see how long the meeting has been running. */
  readonly startedAt = Date.now();
  readonly #queue = new ActionQueue();
  #closing: Promise<void> | undefined;
  #rtpCapabilities: MediaJson | undefined;
  readonly #rotation: NodeJS.Timeout;
  readonly #e2eeTick: NodeJS.Timeout;

  constructor(init: RoomInit, deps: RoomDeps) {
    super();
    this.meeting = init.meeting;
    this.meetingSettings = init.settings;
    this.sensitivity = init.sensitivity;
    this.#locked = init.locked;
    this.deps = deps;
    this.log = deps.log.child({ meetingId: init.meeting.id });
    // Credentials are short-lived: connected participants get a fresh one well before theirs expires.
    this.#rotation = setInterval(() => void this.#queue.push(() => this.#rotateCredentials()).catch(() => undefined), deps.resumeTtlMs / 2);
    this.#rotation.unref();
    this.e2ee = new E2eeRelay({
      send: (participantId, message) => this.participants.get(participantId)?.send({ type: 'e2ee', message }),
      suspicious: (participantId, code, input) => {
        const actor = this.participants.get(participantId);
        void this.audit('e2ee.refused', actor?.entrant ?? null, participantId, { code, input });
      },
    });
    // A silent group creator or committer is replaced (the delivery service counts from these ticks).
    this.#e2eeTick = setInterval(() => {
      if (this.e2ee.active) void this.#queue.push(() => this.e2ee.tick(Date.now())).catch((err: unknown) => this.log.warn({ err }, 'e2ee tick failed'));
    }, 2000);
    this.#e2eeTick.unref();
  }

  /** Live: nobody new may join or reach the lobby. Saved at once: a lock survives a restart. */
  get locked(): boolean {
    return this.#locked;
  }

  set locked(locked: boolean) {
    if (locked === this.#locked) return;
    this.#locked = locked;
    this.deps.store.saveLocked(this.meeting.id, locked).catch((err: unknown) => this.log.error({ err }, 'saving the lock failed'));
  }

  get participantCount(): number {
    return this.participants.size;
  }

  settings(): MeetingSettings {
    return resolveSettings({ policy: this.deps.policy.current(), meeting: this.meetingSettings, live: { locked: this.locked }, sensitivity: this.sensitivity });
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
      reply({ status: 'waiting', reason: decision.outcome === 'lobby' ? 'lobby' : 'host-absent', ...(this.sensitivity === 'standard' ? {} : { sensitivity: this.sensitivity }) });
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

  /**
   * A participant leaves (left, socket gone, media failed). Idempotent. `handOverTo`: a host leaving
   * names who takes over if no other host remains; someone who may not take over is refused (the
   * leave does not happen, so the client may choose again or leave without a choice).
   */
  leave(participantId: string, reason: RemovalReason, handOverTo?: string): Promise<void> {
    return this.#queue.push(async () => {
      if (handOverTo !== undefined) await this.#checkHandOver(participantId, handOverTo);
      await this.remove(participantId, reason, handOverTo === undefined ? {} : { handOverTo });
    });
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

  /**
   * The SFU reports a transport's state. Recovery is the client's (ICE restart, or setting media up
   * again); the room only notes it. Someone whose socket is gone is handled by the resume window.
   */
  connectionStateChanged(participantId: string, direction: TransportDirection, state: ConnectionState): void {
    if (state === 'failed' || state === 'disconnected') this.log.info({ participantId, direction, state }, 'media connection down');
  }

  /** The SFU re-scored a participant's connection (relayed throttled, see NetworkQualityRelay). */
  networkScoreChanged(participantId: string, score: PeerNetworkScore): void {
    if (this.participants.has(participantId)) this.quality.update(participantId, score);
  }

  /** The SFU's dominant speaker changed. */
  speakerChanged(participantId: string): void {
    void this.#queue.push(async () => {
      if (!this.participants.has(participantId) || this.activeSpeaker === participantId) return;
      this.activeSpeaker = participantId;
      this.broadcast({ type: 'activeSpeaker', participantId });
    });
  }

  /**
   * A participant's socket went away without leaving: keep their place (and media) for the resume
   * window, show them as reconnecting, and remove them only if they do not come back.
   */
  detach(participantId: string, sink: ParticipantSink): Promise<void> {
    return this.#queue.push(async () => {
      const participant = this.participants.get(participantId);
      if (!participant || participant.sink !== sink || participant.reconnecting) return;
      participant.reconnecting = true;
      participant.resumeTimer = setTimeout(() => {
        this.#queue
          .push(async () => {
            if (participant.reconnecting) await this.remove(participantId, 'disconnected');
          })
          .catch((err: unknown) => this.log.error({ err }, 'removal failed'));
      }, this.deps.resumeWindowMs);
      this.log.info({ participantId }, 'participant reconnecting');
      this.broadcast({ type: 'participantUpdated', participant: participant.info() }, participantId);
    });
  }

  /**
   * Someone presents a verified resume credential: the same participant comes back on `sink`
   * (their old socket, if still open, is told it was replaced). After a restart the room is new and
   * they are taken back with their role, without passcode, lobby or lock (they were in already);
   * a removal since still keeps them out.
   */
  resume(record: ResumedParticipant, entrant: Entrant, reply: Reply<RequestResult<'resume'>>): Promise<void> {
    return this.#queue.push(async () => {
      if (this.closed) throw new RoomClosedError();
      if (!entrant.isOwner && (await this.deps.moderation.isBanned(this.meeting.id, entrant))) {
        await this.audit('resume.refused', entrant, record.participantId, { code: 'removed' });
        throw new ParleyError('removed');
      }
      const existing = this.participants.get(record.participantId);
      if (!existing) {
        // Reopened after a restart: who may attend is checked again (a class raised since keeps them out).
        const refusal = accessRefusal(entrant, this.settings());
        if (refusal) {
          await this.audit('resume.refused', entrant, record.participantId, { code: refusal.code });
          throw refusal;
        }
        const restored = await this.admit(entrant, record.role, (state) => reply({ status: 'admitted', state }), { id: record.participantId, handRaised: record.handRaised });
        await this.audit('participant.resumed', entrant, restored.id, { after: 'restart' });
        return;
      }
      const previous = existing.sink;
      existing.rebind(entrant.sink);
      if (previous !== entrant.sink) previous.close('replaced', 'This meeting was opened again elsewhere (reconnected).');
      entrant.sink.admitted(existing.id, this);
      // A fresh start for media: the client sets it up again on its new page or connection.
      if (existing.mediaReady) await media.closeMedia(this, existing);
      reply({ status: 'admitted', state: await this.stateFor(existing) });
      for (const event of this.quality.briefing()) existing.send(event);
      this.broadcast({ type: 'participantUpdated', participant: existing.info() }, existing.id);
      this.log.info({ participantId: existing.id }, 'participant resumed');
      await this.audit('participant.resumed', entrant, existing.id, {});
    });
  }

  /**
   * The organization's policy changed: the effective settings may have; everyone gets them, the lobby
   * is looked at again, and guest co-hosts are demoted if guests may no longer moderate.
   */
  policyChanged(): void {
    void this.#queue
      .push(async () => {
        if (this.closed) return;
        // Guests may no longer moderate: guest co-hosts go back to being guests.
        if (!this.deps.policy.current().guestsMayModerate) {
          for (const p of this.participants.values()) {
            if (p.identity !== 'guest' || p.role !== 'cohost') continue;
            p.role = 'guest';
            await this.audit('role.changed', null, p.id, { from: 'cohost', to: 'guest', reason: 'policy: guests do not moderate' });
            this.participantUpdated(p);
          }
        }
        this.broadcast({ type: 'settingsUpdated', settings: this.settings() });
        await lobbyActions.reconsiderWaiting(this);
      })
      .catch((err: unknown) => this.log.error({ err }, 'applying the policy failed'));
  }

  /**
   * An account was disabled: every participant and waiting socket of it is told (`bye`
   * `account-disabled`) and moved out at once, with their resume credentials revoked. Returns how many.
   */
  disconnectUser(userId: string, message: string): Promise<number> {
    return this.#queue.push(async () => {
      let count = 0;
      for (const waiter of this.lobby.all()) {
        if (waiter.entrant.userId !== userId) continue;
        this.lobby.take(waiter.id);
        if (waiter.status === 'waiting') this.lobbyChanged({ removed: [waiter.id] });
        waiter.entrant.sink.close('account-disabled', message);
        await this.audit('lobby.moved-out', null, waiter.id, { name: waiter.entrant.displayName, reason: 'account-disabled' });
        count += 1;
      }
      for (const participant of [...this.participants.values()]) {
        if (participant.entrant.userId !== userId) continue;
        participant.close({ reason: 'account-disabled', message });
        await this.audit('participant.moved-out', null, participant.id, { name: participant.displayName, reason: 'account-disabled' });
        await this.remove(participant.id, 'removed');
        count += 1;
      }
      this.emptyCheck();
      return count;
    });
  }

  /** Says goodbye to everyone (participants and lobby), frees their SFU peers and files. Idempotent. */
  close(message = 'The meeting has ended.', reason: 'shutdown' | 'ended' = 'shutdown'): Promise<void> {
    this.closed = true;
    clearInterval(this.#rotation);
    clearInterval(this.#e2eeTick);
    this.quality.close();
    this.#closing ??= (async () => {
      await this.#queue.push(() => this.closeAll(message, reason));
      await this.#queue.close();
      this.files.clear();
      this.removeAllListeners();
    })();
    return this.#closing;
  }

  // --- RoomContext: shared by the action handlers ---------------------------------------------------

  async admit(entrant: Entrant, role: Participant['role'], deliver: (state: RoomState) => void, restore?: { id: string; handRaised: boolean }): Promise<Participant> {
    if (this.participants.size >= this.deps.maxParticipants) throw new ParleyError('meeting_full');
    const participant = new Participant(restore?.id ?? newOpaqueId(), entrant, role, newOpaqueId(24));
    participant.handRaised = restore?.handRaised ?? false;
    this.participants.set(participant.id, participant);
    entrant.sink.admitted(participant.id, this);
    this.emit('participantAdded', participant.id);
    deliver(await this.stateFor(participant));
    for (const event of this.quality.briefing()) participant.send(event);
    this.broadcast({ type: 'participantJoined', participant: participant.info() }, participant.id);
    this.log.info({ participantId: participant.id, role, participants: this.participants.size }, 'participant admitted');
    await this.audit('participant.joined', entrant, participant.id, { role });
    if (role === 'host') await lobbyActions.reconsiderWaiting(this);
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

  /** Tells everyone a participant changed (role, name, hand) and remembers it for their resume. */
  participantUpdated(participant: Participant): void {
    this.broadcast({ type: 'participantUpdated', participant: participant.info() });
    this.deps.resume.update(this.#resumeRecord(participant)).catch((err: unknown) => this.log.error({ err }, 'resume update failed'));
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
    this.#rtpCapabilities ??= (await this.deps.sfu.openRoom(this.meeting.id)).rtpCapabilities;
    const token = await this.deps.resume.issue(this.#resumeRecord(participant), this.deps.resumeTtlMs);
    return {
      meeting: { ...this.meeting, startedAt: this.startedAt },
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
      media: {
        rtpCapabilities: this.#rtpCapabilities,
        iceServers: this.deps.iceServers(participant.id),
        iceTransportPolicy: this.deps.iceTransportPolicy ?? 'all',
      },
      activeSpeaker: this.activeSpeaker,
      resume: { token, windowSeconds: Math.round(this.deps.resumeWindowMs / 1000) },
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
    this.deps.metrics?.alertRaised(init.kind, init.attempted);
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
      // A restart is not the meeting's end: the waiting are told to come back (their client offers Rejoin).
      if (reason === 'shutdown') waiter.entrant.sink.close('shutdown', message);
      else {
        waiter.entrant.sink.send({ type: 'lobbyStatus', status: 'ended', message });
        waiter.entrant.sink.drop();
      }
    }
    for (const participant of [...this.participants.values()]) {
      participant.close({ reason, message });
      // A restart keeps everyone's resume credential: they come back once the server answers.
      await this.remove(participant.id, 'disconnected', { keepCredential: reason === 'shutdown' });
    }
    await this.deps.sfu.closeRoom(this.meeting.id).catch((err: unknown) => this.log.error({ err }, 'closeRoom failed'));
    if (reason === 'ended') {
      await this.deps.resume.revokeMeeting(this.meeting.id);
      this.emit('empty');
    }
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

  /** Removes a participant, inside the queue: frees their media, revokes their resume credential, tells the others. Idempotent. */
  async remove(participantId: string, reason: RemovalReason, options: { keepCredential?: boolean; handOverTo?: string } = {}): Promise<void> {
    const participant = this.participants.get(participantId);
    if (!participant) return;
    this.participants.delete(participantId);
    participant.close();
    if (!options.keepCredential) await this.deps.resume.revoke(participantId).catch((err: unknown) => this.log.error({ err }, 'revoke failed'));
    await media.closeMedia(this, participant);
    // Out of the encryption group at once: the next epoch's keys never reach them.
    await this.e2ee.gone(participantId).catch((err: unknown) => this.log.error({ err }, 'e2ee removal failed'));
    if (this.activeSpeaker === participantId) this.activeSpeaker = null;
    this.quality.forget(participantId);
    this.broadcast({ type: 'participantLeft', participantId, reason });
    this.emit('participantRemoved', participantId);
    this.disruption.forget(participantId);
    this.log.info({ participantId, reason, participants: this.participants.size }, 'participant removed');
    await this.audit('participant.left', participant.entrant, participantId, { reason });
    if (participant.role === 'host' && !this.hostPresent() && !this.closed) await this.#handOverHost(participant, options.handOverTo);
    this.emptyCheck();
  }

  /** A leaving host's choice of successor: they must be the host, and the person present and eligible. */
  async #checkHandOver(participantId: string, handOverTo: string): Promise<void> {
    const actor = this.participants.get(participantId);
    if (!actor) return;
    const refuse = async (code: 'forbidden' | 'not_found', message: string): Promise<never> => {
      await this.audit('host.hand-over-refused', actor.entrant, handOverTo, { code });
      throw new ParleyError(code, message);
    };
    if (actor.role !== 'host') await refuse('forbidden', 'only a host hands the meeting over');
    const chosen = this.participants.get(handOverTo);
    if (!chosen || chosen === actor) await refuse('not_found', 'no such participant in this meeting');
    else if (!mayBecomeHost(chosen, this.deps.policy.current().guestsMayModerate)) {
      await refuse('forbidden', chosen.role === 'attendee' ? 'a view-only attendee cannot host' : 'the organization’s policy: hosts are signed-in members, not guests');
    }
  }

  /**
   * The last host left: the host role passes on (see `successor`), or nobody can take it and the
   * meeting goes on without a moderator. Everyone is told either way.
   */
  async #handOverHost(departed: Participant, chosen: string | undefined): Promise<void> {
    if (this.participants.size === 0) return;
    const pick = successor([...this.participants.values()], { guestsMayModerate: this.deps.policy.current().guestsMayModerate, chosen });
    if (!pick) {
      await this.audit('host.handed-over', null, null, { from: departed.id, fromName: departed.displayName, to: null, reason: 'none' });
      this.broadcast({ type: 'hostChanged', participantId: null, displayName: null, reason: 'none' });
      return;
    }
    const { next, reason } = pick;
    const before = next.role;
    next.role = 'host';
    // The departing host's own choice is theirs; otherwise the server's.
    await this.audit('host.handed-over', reason === 'chosen' ? departed.entrant : null, next.id, { from: departed.id, fromName: departed.displayName, to: next.id, toName: next.displayName, previousRole: before, reason });
    this.participantUpdated(next);
    this.broadcast({ type: 'hostChanged', participantId: next.id, displayName: next.displayName, reason });
    if (!isModerator(before)) await moderation.briefNewModerator(this, next);
    // A host is present again: whoever waited for one moves on to the queue (or in).
    await lobbyActions.reconsiderWaiting(this);
  }

  #resumeRecord(participant: Participant): ResumedParticipant {
    const e = participant.entrant;
    return {
      meetingId: this.meeting.id,
      participantId: participant.id,
      role: participant.role,
      identity: e.identity,
      userId: e.userId,
      email: e.email,
      displayName: participant.displayName,
      deviceId: e.deviceId,
      handRaised: participant.handRaised,
    };
  }

  async #rotateCredentials(): Promise<void> {
    for (const participant of this.participants.values()) {
      if (participant.reconnecting) continue;
      const token = await this.deps.resume.issue(this.#resumeRecord(participant), this.deps.resumeTtlMs);
      participant.send({ type: 'resumeToken', resume: { token, windowSeconds: Math.round(this.deps.resumeWindowMs / 1000) } });
      // TURN credentials too: a transport may gather its first candidates hours after the join.
      const iceServers = this.deps.iceServers(participant.id);
      if (iceServers.length > 0) participant.send({ type: 'iceServers', iceServers });
    }
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
