/**
 * Janus VideoRoom peers over its HTTP API (one session per process, one handle per peer, one
 * long poll for all of them) with plain libwebrtc RTCPeerConnections: a simulcast publisher (three
 * rid encodings, as janus.js sends them) and non-decoding subscribers that answer Janus's offer.
 */
import type { LayerStat, PeerStats } from './peer-ipc.js';
import { inboundCounts, outboundLayers, statsOf, syntheticAudio, syntheticVideo, wrtc, type PeerConnection, type Source } from './wrtc-env.js';
import { sleep, withTimeout } from './util.js';

interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
}

interface JanusEvent {
  janus: string;
  sender?: number;
  transaction?: string;
  data?: { id: number };
  plugindata?: { plugin: string; data: Record<string, unknown> };
  jsep?: Jsep;
  error?: { code: number; reason: string };
}

let transactions = 0;

export class JanusSession {
  readonly #url: string;
  readonly #id: number;
  readonly #waiters = new Map<string, (e: JanusEvent) => void>();
  #open = true;

  private constructor(url: string, id: number) {
    this.#url = url;
    this.#id = id;
    void this.#poll();
    const keepalive = setInterval(() => {
      if (!this.#open) clearInterval(keepalive);
      else void this.#post(`${this.#url}/${this.#id}`, { janus: 'keepalive' }).catch(() => undefined);
    }, 20_000);
  }

  static async create(url: string): Promise<JanusSession> {
    const reply = await JanusSession.post(url, { janus: 'create', transaction: 'create' });
    if (!reply.data) throw new Error(`janus create: ${JSON.stringify(reply)}`);
    return new JanusSession(url, reply.data.id);
  }

  static async post(url: string, body: Record<string, unknown>): Promise<JanusEvent> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as JanusEvent;
  }

  #post(url: string, body: Record<string, unknown>): Promise<JanusEvent> {
    return JanusSession.post(url, { transaction: `t${++transactions}`, ...body });
  }

  async #poll(): Promise<void> {
    while (this.#open) {
      try {
        const res = await fetch(`${this.#url}/${this.#id}?maxev=20&rid=${Date.now()}`);
        const body = (await res.json()) as JanusEvent | JanusEvent[];
        for (const e of Array.isArray(body) ? body : [body]) {
          const waiter = e.transaction ? this.#waiters.get(e.transaction) : undefined;
          if (waiter && e.janus !== 'ack') {
            this.#waiters.delete(e.transaction ?? '');
            waiter(e);
          }
        }
      } catch {
        if (this.#open) await sleep(200);
      }
    }
  }

  async attach(): Promise<number> {
    const reply = await this.#post(`${this.#url}/${this.#id}`, { janus: 'attach', plugin: 'janus.plugin.videoroom' });
    if (!reply.data) throw new Error(`janus attach: ${JSON.stringify(reply)}`);
    return reply.data.id;
  }

  /** A plugin message; resolves with its asynchronous event (or its synchronous reply). */
  async message(handle: number, body: Record<string, unknown>, jsep?: Jsep, timeoutMs = 30_000): Promise<JanusEvent> {
    const transaction = `m${++transactions}`;
    const event = new Promise<JanusEvent>((resolve) => this.#waiters.set(transaction, resolve));
    const reply = await JanusSession.post(`${this.#url}/${this.#id}/${handle}`, { janus: 'message', transaction, body, ...(jsep ? { jsep } : {}) });
    if (reply.janus === 'error') throw new Error(`janus: ${reply.error?.reason ?? 'error'}`);
    if (reply.janus === 'success') {
      this.#waiters.delete(transaction);
      return reply;
    }
    return withTimeout(event, timeoutMs, `janus ${String(body.request)}`);
  }

  async trickleDone(handle: number): Promise<void> {
    await this.#post(`${this.#url}/${this.#id}/${handle}`, { janus: 'trickle', candidate: { completed: true } });
  }

  async destroy(): Promise<void> {
    this.#open = false;
    await this.#post(`${this.#url}/${this.#id}`, { janus: 'destroy' }).catch(() => undefined);
  }
}

async function gathered(pc: PeerConnection, timeoutMs = 3000): Promise<void> {
  if (pc.iceGatheringState === 'complete') return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, timeoutMs);
    pc.addEventListener('icegatheringstatechange', () => {
      if (pc.iceGatheringState === 'complete') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}

function localJsep(pc: PeerConnection): Jsep {
  const d = pc.localDescription;
  if (!d || (d.type !== 'offer' && d.type !== 'answer')) throw new Error('no local description');
  return { type: d.type, sdp: d.sdp };
}

export class JanusPublisher {
  readonly pc = new wrtc.RTCPeerConnection({ iceServers: [] });
  readonly #sources: Source[] = [];
  feed = 0;

  async start(session: JanusSession, room: number, width: number, height: number): Promise<void> {
    const handle = await session.attach();
    const joined = await session.message(handle, { request: 'join', ptype: 'publisher', room, display: 'bench publisher' });
    this.feed = Number(joined.plugindata?.data.id ?? 0);
    if (!this.feed) throw new Error(`janus publisher join: ${JSON.stringify(joined)}`);
    const video = syntheticVideo(width, height);
    const audio = syntheticAudio();
    this.#sources.push(video, audio);
    // janus.js's order: highest first (h, m, l).
    this.pc.addTransceiver(video.track, {
      direction: 'sendonly',
      sendEncodings: [
        { rid: 'h', maxBitrate: 1_500_000 },
        { rid: 'm', scaleResolutionDownBy: 2, maxBitrate: 500_000 },
        { rid: 'l', scaleResolutionDownBy: 4, maxBitrate: 150_000 },
      ],
    });
    this.pc.addTransceiver(audio.track, { direction: 'sendonly' });
    await this.pc.setLocalDescription(await this.pc.createOffer());
    await gathered(this.pc);
    const answer = await session.message(handle, { request: 'publish', audio: true, video: true }, localJsep(this.pc));
    if (!answer.jsep) throw new Error(`janus publish: no answer ${JSON.stringify(answer)}`);
    await this.pc.setRemoteDescription(answer.jsep);
    await session.trickleDone(handle);
  }

  async layers(): Promise<LayerStat[]> {
    return outboundLayers(statsOf(await this.pc.getStats()));
  }

  close(): void {
    for (const s of this.#sources.splice(0)) s.stop();
    this.pc.close();
  }
}

export class JanusSubscriber {
  readonly pc = new wrtc.RTCPeerConnection({ iceServers: [] });

  async start(session: JanusSession, room: number, feed: number): Promise<void> {
    const handle = await session.attach();
    const offer = await session.message(handle, { request: 'join', ptype: 'subscriber', room, streams: [{ feed }] });
    if (!offer.jsep) throw new Error(`janus subscribe: no offer ${JSON.stringify(offer)}`);
    await this.pc.setRemoteDescription(offer.jsep);
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    await gathered(this.pc);
    await session.message(handle, { request: 'start' }, localJsep(this.pc));
    await session.trickleDone(handle);
  }

  async stats(): Promise<PeerStats> {
    const counts = inboundCounts(statsOf(await this.pc.getStats()));
    return { connected: this.pc.connectionState === 'connected' && counts.audioPackets + counts.videoPackets > 0, ...counts };
  }

  close(): void {
    this.pc.close();
  }
}
