/** What a meeting session is started with, and how its requests end, for the screens that use it. */
import type { ClientMessageType } from '@parley/protocol';
import { ApiRequestError } from './api.js';
import type { LocalMediaOptions } from './localMedia.js';
import type { StoredResume } from './resumeStore.js';
import { SignalingError } from './signaling.js';

export interface JoinOptions extends LocalMediaOptions {
  meetingId: string;
  passcode: string | null;
  /** A guest's typed name; null when signed in (the server uses the account's name). */
  displayName: string | null;
  /** The pre-join screen's tracks (the session takes ownership and stops them on close) and choices. */
  speakerId: string;
  /** Come back as this tab's participant (a reload): no passcode, no lobby. */
  resume: StoredResume | null;
}

/** The requests the meeting screen sends as they are (media and membership are the session's own). */
export type SessionRequest = Exclude<
  ClientMessageType,
  | 'hello'
  | 'join'
  | 'resume'
  | 'setupMedia'
  | 'connectTransport'
  | 'restartIce'
  | 'publish'
  | 'unpublish'
  | 'resumeSubscription'
  | 'setSubscription'
  | 'setMuted'
  | 'leave'
  | 'chat'
>;

/** How a request ended, for callers that show a refusal in place (the chat composer). */
export type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; message: string };

export function refusal(err: unknown): { ok: false; code: string; message: string } {
  if (err instanceof SignalingError || err instanceof ApiRequestError) return { ok: false, code: err.code, message: err.message };
  return { ok: false, code: 'internal', message: err instanceof Error ? err.message : String(err) };
}
