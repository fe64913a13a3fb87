/**
 * One client's signaling socket: the protocol state machine (new → ready → joined → closed), input
 * validation, per-socket rate limiting, and dispatch of requests into the meeting's room. Every
 * request gets exactly one reply; bad input gets a coded error and changes nothing.
 */
import {
  PROTOCOL_VERSION,
  ParleyError,
  type ClientMessage,
  type ClientRequest,
  type ServerMessage,
} from '@parley/protocol';
import type { WebSocket } from 'ws';
import type { Logger } from '../log.js';
import type { Meetings } from '../meetings/meetings.js';
import type { ByeReason, ParticipantSink } from '../rooms/participant.js';
import type { RoomRegistry } from '../rooms/registry.js';
import { RoomClosedError, type Room } from '../rooms/room.js';
import { decode } from './codec.js';
import { TokenBucket } from './rate-limiter.js';

export interface ConnectionDeps {
  meetings: Meetings;
  rooms: RoomRegistry;
  log: Logger;
  serverBuild: string;
}

type State = 'new' | 'ready' | 'joining' | 'joined' | 'closed';

/** A peer that lets this much unsent data pile up is too slow to keep: drop it. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
const HELLO_TIMEOUT_MS = 10_000;
/** Requests refused for rate before the socket is closed as abusive. */
const MAX_RATE_VIOLATIONS = 100;

export class SignalingConnection implements ParticipantSink {
  readonly #ws: WebSocket;
  readonly #deps: ConnectionDeps;
  readonly #log: Logger;
  readonly #clientAddress: string;
  readonly #bucket = new TokenBucket(30, 60);
  readonly #helloTimer: NodeJS.Timeout;
  #state: State = 'new';
  #room: Room | undefined;
  #participantId: string | undefined;
  #rateViolations = 0;

  constructor(ws: WebSocket, clientAddress: string, deps: ConnectionDeps) {
    this.#ws = ws;
    this.#deps = deps;
    this.#clientAddress = clientAddress;
    this.#log = deps.log.child({ clientAddress });
    this.#helloTimer = setTimeout(() => this.close('protocol', 'No hello received in time.'), HELLO_TIMEOUT_MS);
    ws.on('message', (data, isBinary) => this.#onFrame(data, isBinary));
    ws.on('close', () => this.#onClosed());
    ws.on('error', (err) => this.#log.warn({ err }, 'socket error'));
  }

  send(message: ServerMessage): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    if (this.#ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.#log.warn('client too slow to read its messages; dropping it');
      this.#ws.terminate();
      return;
    }
    this.#ws.send(JSON.stringify(message));
  }

  close(reason: ByeReason, message: string): void {
    if (this.#ws.readyState !== this.#ws.OPEN) return;
    this.send({ type: 'bye', reason, message });
    this.#ws.close(reason === 'shutdown' ? 1001 : 1000, reason);
  }

  #onFrame(raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const data = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    if (!this.#bucket.take()) {
      this.#rateViolations += 1;
      if (this.#rateViolations > MAX_RATE_VIOLATIONS) this.close('protocol', 'Too many messages.');
      else this.#sendError(null, new ParleyError('rate_limited'));
      return;
    }
    const decoded = decode(data, isBinary);
    if (!decoded.ok) {
      this.#log.warn({ code: decoded.error.code, reason: decoded.error.message, state: this.#state }, 'bad message');
      this.#sendError(decoded.id, decoded.error);
      return;
    }
    const message = decoded.message;
    this.#dispatch(message).catch((err: unknown) => this.#fail(message, err));
  }

  async #dispatch(message: ClientMessage): Promise<void> {
    if (message.type === 'hello') return this.#hello(message);
    if (this.#state === 'new') throw new ParleyError('wrong_state', 'send hello first');
    if (message.type === 'join') return this.#join(message);
    if (this.#state !== 'joined' || !this.#room || !this.#participantId) {
      throw new ParleyError('wrong_state', 'join a meeting first');
    }
    const room = this.#room;
    const id = this.#participantId;
    const reply = this.#replier(message.id);
    switch (message.type) {
      case 'publish':
        return room.publish(id, message, reply);
      case 'unpublish':
        return room.unpublish(id, message, reply);
      case 'answer':
        return room.answer(id, message, reply);
      case 'setMuted':
        return room.setMuted(id, message, reply);
      case 'leave':
        this.#state = 'closed';
        await room.remove(id, 'left');
        reply({});
        this.close('left', 'You left the meeting.');
        return;
    }
  }

  #hello(message: ClientRequest<'hello'>): void {
    if (this.#state !== 'new') throw new ParleyError('wrong_state', 'hello was already sent');
    clearTimeout(this.#helloTimer);
    if (message.protocolVersion !== PROTOCOL_VERSION) {
      this.#log.info({ clientBuild: message.clientBuild, protocolVersion: message.protocolVersion }, 'outdated client');
      throw new ParleyError('update_required', `this server speaks protocol ${PROTOCOL_VERSION}; reload the page`);
    }
    this.#state = 'ready';
    this.#log.debug({ clientBuild: message.clientBuild }, 'hello');
    this.send({ type: 'welcome', id: message.id, protocolVersion: PROTOCOL_VERSION, serverBuild: this.#deps.serverBuild });
  }

  async #join(message: ClientRequest<'join'>): Promise<void> {
    if (this.#state !== 'ready') throw new ParleyError('wrong_state', 'already joined or joining');
    this.#state = 'joining';
    try {
      const meeting = await this.#deps.meetings.admit(message.meetingId, message.passcode, this.#clientAddress);
      const { room, participant } = await this.#deps.rooms.join(
        meeting,
        { displayName: message.displayName, clientAddress: this.#clientAddress, sink: this },
        this.#replier(message.id),
      );
      this.#room = room;
      this.#participantId = participant.id;
      if (this.#socketGone()) {
        // The socket closed while the join was in flight.
        await room.remove(participant.id, 'disconnected');
        return;
      }
      this.#state = 'joined';
    } catch (err) {
      if (this.#state === 'joining') this.#state = 'ready';
      throw err instanceof RoomClosedError ? new ParleyError('shutting_down') : err;
    }
  }

  #socketGone(): boolean {
    return this.#state === 'closed';
  }

  /** The reply function for one request; the room calls it once, at the right moment. */
  #replier(id: number): (result: object) => void {
    return (result) => this.send({ type: 'result', id, result });
  }

  #fail(message: ClientMessage, err: unknown): void {
    if (err instanceof ParleyError) {
      this.#log.info({ type: message.type, code: err.code, reason: err.message }, 'request refused');
      this.#sendError(message.id, err);
    } else {
      this.#log.error({ err, type: message.type }, 'request failed');
      this.#sendError(message.id, new ParleyError('internal'));
    }
  }

  #sendError(id: number | null, error: ParleyError): void {
    this.send({ type: 'error', id, code: error.code, message: error.message });
  }

  #onClosed(): void {
    clearTimeout(this.#helloTimer);
    const wasJoined = this.#state === 'joined';
    this.#state = 'closed';
    if (wasJoined && this.#room && this.#participantId) {
      this.#room.remove(this.#participantId, 'disconnected').catch((err: unknown) => this.#log.error({ err }, 'removal failed'));
    }
  }
}
