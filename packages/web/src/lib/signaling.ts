/**
 * SignalingClient owns the WebSocket to the Parley server. Like mediasoup's Channel it turns
 * requests into promises keyed by an incrementing id, rejects every pending request when the socket
 * closes, and refuses to send a message larger than MAX_MESSAGE_BYTES. Every incoming message is
 * validated with the protocol's ServerMessage schema; events (messages without an id) are emitted
 * in arrival order to typed listeners.
 */
import {
  MAX_MESSAGE_BYTES,
  RESULTS,
  ServerMessage,
  type ClientMessageType,
  type ClientRequest,
  type ErrorCode,
  type RequestResult,
  type ServerEvent,
} from '@parley/protocol';
import { Emitter } from './emitter.js';

/** Codes the client raises itself, next to the server's taxonomy. */
export type LocalErrorCode = 'closed' | 'timeout' | 'invalid_reply';

/** How long opening the socket may take before the attempt counts as failed. */
const CONNECT_TIMEOUT_MS = 10_000;

export class SignalingError extends Error {
  readonly code: ErrorCode | LocalErrorCode;
  constructor(code: ErrorCode | LocalErrorCode, message: string) {
    super(message);
    this.name = 'SignalingError';
    this.code = code;
  }
}

export type RequestFields<T extends ClientMessageType> = Omit<ClientRequest<T>, 'type' | 'id'>;
export type Welcome = Extract<ServerMessage, { type: 'welcome' }>;
export type Reply<T extends ClientMessageType> = T extends 'hello' ? Welcome : RequestResult<T>;

export interface CloseInfo {
  code: number;
  reason: string;
  /** True when this side called close(). */
  local: boolean;
}

type EventsByType = { [K in ServerEvent['type']]: [Extract<ServerEvent, { type: K }>] };

/** The events a SignalingClient emits: one per server event type, plus socket-level ones. */
export type SignalingEvents = EventsByType & {
  /** Any server event, in order (listen here to process events through one queue). */
  event: [ServerEvent];
  /** The socket closed; every pending request has been rejected. */
  close: [CloseInfo];
  /** An `error` with no id, or a message that failed validation. */
  protocolError: [SignalingError];
};

interface Pending {
  type: ClientMessageType;
  resolve: (value: unknown) => void;
  reject: (err: SignalingError) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** What the client needs of a WebSocket (so tests can hand it a fake one). */
export type SocketLike = Pick<WebSocket, 'send' | 'close' | 'addEventListener'>;

const REQUEST_TIMEOUT_MS = 15_000;
const encoder = new TextEncoder();

export class SignalingClient extends Emitter<SignalingEvents> {
  readonly #ws: SocketLike;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();
  #closed = false;

  private constructor(ws: SocketLike) {
    super();
    this.#ws = ws;
    ws.addEventListener('message', (ev) => this.#onMessage(ev.data));
    ws.addEventListener('close', (ev) => this.#onClose(ev.code, ev.reason, false));
  }

  /** Wraps a socket that is already open. */
  static attach(ws: SocketLike): SignalingClient {
    return new SignalingClient(ws);
  }

  /**
   * Opens a socket to `url` and resolves once it is open. Rejects if it closes or errs first, or
   * does not open within `timeoutMs` (a frozen network can leave a connection attempt pending for
   * minutes, and a resume must keep trying within its window).
   */
  static connect(url: string, timeoutMs = CONNECT_TIMEOUT_MS): Promise<SignalingClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const fail = (error: SignalingError): void => {
        clearTimeout(timer);
        ws.removeEventListener('open', onOpen);
        ws.removeEventListener('error', onFailed);
        ws.removeEventListener('close', onFailed);
        if (ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN) ws.close();
        reject(error);
      };
      const onFailed = (): void => fail(new SignalingError('closed', 'Could not connect to the server.'));
      const onOpen = (): void => {
        clearTimeout(timer);
        ws.removeEventListener('error', onFailed);
        ws.removeEventListener('close', onFailed);
        resolve(new SignalingClient(ws));
      };
      const timer = setTimeout(() => fail(new SignalingError('timeout', 'The server did not answer in time.')), timeoutMs);
      ws.addEventListener('open', onOpen, { once: true });
      ws.addEventListener('error', onFailed, { once: true });
      ws.addEventListener('close', onFailed, { once: true });
    });
  }

  /** The signaling URL on the page's own origin. */
  static urlFor(location: Location): string {
    return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
  }

  get closed(): boolean {
    return this.#closed;
  }

  request<T extends ClientMessageType>(type: T, fields: RequestFields<T>): Promise<Reply<T>> {
    if (this.#closed) return Promise.reject(new SignalingError('closed', 'The connection is closed.'));
    const id = this.#nextId++;
    const text = JSON.stringify({ ...fields, type, id });
    if (encoder.encode(text).byteLength > MAX_MESSAGE_BYTES) {
      return Promise.reject(new SignalingError('message_too_large', `"${type}" exceeds ${MAX_MESSAGE_BYTES} bytes.`));
    }
    return new Promise<Reply<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new SignalingError('timeout', `No reply to "${type}".`));
      }, REQUEST_TIMEOUT_MS);
      this.#pending.set(id, { type, resolve: resolve as (v: unknown) => void, reject, timer });
      this.#ws.send(text);
    });
  }

  /** Closes the socket. Idempotent; pending requests are rejected with code `closed`. */
  close(): void {
    if (this.#closed) return;
    this.#ws.close(1000, 'client closed');
    this.#onClose(1000, 'client closed', true);
  }

  #onMessage(data: unknown): void {
    if (typeof data !== 'string') return this.#invalid('binary message');
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch {
      return this.#invalid('malformed JSON');
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) {
      // A reply we cannot read must still settle its request rather than leave it to time out.
      const id = typeof json === 'object' && json !== null && 'id' in json ? json.id : undefined;
      if (typeof id === 'number') this.#settle(id, new SignalingError('invalid_reply', 'The server sent an invalid reply.'));
      return this.#invalid(parsed.error.message);
    }
    const msg = parsed.data;
    switch (msg.type) {
      case 'welcome':
        return this.#settle(msg.id, undefined, msg);
      case 'result': {
        const pending = this.#pending.get(msg.id);
        if (!pending) return;
        const shaped = RESULTS[pending.type].safeParse(msg.result);
        if (!shaped.success) return this.#settle(msg.id, new SignalingError('invalid_reply', shaped.error.message));
        return this.#settle(msg.id, undefined, shaped.data);
      }
      case 'error': {
        const err = new SignalingError(msg.code, msg.message);
        if (msg.id === null) return this.emit('protocolError', err);
        return this.#settle(msg.id, err);
      }
      default:
        this.emit('event', msg);
        (this.emit as (type: ServerEvent['type'], ev: ServerEvent) => void)(msg.type, msg);
    }
  }

  #settle(id: number, err?: SignalingError, value?: unknown): void {
    const pending = this.#pending.get(id);
    if (!pending) return;
    this.#pending.delete(id);
    clearTimeout(pending.timer);
    if (err) pending.reject(err);
    else pending.resolve(value);
  }

  #invalid(why: string): void {
    this.emit('protocolError', new SignalingError('invalid_reply', `Ignored a server message: ${why}`));
  }

  #onClose(code: number, reason: string, local: boolean): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const [id, pending] of this.#pending) {
      clearTimeout(pending.timer);
      this.#pending.delete(id);
      pending.reject(new SignalingError('closed', 'The connection closed before a reply arrived.'));
    }
    this.emit('close', { code, reason, local });
    this.removeAllListeners();
  }
}
