/**
 * LocalMedia owns what this participant sends: the microphone, camera and screen tracks, their
 * publications on the send transport, and the mute state the others see. Muting the
 * microphone disables its track; turning the camera off releases the device (the light goes off)
 * and sends nothing until it is turned on again. A source that is off when the meeting starts is
 * published the first time it is turned on. When the server refuses to turn a source on (the
 * meeting's switches) or a moderator stops it, the device goes off here too, so what the person
 * sees is what the others get. After a resume (new transports) attach() again republishes what is on.
 * Switching the camera or microphone mid-meeting replaces the track on its publication (no
 * renegotiation) and keeps the mute state: a muted microphone stays muted, a stopped camera stays off.
 */
import type { TrackSource } from '@parley/protocol';
import { describeMediaError, openCamera, openMicrophone, openScreen } from './media.js';
import type { LocalMedia as LocalMediaState } from './meetingState.js';
import type { Publications, PublishedTrack } from './media/publications.js';
import { SignalingError, type SignalingClient } from './signaling.js';

/** How LocalMedia reads and reports: the store's local state, and what the server holds. */
export interface LocalMediaHooks {
  read: () => LocalMediaState;
  update: (patch: Partial<LocalMediaState>) => void;
  /** The server refused to turn a source on: tell the person, with the code. */
  refused: (text: string, code: string) => void;
  /** The server already holds this track muted (no need to tell it again). */
  mutedOnServer: (trackId: string) => boolean;
  /** The microphone went from muted to live. */
  unmuted: () => void;
}

const SOURCE_WORD: Record<TrackSource, string> = { microphone: 'microphone', camera: 'camera', screen: 'screen share', 'screen-audio': 'screen audio' };

export interface LocalMediaOptions {
  microphone: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  /** Wanted on. A wanted device whose track is missing (still opening when Join was clicked) is opened on joining. */
  micOn: boolean;
  camOn: boolean;
  cameraId: string;
  micId: string;
}

export class LocalMedia {
  readonly #opts: LocalMediaOptions;
  readonly #hooks: LocalMediaHooks;
  #mic: MediaStreamTrack | null;
  #camera: MediaStreamTrack | null;
  #screen: MediaStreamTrack | null = null;
  /** The chosen devices ('' = the browser's default); a switch changes them. */
  #cameraId: string;
  #micId: string;
  #publisher: Publications | null = null;
  #signaling: SignalingClient | null = null;
  /** One publication per source, created on first use. */
  readonly #published = new Map<TrackSource, Promise<PublishedTrack>>();
  /** Sources whose device is being opened, so a double click opens one device, not two. */
  readonly #busy = new Set<'camera' | 'screen' | 'microphone'>();
  /** Wanted on but not handed over open: open them on joining. */
  #openOnAttach: { mic: boolean; camera: boolean };
  #closed = false;

  constructor(opts: LocalMediaOptions, hooks: LocalMediaHooks) {
    this.#opts = opts;
    this.#hooks = hooks;
    this.#mic = opts.microphone;
    this.#cameraId = opts.cameraId;
    this.#micId = opts.micId;
    this.#camera = opts.camOn ? opts.camera : null;
    this.#openOnAttach = { mic: opts.micOn && !opts.microphone, camera: opts.camOn && !opts.camera };
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
      micTrack: this.#mic,
      cameraId: this.#cameraId,
      micId: this.#micId,
      screenTrack: null,
      speakerId,
      deviceError: null,
    };
  }

  /**
   * Joined, or media set up again (resumed, allowed to speak): publish what is on (the microphone
   * even when muted, so unmuting is instant). Earlier publications belong to closed transports.
   */
  attach(publisher: Publications, signaling: SignalingClient): void {
    this.#publisher = publisher;
    this.#signaling = signaling;
    this.#published.clear();
    if (this.#mic) this.#publish('microphone', this.#mic);
    if (this.#camera) this.#publish('camera', this.#camera);
    if (this.#screen) this.#publish('screen', this.#screen);
    const { mic, camera } = this.#openOnAttach;
    this.#openOnAttach = { mic: false, camera: false };
    if (mic && !this.#mic) void this.#openMissingMic();
    if (camera && !this.#camera) void this.toggleCamera();
  }

  /** View-only: stop the microphone and camera (their lights go off); turning one on reopens it. */
  release(): void {
    this.#openOnAttach = { mic: false, camera: false };
    this.#mic?.stop();
    this.#mic = null;
    this.#camera?.stop();
    this.#camera = null;
    this.#hooks.update({ micOn: false, camOn: false, cameraTrack: null, micTrack: null });
  }

  /**
   * Uses camera `deviceId` ('' = default) from now on. While the camera is on, the new camera's track
   * replaces the old one on its publication; if it cannot be opened, the old one stays. Off: only remembered.
   */
  setCamera(deviceId: string): Promise<void> {
    return this.#exclusive('camera', async () => {
      if (!this.#camera) {
        this.#cameraId = deviceId;
        return this.#hooks.update({ cameraId: deviceId });
      }
      let track: MediaStreamTrack;
      try {
        track = await openCamera(deviceId);
      } catch (err) {
        return this.#hooks.update({ deviceError: describeMediaError(err, 'camera') });
      }
      if (this.#closed || !this.#camera) return track.stop();
      const old = this.#camera;
      this.#cameraId = deviceId;
      this.#camera = track;
      const pub = this.#published.get('camera');
      if (pub) await (await pub).replaceTrack(track);
      old.stop();
      this.#hooks.update({ cameraTrack: track, cameraId: deviceId, deviceError: null });
    });
  }

  /**
   * Uses microphone `deviceId` ('' = default) from now on: the new track replaces the old one on its
   * publication, muted if the old one was (a moderator's mute holds: the server still forwards nothing).
   */
  setMicrophone(deviceId: string): Promise<void> {
    return this.#exclusive('microphone', async () => {
      if (!this.#mic) {
        this.#micId = deviceId;
        return this.#hooks.update({ micId: deviceId });
      }
      let track: MediaStreamTrack;
      try {
        track = await openMicrophone(deviceId);
      } catch (err) {
        return this.#hooks.update({ deviceError: describeMediaError(err, 'microphone') });
      }
      if (this.#closed || !this.#mic) return track.stop();
      const old = this.#mic;
      // Read at the swap, not before the device opened: a mute meanwhile counts.
      track.enabled = this.#hooks.read().micOn && old.enabled;
      this.#micId = deviceId;
      this.#mic = track;
      const pub = this.#published.get('microphone');
      if (pub) await (await pub).replaceTrack(track);
      // mediasoup-client enables the new track of a producer that is not paused (Parley mutes by
      // disabling the track): a muted microphone must not go live by being switched.
      track.enabled = this.#hooks.read().micOn && this.#mic === track;
      old.stop();
      this.#hooks.update({ micTrack: track, micId: deviceId, deviceError: null });
    });
  }

  /** The devices in use now (track settings: the default device's real ID when '' was chosen). */
  inUse(): { camera: string | null; microphone: string | null } {
    return { camera: this.#camera?.getSettings().deviceId ?? null, microphone: this.#mic?.getSettings().deviceId ?? null };
  }

  toggleMic(): void {
    const on = !this.#hooks.read().micOn;
    if (on && !this.#mic) return void this.#openMissingMic();
    const mic = this.#mic;
    if (!mic) return;
    mic.enabled = on;
    this.#hooks.update({ micOn: on });
    if (on) this.#hooks.unmuted();
    void this.#setMuted('microphone', !on).then((ok) => {
      // Refused (unmuting oneself is off): back to muted, as the others hear it.
      if (on && !ok && this.#mic === mic) {
        mic.enabled = false;
        this.#hooks.update({ micOn: false });
      }
    });
  }

  toggleCamera(): Promise<void> {
    return this.#exclusive('camera', () => (this.#hooks.read().camOn ? this.#cameraOff() : this.#cameraOn()));
  }

  toggleScreen(): Promise<void> {
    return this.#exclusive('screen', () => (this.#screen ? this.#stopScreen(this.#screen) : this.#startScreen()));
  }

  /**
   * The server holds `source` muted by a moderator (or by the meeting, for a microphone published
   * where unmuting oneself is off): turn it off here without telling the server again.
   */
  serverStopped(source: TrackSource): Promise<void> {
    switch (source) {
      case 'microphone':
        if (this.#mic) this.#mic.enabled = false;
        this.#hooks.update({ micOn: false });
        return Promise.resolve();
      case 'camera':
        return this.#exclusive('camera', () => (this.#hooks.read().camOn ? this.#cameraOff() : Promise.resolve()));
      case 'screen':
        return this.#exclusive('screen', () => (this.#screen ? this.#stopScreen(this.#screen) : Promise.resolve()));
      case 'screen-audio':
        return Promise.resolve();
    }
  }

  /** Releases every device. Idempotent. (Connections are closed by their owner.) */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#mic?.stop();
    this.#camera?.stop();
    this.#screen?.stop();
  }

  async #exclusive(what: 'camera' | 'screen' | 'microphone', task: () => Promise<void>): Promise<void> {
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
    this.#hooks.update({ camOn: false, cameraTrack: null });
    const pub = this.#published.get('camera');
    if (!pub) return;
    await (await pub).replaceTrack(null);
    await this.#setMuted('camera', true);
  }

  async #cameraOn(): Promise<void> {
    let track: MediaStreamTrack;
    try {
      track = await openCamera(this.#cameraId);
    } catch (err) {
      return this.#hooks.update({ deviceError: describeMediaError(err, 'camera') });
    }
    if (this.#closed) return track.stop();
    this.#camera = track;
    this.#hooks.update({ camOn: true, cameraTrack: track, deviceError: null });
    const pub = this.#published.get('camera');
    if (!pub) return this.#publish('camera', track);
    await (await pub).replaceTrack(track);
    // Refused (starting video is off): the camera goes off again.
    if (!(await this.#setMuted('camera', false)) && this.#camera === track) await this.#cameraOff();
  }

  async #startScreen(): Promise<void> {
    let track: MediaStreamTrack;
    try {
      track = await openScreen();
    } catch (err) {
      if (err instanceof DOMException && err.name === 'NotAllowedError') return; // the person cancelled
      return this.#hooks.update({ deviceError: describeMediaError(err, 'screen share') });
    }
    if (this.#closed) return track.stop();
    // The browser's own "Stop sharing" button ends the track.
    track.addEventListener('ended', () => void this.#stopScreen(track));
    this.#screen = track;
    this.#hooks.update({ screenOn: true, screenTrack: track });
    this.#publish('screen', track);
  }

  async #stopScreen(track: MediaStreamTrack): Promise<void> {
    if (this.#screen !== track) return;
    this.#screen = null;
    track.stop();
    this.#hooks.update({ screenOn: false, screenTrack: null });
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
      const track = await openMicrophone(this.#micId);
      if (this.#closed) return track.stop();
      this.#mic = track;
      this.#hooks.update({ micOn: true, micTrack: track, deviceError: null });
      this.#publish('microphone', track);
    } catch (err) {
      this.#hooks.update({ deviceError: describeMediaError(err, 'microphone') });
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
        if (source === 'microphone' && !this.#hooks.read().micOn) await this.#setMuted('microphone', true);
      },
      async (err: unknown) => {
        // A publication of closed transports (a resume replaced them) is no longer ours to undo.
        if (this.#published.get(source) !== pub || publisher !== this.#publisher) return;
        this.#published.delete(source);
        if (this.#closed) return;
        if (!isRefusal(err)) {
          this.#hooks.update({ deviceError: `Could not send your ${SOURCE_WORD[source]}: ${err instanceof Error ? err.message : String(err)}` });
          return;
        }
        // The meeting does not allow it (a switch is off): the device goes off and the person is told why.
        this.#hooks.refused(`Your ${SOURCE_WORD[source]} was not shared: ${err.message}.`, err.code);
        if (source === 'camera' && this.#camera === track) await this.#exclusive('camera', () => this.#cameraOff());
        if (source === 'screen' && this.#screen === track) await this.#exclusive('screen', () => this.#stopScreen(track));
        if (source === 'microphone' && this.#mic === track) {
          track.enabled = false;
          this.#hooks.update({ micOn: false });
        }
      },
    );
  }

  /** Tells the server; false if it refused (the refusal is reported) or the track is not published. */
  async #setMuted(source: TrackSource, muted: boolean): Promise<boolean> {
    const pub = this.#published.get(source);
    if (!pub || !this.#signaling) return false;
    try {
      const { trackId } = await pub;
      if (muted && this.#hooks.mutedOnServer(trackId)) return true;
      await this.#signaling.request('setMuted', { trackId, muted });
      return true;
    } catch (err) {
      if (this.#closed) return false;
      if (isRefusal(err)) {
        this.#hooks.refused(`You cannot turn your ${SOURCE_WORD[source]} on: ${err.message}.`, err.code);
        return false;
      }
      // Not a refusal (the connection dropped): the resume republishes with the state as it is then.
      if (!(err instanceof SignalingError && err.code === 'closed')) console.warn('setMuted failed', err);
      return true;
    }
  }
}

/** A coded refusal from the server (as opposed to a network or negotiation failure). */
function isRefusal(err: unknown): err is SignalingError {
  return err instanceof SignalingError && (err.code === 'feature_disabled' || err.code === 'forbidden');
}
