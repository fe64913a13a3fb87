/**
 * MeetingSession owns one attempt to be in a meeting: the signaling client, the publisher and
 * subscriber connections, the local media handed over by the pre-join screen, and the store that
 * the meeting screen renders. Server events are processed strictly in order through one queue;
 * close() releases everything and is idempotent.
 */
import { PROTOCOL_VERSION, type RequestResult, type ServerEvent } from '@parley/protocol';
import { LocalMedia } from './localMedia.js';
import { initialMeetingState, meetingReducer, type Ending, type MeetingAction, type MeetingState } from './meetingState.js';
import { Publisher } from './publisher.js';
import { SerialQueue } from './queue.js';
import { SignalingClient, SignalingError } from './signaling.js';
import { Store } from './store.js';
import { Subscriber } from './subscriber.js';

export const CLIENT_BUILD = __PARLEY_CLIENT_BUILD__;

export interface JoinOptions {
  meetingId: string;
  passcode: string | null;
  displayName: string;
  /** Tracks opened on the pre-join screen; the session takes ownership and stops them on close. */
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  micOn: boolean;
  camOn: boolean;
  cameraId: string;
  micId: string;
  speakerId: string;
}

const BYE_CODES: Record<Extract<ServerEvent, { type: 'bye' }>['reason'], string> = {
  left: 'left',
  shutdown: 'shutting_down',
  replaced: 'replaced',
  'media-failed': 'connection_lost',
  protocol: 'protocol',
};

const CONNECTION_LOST: Ending = { code: 'connection_lost', message: 'The connection to the server was lost.' };

export class MeetingSession {
  readonly store: Store<MeetingState, MeetingAction>;
  readonly #opts: JoinOptions;
  readonly #media: LocalMedia;
  readonly #events = new SerialQueue();
  #signaling: SignalingClient | null = null;
  #publisher: Publisher | null = null;
  #subscriber: Subscriber | null = null;
  #bye: Ending | null = null;
  #closed = false;

  constructor(opts: JoinOptions) {
    this.#opts = opts;
    this.#media = new LocalMedia(
      opts,
      () => this.store.getState().local,
      (patch) => this.store.dispatch({ type: 'local', patch }),
    );
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
        this.#bye = { code: BYE_CODES[ev.reason], message: ev.message };
      });
      signaling.on('protocolError', (err) => console.warn(err.message));
      await signaling.request('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild: CLIENT_BUILD });
      // Listen before sending `join`, and queue the join result first: every event is then
      // handled after the subscriber connection exists, in the order the server sent it.
      signaling.on('event', (ev) => void this.#events.push(() => this.#handleEvent(ev)).catch((err: unknown) => this.#fail(err)));
      const joined = signaling.request('join', {
        meetingId: this.#opts.meetingId,
        ...(this.#opts.passcode ? { passcode: this.#opts.passcode } : {}),
        displayName: this.#opts.displayName,
      });
      await this.#events.push(async () => this.#onJoined(await joined));
    } catch (err) {
      this.#fail(err);
    }
  }

  toggleMic(): void {
    this.#media.toggleMic();
  }

  toggleCamera(): Promise<void> {
    return this.#media.toggleCamera();
  }

  toggleScreen(): Promise<void> {
    return this.#media.toggleScreen();
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
    this.#events.close();
    this.#media.close();
    this.#publisher?.close();
    this.#subscriber?.close();
    this.#signaling?.close();
  }

  #onJoined(result: RequestResult<'join'>): void {
    const signaling = this.#signaling;
    if (!signaling || this.#closed) return;
    const iceServers = result.iceServers as RTCIceServer[];
    const onState = (state: RTCPeerConnectionState): void => {
      if (state === 'failed') this.#end({ code: 'connection_lost', message: 'The media connection failed.' });
    };
    this.#subscriber = new Subscriber(signaling, iceServers);
    this.#subscriber.on('track', (trackId, track) => this.store.dispatch({ type: 'remoteTrack', trackId, track }));
    this.#subscriber.on('connectionState', onState);
    this.#publisher = new Publisher(signaling, iceServers);
    this.#publisher.on('connectionState', onState);
    this.store.dispatch({ type: 'joined', result });
    this.#media.attach(this.#publisher, signaling);
  }

  async #handleEvent(event: ServerEvent): Promise<void> {
    if (this.#closed) return;
    if (event.type === 'offer') {
      await this.#subscriber?.handleOffer(event);
      return;
    }
    if (event.type === 'trackUnpublished') this.#subscriber?.forget(event.trackId);
    this.store.dispatch({ type: 'event', event });
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
