/**
 * Test helpers over the public contract: an SFU on the locally built worker, and peers that are
 * real WebRTC clients (WrtcClient) joined to a room through SfuControl calls only.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as mediasoup from 'mediasoup';
import { createSfu } from '../index.js';
import type { SfuControl, SfuOptions, TrackSource } from '../types.js';
import { WrtcClient, type Publication } from './wrtc-client.js';
import { eventually } from './eventually.js';
import type { Sfu, SfuInternals } from '../sfu.js';

/**
 * The worker binary: MEDIASOUP_WORKER_BIN, else mediasoup's own if it was installed, else the
 * project's offline build (scripts/build-mediasoup-worker.sh, cached; builds it if missing).
 */
function workerBin(): string | undefined {
  if (process.env.MEDIASOUP_WORKER_BIN || existsSync(mediasoup.workerBin)) return undefined;
  const script = fileURLToPath(new URL('../../../../scripts/build-mediasoup-worker.sh', import.meta.url));
  const root = fileURLToPath(new URL('../../../../', import.meta.url));
  return execFileSync('bash', [script, '--print-path'], { cwd: root, encoding: 'utf8' }).trim();
}

const bin = workerBin();

/** An SFU with one worker unless told otherwise (tests must pass on a busy 2-core machine). */
export async function startSfu(options: SfuOptions = {}): Promise<SfuControl> {
  return createSfu({ workers: 1, ...(bin ? { workerBin: bin } : {}), ...options });
}

/**
 * The mediasoup objects behind an SFU (test-only inspection). Looked up by shape, not by class: a
 * server started from @parley/sfu's build and a test importing its sources hold different classes.
 */
export function internals(sfu: SfuControl): SfuInternals {
  const inspect = (sfu as Partial<Pick<Sfu, 'internals'>>).internals;
  if (typeof inspect !== 'function') throw new Error('not an Sfu');
  return inspect.call(sfu);
}

export interface TestPeer {
  id: string;
  client: WrtcClient;
  /** The IDs of the transports it was created with. */
  transports: { send: string; recv: string };
  publish(source: TrackSource, options?: { simulcast?: boolean; loud?: boolean; paused?: boolean }): Promise<Publication>;
  /** subscribe + consume + resumeSubscription. */
  receive(trackId: string): Promise<void>;
  close(): void;
}

let trackSeq = 0;

export async function joinPeer(sfu: SfuControl, roomId: string, peerId: string): Promise<TestPeer> {
  const { rtpCapabilities } = await sfu.openRoom(roomId);
  const client = await WrtcClient.create(rtpCapabilities);
  await sfu.createPeer(roomId, peerId, client.rtpCapabilities);
  const send = await sfu.createTransport(peerId, 'send');
  client.openSend(send, (dtls) => sfu.connectTransport(peerId, send.id, dtls));
  const recv = await sfu.createTransport(peerId, 'recv');
  client.openRecv(recv, (dtls) => sfu.connectTransport(peerId, recv.id, dtls));
  return {
    id: peerId,
    client,
    transports: { send: send.id, recv: recv.id },
    publish: (source, options = {}) =>
      client.publish({
        kind: source === 'microphone' || source === 'screen-audio' ? 'audio' : 'video',
        ...(options.simulcast !== undefined ? { simulcast: options.simulcast } : {}),
        ...(options.loud !== undefined ? { loud: options.loud } : {}),
        produce: async (kind, rtpParameters) => {
          const trackId = `${peerId}-${source}-${++trackSeq}`;
          await sfu.produce(peerId, { trackId, kind, source, rtpParameters, paused: options.paused ?? false });
          return trackId;
        },
      }),
    receive: async (trackId) => {
      const subscription = await sfu.subscribe(peerId, trackId);
      await client.receive(subscription);
      await sfu.resumeSubscription(peerId, trackId);
    },
    close: () => client.close(),
  };
}

/** Waits until `peer` has received more packets of `trackId` than `than` (and, for video, decoded frames). */
export async function packetsArrive(peer: TestPeer, trackId: string, than = 0, video = false): Promise<number> {
  return eventually(
    async () => {
      const s = await peer.client.inbound(trackId);
      if (s.packetsReceived <= than) throw new Error(`${peer.id} got ${s.packetsReceived} packets of ${trackId}`);
      if (video && s.framesDecoded === 0) throw new Error(`${peer.id} decoded no frame of ${trackId}`);
      return s.packetsReceived;
    },
    { timeoutMs: 30_000, what: `media of ${trackId} at ${peer.id}` },
  );
}

/** Waits until the packet count of `trackId` at `peer` stops growing (over a 1.5 s window). */
export async function packetsStop(peer: TestPeer, trackId: string): Promise<number> {
  return eventually(
    async () => {
      const before = (await peer.client.inbound(trackId)).packetsReceived;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      const after = (await peer.client.inbound(trackId)).packetsReceived;
      if (after !== before) throw new Error(`${peer.id} still receives ${trackId} (${before} -> ${after})`);
      return after;
    },
    { timeoutMs: 30_000, intervalMs: 0, what: `${trackId} stopped at ${peer.id}` },
  );
}
