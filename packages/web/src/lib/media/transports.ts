/**
 * MediaTransports owns the two mediasoup-client transports of one `setupMedia` (send, absent for
 * view-only attendees, and recv): it answers their `connect` and `produce` events over signaling
 * and keeps them connected. When a transport's connection fails, or stays disconnected for
 * DISCONNECTED_GRACE_MS, while signaling is up, it asks the server for new ICE parameters and
 * restarts ICE with fresh ICE servers (TURN credentials) from the reply (again every RETRY_MS while it stays down). With signaling down it waits: the
 * session's resume sets media up anew. close() closes both, and with them every producer and consumer.
 */
import type { IceServer, RequestResult, RoomState, TrackSource } from '@parley/protocol';
import type { Device, types } from 'mediasoup-client';
import type { SignalingClient } from '../signaling.js';
import { asIceParameters, asIceServers, asTransportOptions, toJson } from './mediasoupTypes.js';

const DISCONNECTED_GRACE_MS = 2000;
const RETRY_MS = 4000;

/** What each producer carries in its appData: the Parley source the server needs with `publish`. */
export interface ProducerAppData extends types.AppData {
  source: TrackSource;
}

export class MediaTransports {
  readonly send: types.Transport<types.AppData> | null;
  readonly recv: types.Transport<types.AppData>;
  readonly #signaling: SignalingClient;
  readonly #watchdogs: (() => void)[] = [];
  #closed = false;

  /** `peerConnection`: extra RTCPeerConnection settings for both transports (end-to-end encryption's fallback path). */
  constructor(
    device: Device,
    signaling: SignalingClient,
    setup: RequestResult<'setupMedia'>,
    ice: Pick<RoomState['media'], 'iceServers' | 'iceTransportPolicy'>,
    peerConnection?: Partial<RTCConfiguration>,
  ) {
    this.#signaling = signaling;
    const extra = peerConnection ? { additionalSettings: peerConnection } : {};
    this.recv = device.createRecvTransport({ ...asTransportOptions(setup.recv, ice), ...extra });
    this.#wire(this.recv);
    try {
      this.send = setup.send ? device.createSendTransport({ ...asTransportOptions(setup.send, ice), ...extra }) : null;
    } catch (err) {
      this.close();
      throw err;
    }
    if (this.send) {
      this.#wire(this.send);
      this.send.on('produce', ({ kind, rtpParameters, appData }, callback, errback) => {
        const { source } = appData as ProducerAppData;
        signaling.request('publish', { source, kind, rtpParameters: toJson(rtpParameters) }).then(({ trackId }) => callback({ id: trackId }), errback);
      });
    }
  }

  /** New ICE servers (fresh TURN credentials) for the candidates both transports gather next. */
  async updateIceServers(iceServers: readonly IceServer[]): Promise<void> {
    if (this.#closed) return;
    const servers = asIceServers(iceServers);
    await Promise.all(
      [this.send, this.recv].map(async (transport) => {
        if (!transport || transport.closed) return;
        try {
          await transport.updateIceServers({ iceServers: servers });
        } catch (err) {
          if (!this.#closed) console.warn('could not update the ICE servers', err);
        }
      }),
    );
  }

  get closed(): boolean {
    return this.#closed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const stop of this.#watchdogs) stop();
    this.send?.close();
    this.recv.close();
  }

  #wire(transport: types.Transport<types.AppData>): void {
    const transportId = transport.id;
    transport.on('connect', ({ dtlsParameters }, callback, errback) => {
      this.#signaling.request('connectTransport', { transportId, dtlsParameters: toJson(dtlsParameters) }).then(() => callback(), errback);
    });
    this.#watchdogs.push(this.#watch(transport));
  }

  /** Restarts ICE when `transport` breaks; returns the function that stops watching. */
  #watch(transport: types.Transport<types.AppData>): () => void {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let restarting = false;
    const clear = (): void => {
      if (timer) clearTimeout(timer);
      timer = null;
    };
    const broken = (): boolean => transport.connectionState === 'failed' || transport.connectionState === 'disconnected';
    const schedule = (ms: number): void => {
      clear();
      timer = setTimeout(() => void restart(), ms);
    };
    const restart = async (): Promise<void> => {
      timer = null;
      if (this.#closed || restarting || !broken()) return;
      // Without signaling there is nobody to ask: the session's resume replaces the transports.
      if (this.#signaling.closed) return;
      restarting = true;
      try {
        const { iceParameters, iceServers } = await this.#signaling.request('restartIce', { transportId: transport.id });
        if (!this.#closed) {
          // Fresh TURN credentials first: the ones from the join may have expired by now.
          await transport.updateIceServers({ iceServers: asIceServers(iceServers) });
          await transport.restartIce({ iceParameters: asIceParameters(iceParameters) });
        }
        console.info(`Parley media: ICE restarted on the ${transport.direction} transport`);
      } catch (err) {
        if (!this.#closed) console.warn('ICE restart failed', err);
      } finally {
        restarting = false;
      }
      if (!this.#closed && broken()) schedule(RETRY_MS);
    };
    const onState = (state: types.ConnectionState): void => {
      if (state === 'failed') schedule(0);
      else if (state === 'disconnected') schedule(DISCONNECTED_GRACE_MS);
      else if (state === 'connected' || state === 'closed') clear();
    };
    transport.on('connectionstatechange', onState);
    return () => {
      clear();
      transport.off('connectionstatechange', onState);
    };
  }
}
