/**
 * MeetingSession owns one attempt to be in a meeting: the signaling client, the publisher and
 * subscriber connections, the local media handed over by the pre-join screen, and the store that
 * the meeting screen renders. A join may first wait (in the lobby, or for the host); the session
 * learns nothing about the meeting until `admitted`. Server events are processed strictly in order
 * through one queue; close() releases everything and is idempotent.
 */
import { PROTOCOL_VERSION, type ClientMessageType, type RequestResult, type RoomState, type ServerEvent, type SharedFile } from '@parley/protocol';
import { ApiRequestError, type ApiClient } from './api.js';
import { knockChime } from './beep.js';
import { saveBlob } from './download.js';
import { LocalMedia } from './localMedia.js';
import {
  hasNewcomer,
  initialMeetingState,
  meetingReducer,
  selfOf,
  type Ending,
  type MeetingAction,
  type MeetingState,
} from './meetingState.js';
import { Publisher } from './publisher.js';
import { SerialQueue } from './queue.js';
import { canPublish } from './roles.js';
import { SignalingClient, SignalingError, type Reply, type RequestFields } from './signaling.js';
import { Store } from './store.js';
import { Subscriber } from './subscriber.js';

export const CLIENT_BUILD = __PARLEY_CLIENT_BUILD__;

export interface JoinOptions {
  meetingId: string;
  passcode: string | null;
  /** A guest's typed name; null when signed in (the server uses the account's name). */
  displayName: string | null;
  /** Tracks opened on the pre-join screen; the session takes ownership and stops them on close. */
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  micOn: boolean;
  camOn: boolean;
  cameraId: string;
  micId: string;
  speakerId: string;
}

/** The ending code for each `bye` reason (a reason this build does not know ends as itself). */
const BYE_CODES: Partial<Record<Extract<ServerEvent, { type: 'bye' }>['reason'], string>> = {
  left: 'left',
  shutdown: 'shutting_down',
  replaced: 'replaced',
  'media-failed': 'connection_lost',
  protocol: 'protocol',
  ended: 'meeting_ended',
  removed: 'removed',
};

/** The requests the meeting screen sends as they are (media and membership are the session's own). */
export type SessionRequest = Exclude<ClientMessageType, 'hello' | 'join' | 'publish' | 'unpublish' | 'answer' | 'setMuted' | 'leave' | 'chat'>;

/** How a request ended, for callers that show a refusal in place (the chat composer). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

/** How long a reaction floats over a tile. */
const REACTION_MS = 3000;

const CONNECTION_LOST: Ending = { code: 'connection_lost', message: 'The connection to the server was lost.' };

export class MeetingSession {
  readonly store: Store<MeetingState, MeetingAction>;
  readonly #opts: JoinOptions;
  readonly #api: ApiClient;
  readonly #media: LocalMedia;
  readonly #events = new SerialQueue();
  #signaling: SignalingClient | null = null;
  #publisher: Publisher | null = null;
  #subscriber: Subscriber | null = null;
  #bye: Ending | null = null;
  /** Proves file requests come from this participant; a secret, never in the store or on screen. */
  #participantToken: string | null = null;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;

  constructor(opts: JoinOptions, api: ApiClient) {
    this.#opts = opts;
    this.#api = api;
    this.#media = new LocalMedia(opts, {
      read: () => this.store.getState().local,
      update: (patch) => this.store.dispatch({ type: 'local', patch }),
      refused: (text, code) => this.store.dispatch({ type: 'notice', kind: 'error', text, code }),
      mutedOnServer: (trackId) => this.store.getState().tracks[trackId]?.muted === true,
      unmuted: () => this.store.dispatch({ type: 'unmuteUsed' }),
    });
    this.store = new Store(meetingReducer, initialMeetingState(this.#media.initialState(opts.speakerId)));
  }

  /** Connects, says hello, joins, then publishes the microphone and camera. Failures end the session. */
  async start(): Promise<void> {
    try {
      const signaling = await SignalingClient.connect(SignalingClient.urlFor(window.location));
      if (this.#closed) return signaling.close();
      this.#signaling = signaling;
      signaling.on('close', (info) => {
        if (!info.local) this.#end(this.#bye ?? CONNECTION_LOST);
      });
      signaling.on('bye', (ev) => {
        this.#bye = { code: BYE_CODES[ev.reason] ?? ev.reason, message: ev.message };
      });
      // The lobby's last word before the server closes the socket: kept at once, like `bye`, so the
      // close that follows ends the session with it even if the event queue is still busy.
      signaling.on('lobbyStatus', (ev) => {
        if (ev.status === 'denied') this.#bye = { code: 'denied', message: ev.message ?? '' };
        if (ev.status === 'ended') this.#bye = { code: 'meeting_ended', message: ev.message ?? 'The meeting has ended.' };
      });
      signaling.on('protocolError', (err) => console.warn(err.message));
      await signaling.request('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild: CLIENT_BUILD });
      // Listen before sending `join`, and queue the join result first: every event is then
      // handled after the subscriber connection exists, in the order the server sent it.
      signaling.on('event', (ev) => void this.#events.push(() => this.#handleEvent(ev)).catch((err: unknown) => this.#fail(err)));
      const joined = signaling.request('join', {
        meetingId: this.#opts.meetingId,
        ...(this.#opts.passcode ? { passcode: this.#opts.passcode } : {}),
        ...(this.#opts.displayName ? { displayName: this.#opts.displayName } : {}),
      });
      await this.#events.push(async () => this.#onJoinResult(await joined));
    } catch (err) {
      this.#fail(err);
    }
  }

  toggleMic(): void {
    if (this.#mayPublish()) this.#media.toggleMic();
  }

  toggleCamera(): Promise<void> {
    return this.#mayPublish() ? this.#media.toggleCamera() : Promise.resolve();
  }

  toggleScreen(): Promise<void> {
    return this.#mayPublish() ? this.#media.toggleScreen() : Promise.resolve();
  }

  /**
   * A request from the meeting screen (moderation, hands, reactions, reports). A refusal or failure
   * becomes a notice on screen, with its code, and resolves null; the result itself arrives as
   * events (lobbyUpdated, settingsUpdated, …) like everyone else's.
   */
  async act<T extends SessionRequest>(type: T, fields: RequestFields<T>): Promise<Reply<T> | null> {
    const outcome = await this.#attempt(type, fields);
    if (outcome.ok) return outcome.value;
    if (!this.#closed) this.store.dispatch({ type: 'notice', kind: 'error', text: outcome.message, code: outcome.code });
    return null;
  }

  /** Posts a chat message; a refusal (link_blocked, feature_disabled, rate_limited) is returned for the composer to show. */
  async sendChat(text: string, to: string | null): Promise<Outcome<'sent' | 'held'>> {
    const outcome = await this.#attempt('chat', to ? { text, to } : { text });
    if (!outcome.ok) return outcome;
    this.store.dispatch({ type: 'chatSent', message: outcome.value.message, status: outcome.value.status });
    return { ok: true, value: outcome.value.status };
  }

  /** Shares a file with everyone; the others learn of it through `fileShared`. */
  async shareFile(file: File): Promise<Outcome<SharedFile>> {
    const token = this.#participantToken;
    if (!token) return { ok: false, code: 'wrong_state', message: 'Not in the meeting yet.' };
    try {
      return { ok: true, value: await this.#api.uploadFile(this.#opts.meetingId, token, file, file.name) };
    } catch (err) {
      return refusal(err);
    }
  }

  /** Fetches a shared file and hands it to the browser as a download. */
  async downloadFile(file: SharedFile): Promise<void> {
    const token = this.#participantToken;
    if (!token) return;
    try {
      saveBlob(await this.#api.downloadFile(this.#opts.meetingId, token, file.id), file.name);
    } catch (err) {
      const { code, message } = refusal(err);
      this.store.dispatch({ type: 'notice', kind: 'error', text: `Could not download ${file.name}: ${message}`, code });
    }
  }

  /** The answer to a moderator's "please unmute". */
  answerUnmute(unmute: boolean): void {
    this.store.dispatch({ type: 'unmuteAnswered' });
    if (unmute && !this.store.getState().local.micOn) this.toggleMic();
  }

  setChatOpen(open: boolean): void {
    this.store.dispatch({ type: 'chatOpen', open });
  }

  dismissAlert(id: number): void {
    this.store.dispatch({ type: 'dismissAlert', id });
  }

  dismissNotice(id: number): void {
    this.store.dispatch({ type: 'dismiss', id });
  }

  /** Tells the server, then closes. The session ends with code `left`. */
  async leave(): Promise<void> {
    const signaling = this.#signaling;
    if (signaling && !signaling.closed) {
      await Promise.race([signaling.request('leave', {}).catch(() => undefined), delay(1000)]);
    }
    this.#end({ code: 'left', message: 'You left the meeting.' });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#events.close();
    this.#media.close();
    this.#publisher?.close();
    this.#subscriber?.close();
    this.#signaling?.close();
  }

  #onJoinResult(result: RequestResult<'join'>): void {
    if (result.status === 'admitted') return this.#onJoined(result.state);
    this.store.dispatch({ type: 'waiting', status: result.reason === 'lobby' ? 'waiting' : 'waiting-for-host' });
  }

  #onJoined(room: RoomState): void {
    const signaling = this.#signaling;
    if (!signaling || this.#closed || this.#publisher) return;
    const iceServers = room.iceServers as RTCIceServer[];
    const onState = (state: RTCPeerConnectionState): void => {
      if (state === 'failed') this.#end({ code: 'connection_lost', message: 'The media connection failed.' });
    };
    this.#subscriber = new Subscriber(signaling, iceServers);
    this.#subscriber.on('track', (trackId, track) => this.store.dispatch({ type: 'remoteTrack', trackId, track }));
    this.#subscriber.on('connectionState', onState);
    this.#publisher = new Publisher(signaling, iceServers);
    this.#publisher.on('connectionState', onState);
    this.#participantToken = room.participantToken;
    this.store.dispatch({ type: 'joined', state: room });
    // View-only attendees send nothing: their devices are released until a host lets them speak.
    if (canPublish(room.self.role)) this.#media.attach(this.#publisher, signaling);
    else this.#media.release();
  }

  async #handleEvent(event: ServerEvent): Promise<void> {
    if (this.#closed) return;
    switch (event.type) {
      case 'offer':
        return this.#subscriber?.handleOffer(event);
      case 'admitted':
        return this.#onJoined(event.state);
      case 'lobbyStatus':
        if (event.status === 'denied' || event.status === 'ended') return this.#end(this.#bye ?? CONNECTION_LOST);
        break;
      case 'trackUnpublished':
        this.#subscriber?.forget(event.trackId);
        break;
      case 'lobbyUpdated':
        if (hasNewcomer(this.store.getState(), event.entries)) knockChime();
        break;
      case 'lobbyChanged':
        if (hasNewcomer(this.store.getState(), event.added)) knockChime();
        break;
      case 'participantUpdated':
        return this.#onParticipantUpdated(event);
      case 'trackUpdated':
        this.store.dispatch({ type: 'event', event });
        // A moderator (or the meeting) stopped one of ours: the device goes off here too.
        if (event.track.participantId === this.store.getState().selfId && event.track.muted && event.track.mutedByModerator) {
          await this.#media.serverStopped(event.track.source);
        }
        return;
      case 'reaction':
        this.store.dispatch({ type: 'event', event });
        return this.#expireReaction(this.store.getState().reactions.at(-1)?.id);
    }
    this.store.dispatch({ type: 'event', event });
  }

  #expireReaction(id: number | undefined): void {
    if (id === undefined) return;
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.store.dispatch({ type: 'reactionDone', id });
    }, REACTION_MS);
    this.#timers.add(timer);
  }

  async #attempt<T extends ClientMessageType>(type: T, fields: RequestFields<T>): Promise<Outcome<Reply<T>>> {
    const signaling = this.#signaling;
    if (!signaling || this.#closed) return { ok: false, code: 'closed', message: 'Not connected.' };
    try {
      return { ok: true, value: await signaling.request(type, fields) };
    } catch (err) {
      return refusal(err);
    }
  }

  #onParticipantUpdated(event: Extract<ServerEvent, { type: 'participantUpdated' }>): void {
    const before = selfOf(this.store.getState());
    this.store.dispatch({ type: 'event', event });
    if (event.participant.id !== before?.id || canPublish(before.role) || !canPublish(event.participant.role)) return;
    // Promoted from view-only: from now on turning the microphone or camera on publishes it.
    if (this.#publisher && this.#signaling) this.#media.attach(this.#publisher, this.#signaling);
  }

  #mayPublish(): boolean {
    return canPublish(selfOf(this.store.getState())?.role);
  }

  #fail(err: unknown): void {
    if (this.#closed) return;
    if (err instanceof SignalingError && err.code === 'closed') return this.#end(this.#bye ?? CONNECTION_LOST);
    this.#end({ code: err instanceof SignalingError ? err.code : 'internal', message: err instanceof Error ? err.message : String(err) });
  }

  #end(ending: Ending): void {
    if (this.#closed) return;
    this.store.dispatch({ type: 'ended', ending });
    this.close();
  }
}

function refusal(err: unknown): { ok: false; code: string; message: string } {
  if (err instanceof SignalingError || err instanceof ApiRequestError) return { ok: false, code: err.code, message: err.message };
  return { ok: false, code: 'internal', message: err instanceof Error ? err.message : String(err) };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
