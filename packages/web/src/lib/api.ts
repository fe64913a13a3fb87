/**
 * The JSON HTTP API, validated with the protocol's schemas. Every state-changing request is a POST
 * with a JSON body (`{}` when there is nothing to say) and, when signed in, the session's CSRF
 * token in `x-csrf-token`; the session cookie itself is HttpOnly and never touched here.
 */
import {
  ApiError,
  CreateMeetingResponse,
  SessionInfo,
  SharedFile,
  UserInfo,
  type CreateMeetingRequest,
  type OrgRole,
} from '@parley/protocol';
import { z } from 'zod';

export class ApiRequestError extends Error {
  /** A code from the protocol's taxonomy, or `network` / `invalid_reply` raised here. */
  readonly code: string;
  readonly status: number;
  constructor(code: string, message: string, status = 0) {
    super(message);
    this.name = 'ApiRequestError';
    this.code = code;
    this.status = status;
  }
}

export interface SetupFields {
  token: string;
  email: string;
  displayName: string;
  password: string;
}

export interface NewUserFields {
  email: string;
  displayName: string;
  password: string;
  orgRole: OrgRole;
}

const SignedOut = z.object({ ok: z.boolean() });

export class ApiClient {
  readonly #csrfToken: () => string | null;

  /** `csrfToken` reads the current session's token at the moment of each request. */
  constructor(csrfToken: () => string | null) {
    this.#csrfToken = csrfToken;
  }

  session(): Promise<SessionInfo> {
    return this.call('GET', '/api/session', SessionInfo);
  }

  signIn(email: string, password: string): Promise<SessionInfo> {
    return this.call('POST', '/api/auth/sign-in', SessionInfo, { email, password });
  }

  async signOut(): Promise<void> {
    await this.call('POST', '/api/auth/sign-out', SignedOut, {});
  }

  setup(fields: SetupFields): Promise<SessionInfo> {
    return this.call('POST', '/api/setup', SessionInfo, fields);
  }

  createMeeting(request: CreateMeetingRequest): Promise<CreateMeetingResponse> {
    return this.call('POST', '/api/meetings', CreateMeetingResponse, request);
  }

  createUser(fields: NewUserFields): Promise<UserInfo> {
    return this.call('POST', '/api/users', UserInfo, fields);
  }

  /**
   * Shares a file in a meeting: the raw bytes, proved to come from a participant by the room
   * state's participant token (and, when signed in, the CSRF token like every POST).
   */
  async uploadFile(meetingId: string, participantToken: string, file: Blob, name: string): Promise<SharedFile> {
    const headers: Record<string, string> = { 'content-type': 'application/octet-stream', 'x-parley-participant': participantToken, accept: 'application/json' };
    const csrf = this.#csrfToken();
    if (csrf) headers['x-csrf-token'] = csrf;
    const res = await this.#fetch(`/api/meetings/${encodeURIComponent(meetingId)}/files?name=${encodeURIComponent(name)}`, { method: 'POST', headers, body: file });
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw errorOf(res, json);
    const parsed = SharedFile.safeParse(json);
    if (!parsed.success) throw new ApiRequestError('invalid_reply', 'The server sent an unexpected reply.', res.status);
    return parsed.data;
  }

  /** A shared file's bytes, for a participant of the meeting. */
  async downloadFile(meetingId: string, participantToken: string, fileId: string): Promise<Blob> {
    const res = await this.#fetch(`/api/meetings/${encodeURIComponent(meetingId)}/files/${encodeURIComponent(fileId)}`, {
      method: 'GET',
      headers: { 'x-parley-participant': participantToken },
    });
    if (!res.ok) throw errorOf(res, await res.json().catch(() => null));
    return res.blob();
  }

  async #fetch(path: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(path, { ...init, credentials: 'same-origin', cache: 'no-store' });
    } catch {
      throw new ApiRequestError('network', 'The server could not be reached.');
    }
  }

  /**
   * One request, its reply validated by `schema`. Sections with their own routes (the console's)
   * build on this in their own modules rather than growing this class.
   */
  async call<S extends z.ZodType>(method: 'GET' | 'POST' | 'PUT', path: string, schema: S, body?: object): Promise<z.infer<S>> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (method !== 'GET') {
      headers['content-type'] = 'application/json';
      const token = this.#csrfToken();
      if (token) headers['x-csrf-token'] = token;
    }
    const res = await this.#fetch(path, { method, headers, body: method !== 'GET' ? JSON.stringify(body ?? {}) : undefined });
    const json: unknown = await res.json().catch(() => null);
    if (!res.ok) throw errorOf(res, json);
    const parsed = schema.safeParse(json);
    if (!parsed.success) throw new ApiRequestError('invalid_reply', 'The server sent an unexpected reply.', res.status);
    return parsed.data;
  }
}

/** The coded error in a failed response's body, or a generic one. */
function errorOf(res: Response, json: unknown): ApiRequestError {
  const err = ApiError.safeParse(json);
  if (err.success) return new ApiRequestError(err.data.error.code, err.data.error.message, res.status);
  return new ApiRequestError('internal', `The server answered ${res.status}.`, res.status);
}
