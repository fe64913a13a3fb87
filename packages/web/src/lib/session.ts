/**
 * MeetingSession owns one stay in a meeting: the signaling socket (replaced on every resume), the
 * media plane, the local media handed over by the pre-join screen, the resume credential, and the
 * store the meeting screen renders. A join may first wait (lobby, host absent); the session learns
 * nothing about the meeting until `admitted`. Server events run strictly in order through one
 * queue. When the socket drops unexpectedly the session resumes as the same participant (see
 * reconnect.ts) and sets media up again; close() releases everything and is idempotent.
 */
import type { MeetingSettings, RequestResult, RoomState, ServerEvent } from '@parley/protocol';
import type { TransformCounters } from '@parley/e2ee/sframe';
import type { ApiClient } from './api.js';
import { knockChime } from './beep.js';
import { DeviceFollower, type DeviceKind } from './devices/deviceFollower.js';
import { ResumeKeeper } from './credential.js';
import { isE2eeMeeting } from './e2ee/meeting.js';
import { E2eeSession, identityOf, JOINING_VIEW } from './e2ee/session.js';
import { E2EE_UNSUPPORTED_TEXT, e2eeSupport } from './e2ee/support.js';
import { createMediaE2ee, type MediaE2ee } from './e2ee/transforms.js';
import { startFrameWorker } from './e2ee/worker.js';
import type { Need } from './layout.js';
import { LocalMedia } from './localMedia.js';
import { MediaPlane } from './media/plane.js';
import { hasNewcomer, initialMeetingState, meetingReducer, selfOf, type Ending, type MeetingAction, type MeetingState } from './meetingState.js';
import { SerialQueue } from './queue.js';
import { MeetingRequests } from './requests.js';
import { resumeLoop, sleepOrOnline } from './reconnect.js';
import { canPublish, isModerator } from './roles.js';
import type { JoinOptions, Outcome } from './sessionTypes.js';
import { SignalingError, type SignalingClient } from './signaling.js';
import { isResumableBye, openSocket } from './socket.js';
import { Store } from './store.js';
import { Timers } from './timers.js';
import { uiActions, type UiActions } from './uiActions.js';

export type { JoinOptions, Outcome, SessionRequest } from './sessionTypes.js';

const REACTION_MS = 3000;
const CONNECTION_LOST: Ending = { code: 'connection_lost', message: 'The connection to the server was lost.' };

export class MeetingSession {
  readonly store: Store<MeetingState, MeetingAction>;
  /** The screen's own view state (notices, panels, stage). */
  readonly ui: UiActions;
  /** The screen's requests (moderation, hands, reactions, chat, files) on the current socket. */
  readonly requests: MeetingRequests;
  readonly #opts: JoinOptions;
  readonly #local: LocalMedia;
  readonly #plane = new MediaPlane();
  readonly #events = new SerialQueue();
  #signaling: SignalingClient | null = null;
  /** The server's last word on the current socket (`bye`, a denial): how a close that follows ends. */
  #bye: Ending | null = null;
  /** Proves file requests come from this participant; a secret, never in the store or on screen. */
  #participantToken: string | null = null;
  readonly #resume: ResumeKeeper;
  #roomMedia: RoomState['media'] | null = null;
  #reconnecting = false;
  readonly #timers = new Timers();
  readonly #api: ApiClient;
  /** End-to-end encrypted meetings only: the MLS side, the media worker, and the hooks that put it on every sender and receiver. */
  #e2ee: E2eeSession | null = null;
  #frameWorker: Worker | null = null;
  #mediaE2ee: MediaE2ee | undefined;
  readonly #devices: DeviceFollower;
  #closed = false;

  constructor(opts: JoinOptions, api: ApiClient) {
    this.#opts = opts;
    this.#api = api;
    this.#local = new LocalMedia(opts, {
      read: () => this.store.getState().local,
      update: (patch) => this.store.dispatch({ type: 'local', patch }),
      refused: (text, code) => this.store.dispatch({ type: 'notice', kind: 'error', text, code }),
      mutedOnServer: (trackId) => this.store.getState().tracks[trackId]?.muted === true,
      unmuted: () => this.store.dispatch({ type: 'unmuteUsed' }),
    });
    this.store = new Store(meetingReducer, initialMeetingState(this.#local.initialState(opts.speakerId)));
    this.ui = uiActions(this.store);
    this.#plane.on('track', (trackId, track) => this.store.dispatch({ type: 'remoteTrack', trackId, track }));
    const { meetingId, displayName } = opts;
    const devices = (): { micOn: boolean; camOn: boolean; cameraId: string; micId: string; speakerId: string } => this.store.getState().local;
    this.requests = new MeetingRequests({
      store: this.store,
      api,
      meetingId,
      signaling: () => this.#signaling,
      participantToken: () => this.#participantToken,
      closed: () => this.#closed,
    });
    this.#devices = new DeviceFollower({
      inUse: () => ({ ...this.#local.inUse(), speaker: this.store.getState().local.speakerId }),
      fallBack: (kind) => this.setDevice(kind, ''),
      notice: (text) => this.store.dispatch({ type: 'notice', kind: 'info', text }),
    });
    this.#resume = new ResumeKeeper({ meetingId, displayName, devices }, opts.resume);
    // A reload comes back with the devices as they are now.
    let saved = devices();
    this.store.subscribe(() => {
      const now = devices();
      if (now.micOn === saved.micOn && now.camOn === saved.camOn && now.cameraId === saved.cameraId && now.micId === saved.micId && now.speakerId === saved.speakerId) return;
      saved = now;
      this.#resume.save();
    });
  }

  /** Connects, then joins (or, after a reload, resumes) and sets media up. Failures end the session. */
  async start(): Promise<void> {
    if (this.#opts.resume) return this.#reconnect(true);
    try {
      const signaling = await this.#connect();
      const joined = signaling.request('join', {
        meetingId: this.#opts.meetingId,
        ...(this.#opts.passcode ? { passcode: this.#opts.passcode } : {}),
        ...(this.#opts.displayName ? { displayName: this.#opts.displayName } : {}),
      });
      // Queued before any event of this socket: every event is handled after the join result.
      await this.#events.push(async () => this.#onJoinResult(await joined));
    } catch (err) {
      this.#fail(err);
    }
  }

  toggleMic(): void {
    if (this.#mayPublish()) this.#local.toggleMic();
  }

  toggleCamera(): Promise<void> {
    return this.#mayPublish() ? this.#local.toggleCamera() : Promise.resolve();
  }

  toggleScreen(): Promise<void> {
    return this.#mayPublish() ? this.#local.toggleScreen() : Promise.resolve();
  }

  /**
   * Uses another camera, microphone or speaker ('' = the default) without renegotiating: the track
   * is replaced on its publication and the mute state kept (see LocalMedia).
   */
  setDevice(kind: DeviceKind, deviceId: string): Promise<void> {
    if (kind === 'camera') return this.#local.setCamera(deviceId);
    if (kind === 'microphone') return this.#local.setMicrophone(deviceId);
    this.store.dispatch({ type: 'local', patch: { speakerId: deviceId } });
    return Promise.resolve();
  }

  answerUnmute(unmute: boolean): void {
    this.store.dispatch({ type: 'unmuteAnswered' });
    if (unmute && !this.store.getState().local.micOn) this.toggleMic();
  }

  /** What the view needs of each remote video (hidden, layer); sent to the server debounced. */
  setNeeds(needs: Map<string, Need>): void {
    this.#plane.setNeeds(needs);
  }

  /**
   * Tells the server, then closes. The session ends with code `left` (or `ending`). A host may name
   * who takes over (`handOverTo`); if the server refuses that choice, they leave and it chooses.
   */
  async leave(ending: Ending = { code: 'left', message: 'You left the meeting.' }, handOverTo?: string): Promise<void> {
    const signaling = this.#signaling;
    if (signaling && !signaling.closed) {
      const plain = (): Promise<unknown> => signaling.request('leave', {}).catch(() => undefined);
      const request = handOverTo === undefined ? plain() : signaling.request('leave', { handOverTo }).catch(plain);
      await Promise.race([request, delay(handOverTo === undefined ? 1000 : 2000)]);
    }
    this.#end(ending);
  }

  /** A chat message: end-to-end encrypted in such a meeting (to everyone only), else through the server. */
  sendChat(text: string, to: string | null): Promise<Outcome<'sent' | 'held'>> {
    if (!this.#e2ee) return this.requests.sendChat(text, to);
    if (to) return Promise.resolve({ ok: false, code: 'forbidden', message: 'Private messages are not available in end-to-end encrypted meetings.' });
    return this.#e2ee.sendChat(text);
  }

  /** End-to-end encrypted meetings: the media worker's frame counters (null elsewhere, or if it does not answer). */
  e2eeStats(): Promise<TransformCounters | null> {
    return this.#e2ee?.stats() ?? Promise.resolve(null);
  }

  /** The person compared the security code with `participantId` (kept for this session). */
  setVerified(participantId: string, verified: boolean): void {
    this.store.dispatch({ type: 'e2eeVerified', participantId, verified });
  }

  /**
   * Releases everything and forgets the resume credential: a closed session is not resumed (except
   * after `update_required`: the reload that follows comes straight back with it).
   */
  close(keepResume = false): void {
    if (this.#closed) return;
    this.#closed = true;
    if (!keepResume) this.#resume.forget();
    this.#timers.clear();
    this.#devices.close();
    this.#events.close();
    this.#local.close();
    this.#plane.close();
    this.#e2ee?.close();
    this.#frameWorker?.terminate();
    this.#signaling?.close();
  }

  async #connect(): Promise<SignalingClient> {
    this.#bye = null;
    const signaling = await openSocket({
      lastWord: (ending) => {
        this.#bye = ending;
      },
      event: (ev) => void this.#events.push(() => this.#handleEvent(ev)).catch((err: unknown) => this.#fail(err)),
      close: (socket, info) => this.#onSocketClose(socket, info.local),
    });
    if (this.#closed) {
      signaling.close();
      throw new SignalingError('closed', 'The session is closed.');
    }
    this.#signaling = signaling;
    return signaling;
  }

  #onSocketClose(socket: SignalingClient, local: boolean): void {
    if (local || this.#closed || socket !== this.#signaling || this.#reconnecting) return;
    const resumable = this.store.getState().phase === 'joined' && this.#resume.current !== null && isResumableBye(this.#bye);
    if (!resumable) return this.#end(this.#bye ?? CONNECTION_LOST);
    void this.#reconnect(false);
  }

  /** Resumes with backoff until it works, the credential is refused, or its window has passed. */
  async #reconnect(reload: boolean): Promise<void> {
    const credential = this.#resume.current;
    if (!credential) return this.#end(CONNECTION_LOST);
    this.#reconnecting = true;
    if (!reload) this.store.dispatch({ type: 'reconnecting' });
    const ending = await resumeLoop({
      windowSeconds: credential.windowSeconds,
      immediate: reload,
      resume: () => this.#resumeOnce(),
      failed: () => this.#signaling?.close(),
      wait: (ms) => sleepOrOnline((t) => this.#timers.sleep(t), ms),
      stopped: () => this.#closed,
    });
    this.#reconnecting = false;
    if (ending) return this.#end(ending);
    // Dropped again while media was being set up (its close was not acted on): go again.
    if (!this.#closed && this.#signaling?.closed) void this.#reconnect(false);
  }

  async #resumeOnce(): Promise<void> {
    const credential = this.#resume.current;
    if (!credential) throw new SignalingError('resume_expired', 'No resume credential.');
    const signaling = await this.#connect();
    const resumed = signaling.request('resume', { meetingId: this.#opts.meetingId, participantId: credential.participantId, token: credential.token });
    await this.#events.push(async () => this.#onResumed(await resumed));
  }

  #onJoinResult(result: RequestResult<'join'>): Promise<void> | void {
    if (result.status === 'admitted') return this.#onAdmitted(result.state);
    this.store.dispatch({ type: 'waiting', status: result.reason === 'lobby' ? 'waiting' : 'waiting-for-host', ...(result.sensitivity ? { sensitivity: result.sensitivity } : {}) });
  }

  async #onAdmitted(room: RoomState): Promise<void> {
    if (this.#closed || this.store.getState().phase === 'joined') return;
    if (!(await this.#prepareE2ee(room.settings))) return;
    this.#adopt(room);
    this.store.dispatch({ type: 'joined', state: room });
    await this.#setupMedia();
  }

  async #onResumed(result: RequestResult<'resume'>): Promise<void> {
    if (this.#closed) return;
    if (!(await this.#prepareE2ee(result.state.settings))) return;
    this.#adopt(result.state);
    this.store.dispatch({ type: 'resumed', state: result.state });
    await this.#setupMedia();
  }

  /**
   * An end-to-end encrypted meeting needs this browser to encrypt: if it cannot, the person leaves
   * before any media is set up (never clear media). Otherwise the media worker starts, once per session.
   */
  async #prepareE2ee(settings: MeetingSettings): Promise<boolean> {
    if (!isE2eeMeeting(settings) || this.#e2ee) return true;
    const support = await e2eeSupport();
    if (this.#closed) return false;
    if (!support.ok) {
      console.warn(`Parley E2EE: unsupported: ${support.reason}`);
      await this.leave({ code: 'e2ee_unsupported', message: E2EE_UNSUPPORTED_TEXT });
      return false;
    }
    const worker = startFrameWorker();
    worker.addEventListener('error', (event) => {
      // Without its worker no frame is encrypted, so none is sent; the person is told why.
      console.warn('Parley E2EE: the media worker failed', event.message);
      this.store.dispatch({ type: 'e2ee', view: { ...JOINING_VIEW, status: 'failed', error: 'the media encryption worker could not start' } });
    });
    this.#frameWorker = worker;
    this.#mediaE2ee = createMediaE2ee(worker, support.mode);
    this.#e2ee = new E2eeSession({
      worker,
      host: {
        identity: () => this.#e2eeIdentity(),
        selfId: () => this.store.getState().selfId,
        linkRules: () => this.store.getState().settings,
        isModerator: (id) => isModerator(this.store.getState().participants.find((p) => p.id === id)?.role),
        update: (view) => this.store.dispatch({ type: 'e2ee', view }),
        chat: (message, flagged) => this.store.dispatch({ type: 'e2eeChat', message, flagged }),
        notice: (text) => this.store.dispatch({ type: 'notice', kind: 'error', text }),
      },
    });
    this.store.dispatch({ type: 'e2ee', view: JOINING_VIEW });
    return true;
  }

  /**
   * Who this participant is for the MLS credential, as the server verified them: the participant
   * ID and display name it gave us, and the signed-in account's ID (null for a guest). The room
   * state does not carry the account ID, so it comes from the session endpoint.
   */
  async #e2eeIdentity(): Promise<ReturnType<typeof identityOf>> {
    const self = selfOf(this.store.getState());
    if (!self) throw new Error('not admitted');
    const accountId = self.identity === 'guest' ? null : ((await this.#api.session()).user?.id ?? null);
    return identityOf(self, accountId);
  }

  /** Keeps what the room state carries for the session itself (secrets stay out of the store). */
  #adopt(room: RoomState): void {
    this.#participantToken = room.participantToken;
    this.#roomMedia = room.media;
    this.#resume.adopt(room);
  }

  /** (Re)creates the transports; then publishes what is on, or, for view-only attendees, releases the devices. */
  async #setupMedia(): Promise<void> {
    const signaling = this.#signaling;
    const media = this.#roomMedia;
    if (!signaling || !media || this.#closed) return;
    this.store.dispatch({ type: 'mediaReset' });
    let publications;
    try {
      publications = await this.#plane.setup(signaling, media, this.#mediaE2ee);
    } catch (err) {
      if (this.#closed || signaling.closed) return; // the socket's close resumes and sets media up again
      return this.#end({ code: 'media_failed', message: `Audio and video could not start: ${err instanceof Error ? err.message : String(err)}` });
    }
    if (signaling !== this.#signaling) return;
    // A fresh MLS member after every setupMedia (docs/protocol.md §8); until its keys, frames are dropped.
    void this.#e2ee?.start(signaling);
    if (!canPublish(selfOf(this.store.getState())?.role)) this.#local.release();
    else if (publications) this.#local.attach(publications, signaling);
  }

  async #handleEvent(event: ServerEvent): Promise<void> {
    if (this.#closed) return;
    switch (event.type) {
      case 'subscription':
        return this.#plane.subscribe(event);
      case 'admitted':
        return this.#onAdmitted(event.state);
      case 'resumeToken':
        return this.#resume.renew(event.resume);
      case 'iceServers':
        // Fresh TURN credentials: for the transports now, and for those a later setupMedia creates.
        if (this.#roomMedia) this.#roomMedia = { ...this.#roomMedia, iceServers: event.iceServers };
        return this.#plane.updateIceServers(event.iceServers);
      case 'e2ee':
        // Its own queue keeps the deliveries in order; MLS work does not hold up other events.
        void this.#e2ee?.deliver(event.message);
        return;
      case 'lobbyStatus':
        if (event.status === 'denied' || event.status === 'ended') return this.#end(this.#bye ?? CONNECTION_LOST);
        break;
      case 'trackUnpublished':
        this.#plane.forget(event.trackId);
        break;
      case 'lobbyUpdated':
        if (hasNewcomer(this.store.getState(), event.entries)) knockChime();
        break;
      case 'lobbyChanged':
        if (hasNewcomer(this.store.getState(), event.added)) knockChime();
        break;
      case 'participantUpdated':
        return this.#onParticipantUpdated(event);
      case 'settingsUpdated':
        this.store.dispatch({ type: 'event', event });
        return this.#onSettingsUpdated(event.settings);
      case 'trackUpdated':
        this.store.dispatch({ type: 'event', event });
        // A moderator (or the meeting) stopped one of ours: the device goes off here too.
        if (event.track.participantId === this.store.getState().selfId && event.track.muted && event.track.mutedByModerator) {
          await this.#local.serverStopped(event.track.source);
        }
        return;
      case 'reaction':
        this.store.dispatch({ type: 'event', event });
        return this.#expireReaction();
    }
    this.store.dispatch({ type: 'event', event });
  }

  async #onParticipantUpdated(event: Extract<ServerEvent, { type: 'participantUpdated' }>): Promise<void> {
    const before = selfOf(this.store.getState());
    this.store.dispatch({ type: 'event', event });
    if (event.participant.id !== before?.id || canPublish(before.role) || !canPublish(event.participant.role)) return;
    // Promoted from view-only: media is set up again, now with a send transport.
    await this.#setupMedia();
  }

  /**
   * The meeting became end-to-end encrypted while we are in it (a host raised it to sensitive): media
   * is set up again through the encryption worker, and this browser joins the MLS group. A browser
   * that cannot encrypt leaves (#prepareE2ee). The media sent so far was not end-to-end encrypted.
   */
  async #onSettingsUpdated(settings: MeetingSettings): Promise<void> {
    if (!isE2eeMeeting(settings) || this.#e2ee || this.store.getState().phase !== 'joined') return;
    if (!(await this.#prepareE2ee(settings))) return;
    await this.#setupMedia();
  }

  /** The reaction just added floats for REACTION_MS. */
  #expireReaction(): void {
    const id = this.store.getState().reactions.at(-1)?.id;
    if (id !== undefined) this.#timers.after(REACTION_MS, () => this.store.dispatch({ type: 'reactionDone', id }));
  }

  #mayPublish(): boolean {
    return canPublish(selfOf(this.store.getState())?.role);
  }

  #fail(err: unknown): void {
    if (this.#closed) return;
    if (err instanceof SignalingError && err.code === 'closed') {
      // A dropped socket of a joined participant resumes (its close handler decides); before that it ends.
      if (this.#reconnecting || (this.#resume.current && this.store.getState().phase === 'joined')) return;
      return this.#end(this.#bye ?? CONNECTION_LOST);
    }
    this.#end({ code: err instanceof SignalingError ? err.code : 'internal', message: err instanceof Error ? err.message : String(err) });
  }

  #end(ending: Ending): void {
    if (this.#closed) return;
    this.store.dispatch({ type: 'ended', ending });
    this.close(ending.code === 'update_required');
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
