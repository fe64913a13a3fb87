/**
 * LocalMedia owns what this participant sends: the microphone, camera and screen tracks, their
 * publications on the publisher connection, and the mute state the others see. Muting the
 * microphone disables its track; turning the camera off releases the device (the light goes off)
 * and sends nothing until it is turned on again. A source that is off when the meeting starts is
 * published the first time it is turned on.
 */
import type { TrackSource } from '@parley/protocol';
import { describeMediaError, openCamera, openMicrophone, openScreen } from './media.js';
import type { LocalMedia as LocalMediaState } from './meetingState.js';
import type { Publisher, PublishedTrack } from './publisher.js';
import type { SignalingClient } from './signaling.js';

export interface LocalMediaOptions {
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  micOn: boolean;
  camOn: boolean;
  cameraId: string;
  micId: string;
}

export class LocalMedia {
  readonly #opts: LocalMediaOptions;
  readonly #read: () => LocalMediaState;
  readonly #update: (patch: Partial<LocalMediaState>) => void;
  #mic: MediaStreamTrack | null;
  #camera: MediaStreamTrack | null;
  #screen: MediaStreamTrack | null = null;
  #publisher: Publisher | null = null;
  #signaling: SignalingClient | null = null;
  /** One publication per source, created on first use. */
  readonly #published = new Map<TrackSource, Promise<PublishedTrack>>();
  /** Sources whose device is being opened, so a double click opens one device, not two. */
  readonly #busy = new Set<'camera' | 'screen'>();
  #closed = false;

  constructor(opts: LocalMediaOptions, read: () => LocalMediaState, update: (patch: Partial<LocalMediaState>) => void) {
    this.#opts = opts;
    this.#read = read;
    this.#update = update;
    this.#mic = opts.microphone;
    this.#camera = opts.camOn ? opts.camera : null;
    if (!opts.camOn) opts.camera?.stop();
    if (this.#mic) this.#mic.enabled = opts.micOn;
  }

  /** The state to start the store with. */
  initialState(speakerId: string): LocalMediaState {
    return {
      micOn: this.#opts.micOn && this.#mic !== null,
      camOn: this.#camera !== null,
      screenOn: false,
      cameraTrack: this.#camera,
      screenTrack: null,
      speakerId,
      deviceError: null,
    };
  }

  /** Joined: publish what is on (the microphone even when muted, so unmuting is instant). */
  attach(publisher: Publisher, signaling: SignalingClient): void {
    this.#publisher = publisher;
    this.#signaling = signaling;
    if (this.#mic) this.#publish('microphone', this.#mic);
    if (this.#camera) this.#publish('camera', this.#camera);
  }

  toggleMic(): void {
    const on = !this.#read().micOn;
    if (on && !this.#mic) return void this.#openMissingMic();
    if (!this.#mic) return;
    this.#mic.enabled = on;
    this.#update({ micOn: on });
    void this.#setMuted('microphone', !on);
  }

  toggleCamera(): Promise<void> {
    return this.#exclusive('camera', () => (this.#read().camOn ? this.#cameraOff() : this.#cameraOn()));
  }

  toggleScreen(): Promise<void> {
    return this.#exclusive('screen', () => (this.#screen ? this.#stopScreen(this.#screen) : this.#startScreen()));
  }

  /** Releases every device. Idempotent. (Connections are closed by their owner.) */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#mic?.stop();
    this.#camera?.stop();
    this.#screen?.stop();
  }

  async #exclusive(what: 'camera' | 'screen', task: () => Promise<void>): Promise<void> {
    if (this.#busy.has(what) || this.#closed) return;
    this.#busy.add(what);
    try {
      await task();
    } finally {
      this.#busy.delete(what);
    }
  }

  async #cameraOff(): Promise<void> {
    this.#camera?.stop();
    this.#camera = null;
    this.#update({ camOn: false, cameraTrack: null });
    const pub = this.#published.get('camera');
    if (!pub) return;
    await (await pub).sender.replaceTrack(null);
    await this.#setMuted('camera', true);
  }

  async #cameraOn(): Promise<void> {
    let track: MediaStreamTrack;
    try {
      track = await openCamera(this.#opts.cameraId);
    } catch (err) {
      return this.#update({ deviceError: describeMediaError(err, 'camera') });
    }
    if (this.#closed) return track.stop();
    this.#camera = track;
    this.#update({ camOn: true, cameraTrack: track, deviceError: null });
    const pub = this.#published.get('camera');
    if (!pub) return this.#publish('camera', track);
    await (await pub).sender.replaceTrack(track);
    await this.#setMuted('camera', false);
  }

  async #startScreen(): Promise<void> {
    let track: MediaStreamTrack;
    try {
      track = await openScreen();
    } catch (err) {
      if (err instanceof DOMException && err.name === 'NotAllowedError') return; // the person cancelled
      return this.#update({ deviceError: describeMediaError(err, 'screen share') });
    }
    if (this.#closed) return track.stop();
    // The browser's own "Stop sharing" button ends the track.
    track.addEventListener('ended', () => void this.#stopScreen(track));
    this.#screen = track;
    this.#update({ screenOn: true, screenTrack: track });
    this.#publish('screen', track);
  }

  async #stopScreen(track: MediaStreamTrack): Promise<void> {
    if (this.#screen !== track) return;
    this.#screen = null;
    track.stop();
    this.#update({ screenOn: false, screenTrack: null });
    const pub = this.#published.get('screen');
    this.#published.delete('screen');
    if (!pub || !this.#publisher) return;
    try {
      await this.#publisher.unpublish(await pub);
    } catch (err) {
      if (!this.#closed) console.warn('unpublish failed', err);
    }
  }

  async #openMissingMic(): Promise<void> {
    try {
      const track = await openMicrophone(this.#opts.micId);
      if (this.#closed) return track.stop();
      this.#mic = track;
      this.#update({ micOn: true, deviceError: null });
      this.#publish('microphone', track);
    } catch (err) {
      this.#update({ deviceError: describeMediaError(err, 'microphone') });
    }
  }

  #publish(source: TrackSource, track: MediaStreamTrack): void {
    const publisher = this.#publisher;
    if (!publisher || this.#published.has(source)) return;
    const pub = publisher.publish(track, source);
    this.#published.set(source, pub);
    pub.then(
      async () => {
        // Muted before or while the publication was negotiated: tell the others now.
        if (source === 'microphone' && !this.#read().micOn) await this.#setMuted('microphone', true);
      },
      (err: unknown) => {
        this.#published.delete(source);
        if (!this.#closed) this.#update({ deviceError: `Could not send your ${source}: ${err instanceof Error ? err.message : String(err)}` });
      },
    );
  }

  async #setMuted(source: TrackSource, muted: boolean): Promise<void> {
    const pub = this.#published.get(source);
    if (!pub || !this.#signaling) return;
    try {
      const { trackId } = await pub;
      await this.#signaling.request('setMuted', { trackId, muted });
    } catch (err) {
      if (!this.#closed) console.warn('setMuted failed', err);
    }
  }
}
