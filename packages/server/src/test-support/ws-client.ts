/**
 * A raw signaling client for tests: sends exactly what it is told (valid or not), records every
 * message it receives, and offers request/response and wait-for helpers.
 */
import { PROTOCOL_VERSION, type ClientMessageType, type RequestResult, type ServerMessage } from '@parley/protocol';
import WebSocket from 'ws';
import { TEST_CLIENT_BUILD } from './client-build.js';

type Matcher = (m: ServerMessage) => boolean;

export class TestClient {
  readonly messages: ServerMessage[] = [];
  readonly #ws: WebSocket;
  #nextId = 1;
  #waiters: { match: Matcher; resolve: (m: ServerMessage) => void }[] = [];
  readonly #listeners: ((m: ServerMessage) => void)[] = [];
  #closed: Promise<number>;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
      const message = JSON.parse(text) as ServerMessage;
      this.messages.push(message);
      for (const listener of this.#listeners) listener(message);
      this.#waiters = this.#waiters.filter((w) => {
        if (!w.match(message)) return true;
        w.resolve(message);
        return false;
      });
    });
    this.#closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  }

  static async connect(url: string, headers: Record<string, string> = {}, localAddress?: string): Promise<TestClient> {
    const ws = new WebSocket(url, { headers, ...(localAddress ? { localAddress } : {}) });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    });
    return new TestClient(ws);
  }

  /** Connects (with a session cookie, if given) and completes hello/welcome. */
  static async ready(url: string, as?: { cookie: string }): Promise<TestClient> {
    const client = await TestClient.connect(url, as ? { cookie: as.cookie } : {});
    await client.request('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild: TEST_CLIENT_BUILD });
    return client;
  }

  /** Calls `listener` with every message received from now on. */
  on(listener: (m: ServerMessage) => void): void {
    this.#listeners.push(listener);
  }

  /** Sends raw text or an object as JSON. */
  sendRaw(data: string | Buffer | object): void {
    this.#ws.send(typeof data === 'string' || Buffer.isBuffer(data) ? data : JSON.stringify(data));
  }

  /** Sends a request and waits for its reply (welcome/result or error). */
  async request<T extends ClientMessageType>(type: T, fields: Record<string, unknown>): Promise<RequestResult<T>> {
    const reply = await this.requestRaw(type, fields);
    if (reply.type === 'error') throw Object.assign(new Error(reply.message), { code: reply.code });
    return (reply.type === 'result' ? reply.result : {}) as RequestResult<T>;
  }

  /** Sends a request and returns whatever reply comes for its id. */
  async requestRaw(type: string, fields: Record<string, unknown>, timeoutMs = 15_000): Promise<ServerMessage> {
    const id = this.#nextId++;
    const reply = this.waitFor((m) => (m.type === 'result' || m.type === 'error' || m.type === 'welcome') && m.id === id, timeoutMs);
    this.sendRaw({ type, id, ...fields });
    return reply;
  }

  /** The next message matching, including one already received after `since`. */
  waitFor<T extends ServerMessage = ServerMessage>(match: Matcher, timeoutMs = 15_000, since = this.messages.length): Promise<T> {
    const seen = this.messages.slice(since).find(match);
    if (seen) return Promise.resolve(seen as T);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for a message (have: ${this.messages.map((m) => m.type).join(', ')})`)), timeoutMs);
      this.#waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m as T);
        },
      });
    });
  }

  waitForType<K extends ServerMessage['type']>(type: K, timeoutMs?: number): Promise<Extract<ServerMessage, { type: K }>> {
    return this.waitFor((m) => m.type === type, timeoutMs, 0);
  }

  get open(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  /** Resolves with the close code once the socket is closed. */
  closed(): Promise<number> {
    return this.#closed;
  }

  close(): Promise<number> {
    this.#ws.close();
    return this.#closed;
  }
}
