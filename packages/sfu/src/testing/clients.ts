/**
 * Test clients for the integration tests: real werift peers in this process that play the
 * browser's part (publisher offers, subscriber answers) and send and receive real RTP.
 * Not part of the package build (see tsconfig.json).
 */
import { EventEmitter } from 'node:events';
import {
  ReceiverEstimatedMaxBitrate,
  RTCPeerConnection,
  RtpHeader,
  RtpPacket,
  useH264,
  useOPUS,
  useVP8,
  type RTCRtpCodecParameters,
  type RTCRtpTransceiver,
} from 'werift';
import type { SubscriberOffer } from '../types.js';

export const WAIT_MS = 8000;

/** Resolves when `check()` holds, re-checking whenever `emitter` emits `event`; rejects after `timeoutMs`. */
export function until(emitter: EventEmitter, event: string, check: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const onEvent = (): void => {
      if (!check()) return;
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const cleanup = (): void => {
      clearTimeout(timer);
      emitter.off(event, onEvent);
    };
    emitter.on(event, onEvent);
  });
}

export function stripCandidates(sdp: string): string {
  return sdp
    .split('\r\n')
    .filter((line) => !line.startsWith('a=candidate:') && line !== 'a=end-of-candidates')
    .join('\r\n');
}

// The test clients use max-bundle, as browsers effectively do: with werift's default (max-compat)
// an offerer opens one transport per m-line and never closes the ones BUNDLE made redundant.
function clientCodecs(videoFirst: 'vp8' | 'h264'): { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] } {
  return { audio: [useOPUS()], video: videoFirst === 'vp8' ? [useVP8(), useH264()] : [useH264(), useVP8()] };
}

/** A payload that names its track and sequence, so a test can check bytes arrive unchanged. */
export function testPayload(tag: number, index: number): Buffer {
  const payload = Buffer.alloc(120);
  payload[0] = 0x10; // VP8 payload descriptor with S bit; the SFU never looks at it
  payload.writeUInt32BE(tag, 1);
  payload.writeUInt32BE(index, 5);
  for (let i = 9; i < payload.length; i++) payload[i] = (i * 7 + index) & 0xff;
  return payload;
}

export class TestPublisher extends EventEmitter {
  readonly pc: RTCPeerConnection;
  plis = 0;
  /** performance.now() of every PLI received. */
  readonly pliTimes: number[] = [];
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(video: 'vp8' | 'h264' = 'vp8') {
    super();
    this.pc = new RTCPeerConnection({ iceServers: [], iceUseIpv6: false, bundlePolicy: 'max-bundle', codecs: clientCodecs(video) });
    this.pc.connectionStateChange.subscribe((state) => this.emit('state', state));
  }

  addTrack(kind: 'audio' | 'video'): RTCRtpTransceiver {
    const transceiver = this.pc.addTransceiver(kind, { direction: 'sendonly' });
    transceiver.sender.onPictureLossIndication.subscribe(() => {
      this.plis += 1;
      this.pliTimes.push(performance.now());
      this.emit('pli');
    });
    return transceiver;
  }

  async offer(options: { candidates?: boolean } = {}): Promise<string> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const sdp = this.pc.localDescription?.sdp ?? '';
    return options.candidates === false ? stripCandidates(sdp) : sdp;
  }

  async accept(answerSdp: string): Promise<void> {
    await this.pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
  }

  /** Sends one packet every `intervalMs` with payloads tagged `tag`. */
  startSending(transceiver: RTCRtpTransceiver, tag: number, intervalMs = 33): () => void {
    let index = 0;
    let sequenceNumber = 1000;
    let timestamp = 5000;
    const timer = setInterval(() => {
      if (this.pc.connectionState !== 'connected') return;
      const header = new RtpHeader({ payloadType: 96, sequenceNumber, timestamp, marker: true });
      transceiver.sender.sendRtp(new RtpPacket(header, testPayload(tag, index))).catch(() => undefined);
      index += 1;
      sequenceNumber = (sequenceNumber + 1) & 0xffff;
      timestamp = (timestamp + 3000) >>> 0;
    }, intervalMs);
    this.#timers.add(timer);
    return () => {
      clearInterval(timer);
      this.#timers.delete(timer);
    };
  }

  /** Resolves with the next REMB bitrate the SFU sends for this transceiver. */
  nextRemb(transceiver: RTCRtpTransceiver, timeoutMs = WAIT_MS): Promise<number> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no REMB')), timeoutMs);
      const { unSubscribe } = transceiver.sender.onRtcp.subscribe((packet) => {
        if (packet.type !== 206 || !(packet.feedback instanceof ReceiverEstimatedMaxBitrate)) return;
        clearTimeout(timer);
        unSubscribe();
        resolve(Number(packet.feedback.bitrate));
      });
    });
  }

  async close(): Promise<void> {
    for (const timer of this.#timers) clearInterval(timer);
    await this.pc.close();
  }
}

export class TestSubscriber extends EventEmitter {
  readonly pc: RTCPeerConnection;
  /** Received packets by the mid they arrived on. */
  readonly received = new Map<string, RtpPacket[]>();
  lastOffer: SubscriberOffer | undefined;
  readonly #listening = new Set<RTCRtpTransceiver>();

  constructor(video: 'vp8' | 'h264' = 'vp8') {
    super();
    this.pc = new RTCPeerConnection({ iceServers: [], iceUseIpv6: false, bundlePolicy: 'max-bundle', codecs: clientCodecs(video) });
    this.pc.connectionStateChange.subscribe((state) => this.emit('state', state));
  }

  /** Applies an SFU offer and returns the answer (optionally without candidates). */
  async answer(offer: SubscriberOffer, options: { candidates?: boolean } = {}): Promise<string> {
    this.lastOffer = offer;
    // werift would otherwise recycle an inactive transceiver for a new m-line of the offer, which
    // breaks its own answer (a browser does not do this).
    for (const transceiver of this.pc.getTransceivers()) transceiver.usedForSender = true;
    await this.pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
    for (const transceiver of this.pc.getTransceivers()) {
      if (this.#listening.has(transceiver)) continue;
      this.#listening.add(transceiver);
      transceiver.receiver.track.onReceiveRtp.subscribe((packet) => {
        const mid = transceiver.mid ?? '?';
        const list = this.received.get(mid) ?? [];
        list.push(packet);
        this.received.set(mid, list);
        this.emit('rtp', mid, packet);
      });
    }
    await this.pc.setLocalDescription(await this.pc.createAnswer());
    const sdp = this.pc.localDescription?.sdp ?? '';
    return options.candidates === false ? stripCandidates(sdp) : sdp;
  }

  midOf(trackId: string): string {
    const mid = this.lastOffer?.tracks.find((t) => t.trackId === trackId)?.mid;
    if (mid === undefined) throw new Error(`track ${trackId} is not in the last offer`);
    return mid;
  }

  count(trackId: string): number {
    return this.received.get(this.midOf(trackId))?.length ?? 0;
  }

  async close(): Promise<void> {
    await this.pc.close();
  }
}
