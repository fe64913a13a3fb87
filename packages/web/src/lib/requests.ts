/**
 * The meeting screen's requests through the session's current socket: moderation and the like
 * (a refusal becomes a notice with its code), chat (a refusal goes back to the composer), and
 * shared files over HTTP with the participant's file token.
 */
import type { ClientMessageType, SharedFile } from '@parley/protocol';
import type { ApiClient } from './api.js';
import { saveBlob } from './download.js';
import type { MeetingAction, MeetingState } from './meetingState.js';
import { refusal, type Outcome, type SessionRequest } from './sessionTypes.js';
import type { Reply, RequestFields, SignalingClient } from './signaling.js';
import type { Store } from './store.js';

export interface RequestContext {
  store: Store<MeetingState, MeetingAction>;
  api: ApiClient;
  meetingId: string;
  /** The current socket (null, or closed, while reconnecting). */
  signaling: () => SignalingClient | null;
  /** Proves file requests come from this participant. */
  participantToken: () => string | null;
  closed: () => boolean;
}

export class MeetingRequests {
  readonly #ctx: RequestContext;

  constructor(ctx: RequestContext) {
    this.#ctx = ctx;
  }

  async act<T extends SessionRequest>(type: T, fields: RequestFields<T>): Promise<Reply<T> | null> {
    const outcome = await this.attempt(type, fields);
    if (outcome.ok) return outcome.value;
    if (!this.#ctx.closed()) this.#ctx.store.dispatch({ type: 'notice', kind: 'error', text: outcome.message, code: outcome.code });
    return null;
  }

  async sendChat(text: string, to: string | null): Promise<Outcome<'sent' | 'held'>> {
    const outcome = await this.attempt('chat', to ? { text, to } : { text });
    if (!outcome.ok) return outcome;
    this.#ctx.store.dispatch({ type: 'chatSent', message: outcome.value.message, status: outcome.value.status });
    return { ok: true, value: outcome.value.status };
  }

  async shareFile(file: File): Promise<Outcome<SharedFile>> {
    const token = this.#ctx.participantToken();
    if (!token) return { ok: false, code: 'wrong_state', message: 'Not in the meeting yet.' };
    try {
      return { ok: true, value: await this.#ctx.api.uploadFile(this.#ctx.meetingId, token, file, file.name) };
    } catch (err) {
      return refusal(err);
    }
  }

  async downloadFile(file: SharedFile): Promise<void> {
    const token = this.#ctx.participantToken();
    if (!token) return;
    try {
      saveBlob(await this.#ctx.api.downloadFile(this.#ctx.meetingId, token, file.id), file.name);
    } catch (err) {
      const { code, message } = refusal(err);
      this.#ctx.store.dispatch({ type: 'notice', kind: 'error', text: `Could not download ${file.name}: ${message}`, code });
    }
  }

  async attempt<T extends ClientMessageType>(type: T, fields: RequestFields<T>): Promise<Outcome<Reply<T>>> {
    const signaling = this.#ctx.signaling();
    if (!signaling || signaling.closed || this.#ctx.closed()) return { ok: false, code: 'closed', message: 'Not connected.' };
    try {
      return { ok: true, value: await signaling.request(type, fields) };
    } catch (err) {
      return refusal(err);
    }
  }
}
