/**
 * One client's signaling socket: the protocol state machine (new → ready → joining → waiting |
 * joined → closed; `resume` goes from ready straight to joined), input validation, per-socket rate
 * limiting, a keepalive, and dispatch of requests into the meeting's room. Every request gets
 * exactly one reply; bad input gets a coded error and changes nothing. Who the client is comes from
 * the session cookie on the WebSocket upgrade. A joined socket that goes away without `leave`
 * leaves the participant's place open for their resume.
 */
import {
  PROTOCOL_VERSION,
  ParleyError,
  browserShortfall,
  outdatedBrowserText,
  parseUserAgent,
  type BrowserVersion,
  type ClientMessage,
  type ClientRequest,
  type ServerMessage,
} from '@parley/protocol';
import type { WebSocket } from 'ws';
import type { UserRecord } from '../accounts/users.js';
import type { ClientBuilds } from '../clients/builds.js';
import type { ClientDescription } from '../clients/registry.js';
import type { Logger } from '../log.js';
import type { EntryKind, Metrics } from '../metrics/metrics.js';
import type { Meetings } from '../meetings/meetings.js';
import type { PolicySource } from '../policy/policy-store.js';
import type { ByeReason, Entrant, ParticipantSink } from '../rooms/participant.js';
import type { RoomRegistry } from '../rooms/registry.js';
import { RoomClosedError, type Room } from '../rooms/room.js';
import type { Cluster } from '../cluster/cluster.js';
import { relayIfElsewhere, type Relay } from '../cluster/relay.js';
import { decode } from './codec.js';
import { RateGuard } from './rate-limiter.js';

export interface ConnectionDeps {
  meetings: Meetings;
  rooms: RoomRegistry;
  log: Logger;
  serverBuild: string;
  /** The web client build served, and which builds are accepted (C1). */
  builds: ClientBuilds;
  /** The organization's policy (minimum browser versions, the support contact). */
  policy: PolicySource;
  /** How long a socket may take to send `hello`, and then `join`. */
  handshakeTimeoutMs: number;
  /** Counts frames, errors and the time to media (monitoring); optional. */
  metrics?: Pick<Metrics, 'messageReceived' | 'errorSent' | 'mediaSetUp' | 'firstFrame'>;
  /** Several nodes: a meeting whose room runs on another node is reached through a relay (cluster/relay.ts). */
  cluster?: Cluster;
}

type State = 'new' | 'ready' | 'joining' | 'waiting' | 'joined' | 'relayed' | 'closed';

/** A peer that lets this much unsent data pile up is too slow to keep: drop it. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/**
 * Every socket is pinged this often; one that has not answered the previous ping is gone (a frozen
 * network), so the participant shows as reconnecting within two intervals.
 */
const KEEPALIVE_MS = 10_000;

export class SignalingConnection implements ParticipantSink {
  readonly #ws: WebSocket;
  readonly #deps: ConnectionDeps;
  readonly #log: Logger;
  readonly #clientAddress: string;
  readonly #user: UserRecord | undefined;
  readonly #deviceId: string | null;
  readonly #rate = new RateGuard();
  #idleTimer: NodeJS.Timeout | undefined;
  readonly #keepalive: NodeJS.Timeout;
  #alive = true;
  #state: State = 'new';
  #room: Room | undefined;
  #participantId: string | undefined;
  /** How this socket got in, and when (until its first setupMedia completes). */
  #entry: EntryKind | undefined;
  #admittedAt: number | undefined;
  /** When this socket was admitted, until its client reports its first decoded remote video frame. */
  #awaitingFirstFrameSince: number | undefined;
  /** What the client said it is (build) and what its User-Agent says; set at hello. */
  readonly #browser: BrowserVersion;
  #clientBuild: string | undefined;
  readonly #connectedAt = Date.now();
  #meetingId: string | undefined;
  #displayName: string | undefined;
  /** Several nodes: what a relay to the meeting's node needs, and the relay once this socket is a pipe. */
  readonly #relayInit: { cookie: string | undefined; userAgent: string | undefined };
  #helloText: string | undefined;
  #relay: Relay | undefined;

  constructor(
    ws: WebSocket,
    init: { clientAddress: string; user: UserRecord | undefined; deviceId: string | null; userAgent?: string | undefined; cookie?: string | undefined },
    deps: ConnectionDeps,
  ) {
    this.#ws = ws;
    this.#relayInit = { cookie: init.cookie, userAgent: init.userAgent };
    this.#deps = deps;
    this.#clientAddress = init.clientAddress;
    this.#user = init.user;
    this.#deviceId = init.deviceId;
    this.#browser = parseUserAgent(init.userAgent);
    this.#log = deps.log.child({ clientAddress: init.clientAddress, userId: init.user?.id });
    this.#armIdle('No hello received in time.');
    this.#keepalive = setInterval(() => {
      if (!this.#alive) {
        this.#log.info('socket stopped answering pings; dropping it');
        this.#ws.terminate();
        return;
      }
      this.#alive = false;
      if (this.#ws.readyState === this.#ws.OPEN) this.#ws.ping();
    }, KEEPALIVE_MS);
    this.#keepalive.unref();
    ws.on('pong', () => (this.#alive = true));
    ws.on('message', (data, isBinary) => this.#onFrame(data, isBinary));
    ws.on('close', () => this.#onClosed());
    ws.on('error', (err) => this.#log.warn({ err }, 'socket error'));
  }

  /** The account this socket was opened with (from the upgrade's session cookie), if any. */
  get userId(): string | null {
    return this.#user?.id ?? null;
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

  drop(): void {
    this.#state = 'closed';
    if (this.#ws.readyState === this.#ws.OPEN) this.#ws.close(1000);
  }

  /** What the Clients view lists: once the client said hello, until its socket closes. */
  describe(): ClientDescription | undefined {
    if (this.#clientBuild === undefined || this.#state === 'closed' || this.#state === 'relayed') return undefined;
    return { build: this.#clientBuild, browser: this.#browser, meetingId: this.#meetingId ?? null, displayName: this.#displayName ?? null, connectedAt: this.#connectedAt };
  }

  /**
   * A new build is served (or the policy's minimum changed): tells the client, which offers a reload,
   * or reloads at once when its build is no longer accepted. `onlyIfRequired`: say nothing otherwise.
   */
  tellBuild(served: string, onlyIfRequired = false): void {
    if (this.#clientBuild === undefined || this.#clientBuild === served) return;
    const required = !this.#deps.builds.accepts(this.#clientBuild);
    if (onlyIfRequired && !required) return;
    this.send({ type: 'clientBuild', build: served, required });
  }

  admitted(participantId: string, room: Room): void {
    this.#participantId = participantId;
    this.#room = room;
    this.#admittedAt = performance.now();
    this.#awaitingFirstFrameSince = this.#admittedAt;
    if (this.#state === 'waiting' || this.#state === 'joining') this.#state = 'joined';
  }

  #onFrame(raw: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    const data = Buffer.isBuffer(raw) ? raw : Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
    const rate = this.#rate.frame();
    if (rate !== 'ok') {
      this.#deps.metrics?.messageReceived('rate_limited');
      if (rate === 'abusive') this.close('protocol', 'Too many messages.');
      else this.#sendError(null, new ParleyError('rate_limited'));
      return;
    }
    if (this.#relay) {
      this.#relay.forward(data, isBinary);
      return;
    }
    const decoded = decode(data, isBinary);
    if (!decoded.ok) {
      this.#deps.metrics?.messageReceived('invalid');
      this.#log.warn({ code: decoded.error.code, reason: decoded.error.message, state: this.#state }, 'bad message');
      this.#sendError(decoded.id, decoded.error);
      return;
    }
    const message = decoded.message;
    this.#deps.metrics?.messageReceived(message.type);
    this.#dispatch(message).catch((err: unknown) => this.#fail(message, err));
  }

  async #dispatch(message: ClientMessage): Promise<void> {
    if (message.type === 'hello') return this.#hello(message);
    if (this.#state === 'new') throw new ParleyError('wrong_state', 'send hello first');
    if (message.type === 'join') return this.#join(message);
    if (message.type === 'resume') return this.#resume(message);
    if (message.type === 'leave') return this.#leave(message);
    if (this.#state === 'waiting') throw new ParleyError('wrong_state', 'waiting in the lobby');
    if (this.#state !== 'joined' || !this.#room || !this.#participantId) throw new ParleyError('wrong_state', 'join a meeting first');
    if (message.type === 'firstFrame') return this.#firstFrame(message);
    return this.#room.handle(this.#participantId, message, this.#replier(message.id, message.type === 'setupMedia'));
  }

  #hello(message: ClientRequest<'hello'>): void {
    if (this.#state !== 'new') throw new ParleyError('wrong_state', 'hello was already sent');
    clearTimeout(this.#idleTimer);
    if (message.protocolVersion !== PROTOCOL_VERSION) {
      this.#log.info({ clientBuild: message.clientBuild, protocolVersion: message.protocolVersion }, 'outdated client');
      throw new ParleyError('update_required', `this server speaks protocol ${PROTOCOL_VERSION}; reload the page`);
    }
    const { builds, policy } = this.#deps;
    if (!builds.accepts(message.clientBuild)) {
      this.#log.info({ clientBuild: message.clientBuild, minimum: builds.minimum() }, 'outdated client build');
      throw new ParleyError('update_required', `this client build is older than ${builds.minimum()}; reload the page`);
    }
    const { minimumBrowsers, supportContact } = policy.current();
    const minimum = browserShortfall(this.#browser, minimumBrowsers);
    if (minimum !== null) {
      this.#log.info({ browser: this.#browser, minimum }, 'outdated browser');
      throw new ParleyError('browser_outdated', outdatedBrowserText(this.#browser, minimum, supportContact));
    }
    this.#state = 'ready';
    this.#clientBuild = message.clientBuild;
    this.#helloText = JSON.stringify(message);
    this.#armIdle('No join received in time.');
    this.#log.debug({ clientBuild: message.clientBuild }, 'hello');
    this.send({ type: 'welcome', id: message.id, protocolVersion: PROTOCOL_VERSION, serverBuild: this.#deps.serverBuild });
    this.tellBuild(builds.served);
  }

  async #join(message: ClientRequest<'join'>): Promise<void> {
    if (this.#state !== 'ready') throw new ParleyError('wrong_state', 'already joined or joining');
    const user = this.#user;
    const displayName = user?.display_name ?? message.displayName;
    if (!displayName) throw new ParleyError('bad_request', 'displayName: guests must give a name');
    this.#state = 'joining';
    this.#entry = 'join';
    clearTimeout(this.#idleTimer);
    try {
      if (await this.#relayed(message.meetingId, message)) return;
      const meeting = await this.#deps.meetings.admit(message.meetingId, message.passcode, user, this.#clientAddress);
      const entrant = this.#entrant(displayName, user !== undefined && meeting.hostUserId === user.id);
      this.#meetingId = meeting.meeting.id;
      this.#displayName = displayName;
      const room = await this.#deps.rooms.enter(meeting, entrant, (result) => {
        if (result.status === 'waiting') this.#state = 'waiting';
        this.send({ type: 'result', id: message.id, result });
      });
      this.#room = room;
      if (this.#socketGone()) await this.#leaveRoom('disconnected');
    } catch (err) {
      if (this.#state === 'joining') {
        this.#state = 'ready';
        this.#armIdle('No join received in time.');
      }
      throw err instanceof RoomClosedError ? new ParleyError('shutting_down') : err;
    }
  }

  /**
   * Back as the same participant with a resume credential. Any failure (unknown, used or expired
   * credential, another account's) is one answer, `resume_expired`: the client then joins anew.
   */
  async #resume(message: ClientRequest<'resume'>): Promise<void> {
    if (this.#state !== 'ready') throw new ParleyError('wrong_state', 'already joined or joining');
    this.#state = 'joining';
    this.#entry = 'resume';
    clearTimeout(this.#idleTimer);
    try {
      if (await this.#relayed(message.meetingId, message)) return;
      const record = await this.#deps.rooms.resumeStore.take(message.meetingId, message.participantId, message.token);
      if (!record || record.userId !== (this.#user?.id ?? null)) {
        this.#log.info({ meetingId: message.meetingId }, 'resume refused');
        throw new ParleyError('resume_expired');
      }
      const meetings = this.#deps.meetings;
      const load = async () => meetings.forResume(record.meetingId);
      const facts = await load();
      const entrant = this.#entrant(record.displayName, this.#user !== undefined && facts.hostUserId === this.#user.id);
      this.#meetingId = record.meetingId;
      this.#displayName = record.displayName;
      const room = await this.#deps.rooms.resume(load, record, entrant, (result) => this.send({ type: 'result', id: message.id, result }));
      this.#room = room;
      if (this.#socketGone()) await this.#detach();
    } catch (err) {
      if (this.#state === 'joining') this.#state = 'ready';
      throw err instanceof RoomClosedError ? new ParleyError('shutting_down') : err;
    }
  }

  /**
   * Several nodes: when the meeting's room runs on another node, this socket becomes a pipe to it
   * (the request that named the meeting goes there too, and everything after it). True if so.
   */
  async #relayed(meetingId: string, request: ClientMessage): Promise<boolean> {
    const cluster = this.#deps.cluster;
    if (!cluster?.clustered || this.#helloText === undefined) return false;
    const relay = await relayIfElsewhere(
      cluster,
      meetingId,
      { clientAddress: this.#clientAddress, cookie: this.#relayInit.cookie, userAgent: this.#relayInit.userAgent, hello: this.#helloText, first: JSON.stringify(request) },
      {
        sendText: (text) => {
          if (this.#ws.readyState === this.#ws.OPEN) this.#ws.send(text);
        },
        close: (code, reason) => {
          if (this.#ws.readyState === this.#ws.OPEN) this.#ws.close(code, reason);
        },
        drop: () => this.#ws.terminate(),
      },
    );
    if (!relay) return false;
    if (this.#state === 'closed') {
      relay.close();
      return true;
    }
    this.#relay = relay;
    this.#state = 'relayed';
    this.#log.debug({ meetingId }, 'relayed to the meeting node');
    return true;
  }

  #entrant(displayName: string, isOwner: boolean): Entrant {
    const user = this.#user;
    return {
      identity: user ? (user.org_role === 'external' ? 'external' : 'member') : 'guest',
      userId: user?.id ?? null,
      email: user?.email ?? null,
      displayName,
      clientAddress: this.#clientAddress,
      isOwner,
      deviceId: this.#deviceId,
      sink: this,
    };
  }

  /** The socket went away: a participant keeps their place for a resume; a lobby place is given up. */
  async #detach(): Promise<void> {
    const room = this.#room;
    if (!room) return;
    if (this.#participantId) await room.detach(this.#participantId, this);
    else await room.leaveLobby(this);
  }

  async #leave(message: ClientRequest<'leave'>): Promise<void> {
    const before = this.#state;
    if (before !== 'joined' && before !== 'waiting') throw new ParleyError('wrong_state', 'not in a meeting');
    this.#state = 'closed';
    try {
      await this.#leaveRoom('left', message.handOverTo);
    } catch (err) {
      // The room refused the choice of successor: still in the meeting (or, if the socket went meanwhile, reconnecting).
      if (this.#ws.readyState === this.#ws.OPEN) this.#state = before;
      else await this.#detach();
      throw err;
    }
    this.send({ type: 'result', id: message.id, result: {} });
    this.close('left', 'You left the meeting.');
  }

  async #leaveRoom(reason: 'left' | 'disconnected', handOverTo?: string): Promise<void> {
    const room = this.#room;
    if (!room) return;
    if (this.#participantId) await room.leave(this.#participantId, reason, handOverTo);
    else await room.leaveLobby(this);
  }

  #socketGone(): boolean {
    return this.#state === 'closed';
  }

  /** The reply function for one request; the room calls it once, at the right moment. */
  #replier(id: number, mediaSetup = false): (result: object) => void {
    return (result) => {
      if (mediaSetup) this.#mediaSetUp();
      this.send({ type: 'result', id, result });
    };
  }

  /** The client's first decoded remote video frame since admission: timed once, later reports ignored. */
  #firstFrame(message: ClientRequest<'firstFrame'>): void {
    const since = this.#awaitingFirstFrameSince;
    this.#awaitingFirstFrameSince = undefined;
    if (since !== undefined && this.#entry !== undefined) this.#deps.metrics?.firstFrame(this.#entry, (performance.now() - since) / 1000);
    this.send({ type: 'result', id: message.id, result: {} });
  }

  /** The first setupMedia since admission completed: how long it took (later ones are fresh starts, not counted). */
  #mediaSetUp(): void {
    if (this.#admittedAt === undefined || this.#entry === undefined) return;
    this.#deps.metrics?.mediaSetUp(this.#entry, (performance.now() - this.#admittedAt) / 1000);
    this.#admittedAt = undefined;
  }

  #fail(message: ClientMessage, err: unknown): void {
    if (err instanceof ParleyError) {
      this.#log.info({ type: message.type, code: err.code, reason: err.message }, 'request refused');
      this.#sendError(message.id, err);
      // A client that must reload (or whose browser must be updated) can do nothing more on this socket.
      if (message.type === 'hello' && (err.code === 'update_required' || err.code === 'browser_outdated')) this.drop();
    } else {
      this.#log.error({ err, type: message.type }, 'request failed');
      this.#sendError(message.id, new ParleyError('internal'));
    }
  }

  #sendError(id: number | null, error: ParleyError): void {
    this.#deps.metrics?.errorSent(error.code);
    this.send({ type: 'error', id, code: error.code, message: error.message });
  }

  /** A socket that has neither said hello nor joined (and so holds no place anywhere) is closed after a while. */
  #armIdle(message: string): void {
    clearTimeout(this.#idleTimer);
    this.#idleTimer = setTimeout(() => {
      if (this.#state === 'new' || this.#state === 'ready') this.close('protocol', message);
    }, this.#deps.handshakeTimeoutMs);
  }

  #onClosed(): void {
    clearTimeout(this.#idleTimer);
    clearInterval(this.#keepalive);
    const wasInRoom = this.#state === 'joined' || this.#state === 'waiting';
    this.#state = 'closed';
    this.#relay?.close();
    if (wasInRoom) this.#detach().catch((err: unknown) => this.#log.error({ err }, 'detach failed'));
  }
}
