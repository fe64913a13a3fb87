/**
 * One WebRTC transport of a peer (send or recv) on its worker's WebRtcServer. Owns the combined
 * connection state: ICE and DTLS folded into one RTCPeerConnection-like state, plus a deadline:
 * a transport that is not connected `connectTimeoutMs` after it was created (or after it
 * disconnected) is reported `failed`.
 */
import type { types as ms } from 'mediasoup';
import type { ConnectionState, TransportDirection, TransportOptions } from './types.js';
import { SfuError, untrusted } from './errors.js';

export interface MediaTransportOptions {
  direction: TransportDirection;
  router: ms.Router;
  webRtcServer: ms.WebRtcServer;
  initialOutgoingBitrate: number;
  maxIncomingBitrate: number;
  connectTimeoutMs: number;
  onState: (state: ConnectionState) => void;
}

export class MediaTransport {
  readonly direction: TransportDirection;
  readonly transport: ms.WebRtcTransport;
  readonly #onState: (state: ConnectionState) => void;
  readonly #connectTimeoutMs: number;
  #state: ConnectionState = 'new';
  #timer: NodeJS.Timeout | undefined;
  #connecting = false;
  #closed = false;

  private constructor(transport: ms.WebRtcTransport, options: MediaTransportOptions) {
    this.direction = options.direction;
    this.transport = transport;
    this.#onState = options.onState;
    this.#connectTimeoutMs = options.connectTimeoutMs;
    transport.on('icestatechange', () => this.#update());
    transport.on('dtlsstatechange', () => this.#update());
    this.#arm();
  }

  static async create(options: MediaTransportOptions): Promise<MediaTransport> {
    const transport = await options.router.createWebRtcTransport({
      webRtcServer: options.webRtcServer,
      enableUdp: true,
      enableTcp: true,
      preferUdp: true,
      iceConsentTimeout: 20,
      initialAvailableOutgoingBitrate: options.initialOutgoingBitrate,
    });
    try {
      if (options.direction === 'send') await transport.setMaxIncomingBitrate(options.maxIncomingBitrate);
    } catch (error) {
      transport.close();
      throw error;
    }
    return new MediaTransport(transport, options);
  }

  get id(): string {
    return this.transport.id;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** What the client's mediasoup-client needs for `createSendTransport` / `createRecvTransport`. */
  clientOptions(): TransportOptions {
    const t = this.transport;
    return {
      id: t.id,
      iceParameters: { ...t.iceParameters },
      iceCandidates: t.iceCandidates.map((c) => ({ ...c })),
      dtlsParameters: { ...t.dtlsParameters, fingerprints: t.dtlsParameters.fingerprints.map((f) => ({ ...f })) },
    };
  }

  async connect(dtlsParameters: unknown): Promise<void> {
    if (this.#connecting) throw new SfuError('invalid-state', 'connectTransport: already connected');
    this.#connecting = true;
    try {
      await untrusted('connectTransport', () => this.transport.connect({ dtlsParameters: dtlsParameters as ms.DtlsParameters }));
    } catch (error) {
      this.#connecting = false;
      throw error;
    }
  }

  async restartIce(): Promise<ms.IceParameters> {
    const iceParameters = await this.transport.restartIce();
    if (this.#state !== 'connected') this.#arm();
    return iceParameters;
  }

  /** Closes the transport (and with it its producers or consumers) silently. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.transport.close();
  }

  #update(): void {
    if (this.#closed) return;
    const next = combine(this.transport.iceState, this.transport.dtlsState);
    if (next === this.#state) return;
    this.#state = next;
    if (next === 'connected' || next === 'failed' || next === 'closed') clearTimeout(this.#timer);
    else if (next === 'disconnected') this.#arm();
    this.#onState(next);
  }

  #arm(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (this.#closed || this.#state === 'connected' || this.#state === 'failed') return;
      this.#state = 'failed';
      this.#onState('failed');
    }, this.#connectTimeoutMs);
    this.#timer.unref();
  }
}

/** ICE + DTLS as one state, in the spirit of RTCPeerConnection.connectionState. */
export function combine(ice: ms.IceState, dtls: ms.DtlsState): ConnectionState {
  if (ice === 'closed' || dtls === 'closed') return 'closed';
  if (dtls === 'failed') return 'failed';
  if (ice === 'disconnected') return 'disconnected';
  if ((ice === 'connected' || ice === 'completed') && dtls === 'connected') return 'connected';
  if (ice === 'new' && dtls === 'new') return 'new';
  return 'connecting';
}
