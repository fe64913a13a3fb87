/**
 * ResumeKeeper holds the session's resume credential (from the room state, renewed by every
 * `resumeToken` event and every resume) and keeps this tab's stored copy current, with the devices
 * as they are now, so a reload comes back the same way. forget() clears the stored copy.
 */
import type { ResumeCredential, RoomState } from '@parley/protocol';
import { clearResume, saveResume, type StoredResume } from './resumeStore.js';

export type Credential = Pick<StoredResume, 'participantId' | 'token' | 'windowSeconds'>;

/** What is stored beside the credential. */
export interface Remembered {
  meetingId: string;
  displayName: string | null;
  /** The devices now: on or off, which camera and microphone (switched in the meeting, perhaps), and the speaker. */
  devices: () => { micOn: boolean; camOn: boolean; cameraId: string; micId: string; speakerId: string };
}

export class ResumeKeeper {
  readonly #remembered: Remembered;
  #credential: Credential | null;
  #forgotten = false;

  constructor(remembered: Remembered, initial: Credential | null) {
    this.#remembered = remembered;
    this.#credential = initial;
  }

  get current(): Credential | null {
    return this.#credential;
  }

  /** Admitted or resumed: the room state carries the credential for next time. */
  adopt(room: RoomState): void {
    this.#credential = { participantId: room.self.id, token: room.resume.token, windowSeconds: room.resume.windowSeconds };
    this.save();
  }

  /** A `resumeToken` event: the previous token stops working. */
  renew(resume: ResumeCredential): void {
    if (!this.#credential) return;
    this.#credential = { ...this.#credential, token: resume.token, windowSeconds: resume.windowSeconds };
    this.save();
  }

  save(): void {
    const credential = this.#credential;
    if (!credential || this.#forgotten) return;
    const { meetingId, displayName, devices } = this.#remembered;
    const { micOn, camOn, cameraId, micId, speakerId } = devices();
    saveResume({ ...credential, micOn, camOn, cameraId, micId, speakerId, meetingId, displayName });
  }

  /** The session is over: nothing to resume any more. */
  forget(): void {
    if (this.#forgotten) return;
    this.#forgotten = true;
    if (this.#credential) clearResume(undefined, this.#credential.participantId);
    this.#credential = null;
  }
}
