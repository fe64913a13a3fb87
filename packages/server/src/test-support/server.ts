/**
 * Starts a real Parley server on an ephemeral port with a throwaway data directory, creates its
 * first administrator through the one-time setup link (as a person would), and offers signed-in
 * HTTP helpers.
 */
import type { CreateMeetingResponse, MeetingSettingsPatch, OrgRole, Sensitivity, SessionInfo } from '@parley/protocol';
import { startParley, type RunningParley } from '../index.js';
import type { ParleyOptions } from '../config.js';
import { createTestDatabase, type TestDatabase } from './database.js';

/** A signed-in browser's credentials: its session cookie and CSRF token. */
export interface Credentials {
  cookie: string;
  csrfToken: string;
  userId: string;
  email: string;
}

export interface TestServer extends RunningParley {
  readonly wsUrl: string;
  readonly dataDir: string;
  /** The server's own PostgreSQL database when the tests run against PostgreSQL (test-support/database.ts). */
  readonly databaseUrl: string | undefined;
  /** The database itself (to clone or drop when the test closes only `server`, not this wrapper). */
  readonly database: TestDatabase;
  /** The first administrator, created through the setup link. */
  readonly admin: Credentials;
  /** Signs in; rejects with the HTTP status on failure. */
  signIn(email: string, password: string): Promise<Credentials>;
  /** Creates an account as the administrator and signs it in. */
  createUser(email: string, orgRole?: OrgRole, displayName?: string): Promise<Credentials>;
  /** Creates a meeting hosted by `host` (the administrator by default). */
  createMeeting(options?: { title?: string; settings?: MeetingSettingsPatch; passcode?: string; sensitivity?: Sensitivity; host?: Credentials }): Promise<CreateMeetingResponse>;
  /** A new browser's device cookie (`parley_device=...`), as the server hands it out on first visit. */
  newDevice(): Promise<string>;
  /** A JSON request with the given credentials. */
  api(method: string, path: string, body?: unknown, as?: Credentials): Promise<Response>;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/** A JSON request to the server at `baseUrl`, as `as` (with their CSRF token) or anonymously. */
export function apiRequest(baseUrl: string, method: string, path: string, body?: unknown, as?: Credentials): Promise<Response> {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(as ? { cookie: as.cookie, 'x-csrf-token': as.csrfToken } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}

/** The session cookie a sign-in or setup response sets, as a Cookie header value. */
export function sessionCookie(res: Response): string {
  const header = res.headers.get('set-cookie') ?? '';
  const match = /parley_session=([^;]+)/.exec(header);
  if (!match) throw new Error('no session cookie set');
  return `parley_session=${match[1]}`;
}

export async function startTestServer(options: ParleyOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const { dataDir, databaseUrl } = database;
  const running = await startParley({ port: 0, host: '127.0.0.1', dataDir, databaseUrl, logLevel: 'silent', ...options }).catch(async (err: unknown) => {
    await database.drop();
    throw err;
  });

  const api = (method: string, path: string, body?: unknown, as?: Credentials): Promise<Response> => apiRequest(running.url, method, path, body, as);

  const token = new URL(running.setupUrl ?? 'http://x/#token=').hash.replace('#token=', '');
  const setup = await api('POST', '/api/setup', { token, email: 'admin@parley.test', displayName: 'Ada Admin', password: TEST_PASSWORD });
  if (setup.status !== 201) throw new Error(`setup: HTTP ${setup.status} ${await setup.text()}`);
  const setupInfo = (await setup.json()) as SessionInfo;
  const admin: Credentials = { cookie: sessionCookie(setup), csrfToken: setupInfo.csrfToken ?? '', userId: setupInfo.user?.id ?? '', email: 'admin@parley.test' };

  const signIn = async (email: string, password: string): Promise<Credentials> => {
    const res = await api('POST', '/api/auth/sign-in', { email, password });
    if (res.status !== 200) throw Object.assign(new Error(`sign-in: HTTP ${res.status}`), { status: res.status, body: await res.json() });
    const info = (await res.json()) as SessionInfo;
    return { cookie: sessionCookie(res), csrfToken: info.csrfToken ?? '', userId: info.user?.id ?? '', email };
  };

  return {
    ...running,
    dataDir,
    databaseUrl,
    database,
    admin,
    wsUrl: running.url.replace(/^http/, 'ws') + '/ws',
    api,
    signIn,
    async newDevice() {
      const res = await api('GET', '/api/session');
      const match = /parley_device=([^;]+)/.exec(res.headers.get('set-cookie') ?? '');
      if (!match) throw new Error('no device cookie');
      return `parley_device=${match[1]}`;
    },
    async createUser(email, orgRole = 'member', displayName = email.split('@')[0] ?? 'User') {
      const res = await api('POST', '/api/users', { email, displayName, password: TEST_PASSWORD, orgRole }, admin);
      if (res.status !== 201) throw new Error(`create user: HTTP ${res.status} ${await res.text()}`);
      return signIn(email, TEST_PASSWORD);
    },
    async createMeeting({ title, settings, passcode, sensitivity, host = admin } = {}) {
      const body = { ...(title ? { title } : {}), ...(settings ? { settings } : {}), ...(passcode ? { passcode } : {}), ...(sensitivity ? { sensitivity } : {}) };
      const res = await api('POST', '/api/meetings', body, host);
      if (res.status !== 201) throw new Error(`create meeting: HTTP ${res.status} ${await res.text()}`);
      return (await res.json()) as CreateMeetingResponse;
    },
    async close() {
      await running.close();
      await database.drop();
    },
  };
}

/** Uploads a file as a participant (their `participantToken`). */
export function uploadFile(server: TestServer, meetingId: string, token: string, name: string, data: Buffer): Promise<Response> {
  return fetch(`${server.url}/api/meetings/${meetingId}/files?name=${encodeURIComponent(name)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-parley-participant': token },
    body: new Uint8Array(data),
  });
}

/** Meeting settings for tests about media, not access: no lobby, no waiting for the host. */
export const OPEN_DOORS: MeetingSettingsPatch = { lobby: false, joinBeforeHost: true };
