/**
 * One of a peer's two WebRTC connections with the SFU: owns the werift RTCPeerConnection, runs its
 * negotiations one at a time, and reports its state. The SFU is an ICE-lite agent, which never
 * gives up on its own, so a watchdog reports `failed` when a negotiated connection does not come
 * up in time.
 */
import type { RTCPeerConnection } from 'werift';
import { SfuError } from './errors.js';
import { DEFAULT_LIVENESS, LivenessWatch, receivedSoFar, type LivenessOptions } from './liveness.js';
import { SerialQueue } from './serial-queue.js';
import type { ConnectionRole, ConnectionState, SfuOptions } from './types.js';
import { createSfuPeerConnection } from './werift-glue.js';

export interface ConnectionInit {
  role: ConnectionRole;
  options: SfuOptions;
  onState: (state: ConnectionState) => void;
  connectTimeoutMs: number;
  liveness?: LivenessOptions;
}

export class Connection {
  readonly role: ConnectionRole;
  readonly pc: RTCPeerConnection;
  readonly #queue = new SerialQueue();
  readonly #onState: (state: ConnectionState) => void;
  readonly #connectTimeoutMs: number;
  readonly #unsubscribeState: () => void;
  #state: ConnectionState = 'new';
  #watchdog: NodeJS.Timeout | undefined;
  #liveness: LivenessWatch | undefined;
  readonly #livenessOptions: LivenessOptions;
  readonly #transportsWatched = new Set<object>();
  #closed = false;
  /** Rejects when the connection closes: werift leaves a negotiation pending forever if closed mid-way. */
  readonly #closedSignal: Promise<never>;
  #signalClosed: () => void = () => undefined;

  constructor(init: ConnectionInit) {
    this.#closedSignal = new Promise<never>((_, reject) => {
      this.#signalClosed = () => reject(new SfuError('unknown-peer', `${init.role} connection closed`));
    });
    this.#closedSignal.catch(() => undefined);
    this.role = init.role;
    this.#onState = init.onState;
    this.#connectTimeoutMs = init.connectTimeoutMs;
    this.#livenessOptions = init.liveness ?? DEFAULT_LIVENESS;
    this.pc = createSfuPeerConnection(init.options);
    this.#unsubscribeState = this.pc.connectionStateChange.subscribe((state) => this.#onPcState(state)).unSubscribe;
  }

  get state(): ConnectionState {
    return this.#state;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Runs a negotiation step after the previous ones; rejects once the connection is closed. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#closed) return Promise.reject(new SfuError('unknown-peer', `${this.role} connection is closed`));
    return this.#queue.run(async () => {
      if (this.#closed) throw new SfuError('unknown-peer', `${this.role} connection is closed`);
      return Promise.race([task(), this.#closedSignal]);
    });
  }

  /** Called once descriptions are exchanged: from now on the client should connect. */
  armWatchdog(): void {
    this.#watchTransports();
    if (this.#closed || this.#watchdog || this.#state === 'connected') return;
    this.#watchdog = setTimeout(() => {
      this.#watchdog = undefined;
      if (this.#state === 'new' || this.#state === 'connecting') this.#setState('failed');
    }, this.#connectTimeoutMs);
    this.#watchdog.unref();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#signalClosed();
    this.#clearWatchdog();
    this.#liveness?.close();
    // Closing is the room's decision: it is not reported back as a state change.
    this.#unsubscribeState();
    await this.pc.close().catch(() => undefined);
  }

  #onPcState(state: ConnectionState): void {
    this.#setState(state);
    if (state === 'connected' && !this.#liveness && !this.#closed) {
      this.#liveness = new LivenessWatch(
        () => receivedSoFar(this.pc),
        (liveness) => this.#setState(liveness === 'alive' ? 'connected' : liveness === 'silent' ? 'disconnected' : 'failed'),
        this.#livenessOptions,
      );
    }
  }

  /** A browser's pc.close() sends a DTLS close alert; werift marks the transport closed but not the connection. */
  #watchTransports(): void {
    for (const transport of this.pc.dtlsTransports) {
      if (this.#transportsWatched.has(transport)) continue;
      this.#transportsWatched.add(transport);
      transport.onStateChange.subscribe((state) => {
        if (state === 'closed' && !this.#closed) this.#setState('closed');
      });
    }
  }

  #setState(state: ConnectionState): void {
    if (this.#closed || state === this.#state) return;
    // After the watchdog declared failure, only a real connection may revive it.
    if (this.#state === 'failed' && state !== 'connected' && state !== 'closed') return;
    if (state === 'connected' || state === 'failed' || state === 'closed') this.#clearWatchdog();
    if (state === 'failed' || state === 'closed') this.#liveness?.close();
    this.#state = state;
    this.#onState(state);
  }

  #clearWatchdog(): void {
    if (this.#watchdog) clearTimeout(this.#watchdog);
    this.#watchdog = undefined;
  }
}
