/**
 * libwebrtc in Node (@roamhq/wrtc) for the peer processes: its browser setup is the tests' own
 * (packages/server/src/test-support/wrtc-globals.ts); here are the synthetic sources (a 30 fps I420
 * camera with moving content, a 440 Hz microphone) and stats parsing.
 */
import { wrtc } from '../../packages/server/src/test-support/wrtc-globals.js';

export { wrtc };
export type PeerConnection = InstanceType<typeof wrtc.RTCPeerConnection>;
export type Track = InstanceType<typeof wrtc.MediaStreamTrack>;

export interface Source {
  track: Track;
  stop(): void;
}

/**
 * A camera: a fixed random texture that slides a few pixels every frame (motion the encoder has to
 * code), with a block of fresh noise each frame, so the encoder produces real bitrate at every layer.
 */
export function syntheticVideo(width: number, height: number, fps = 30): Source {
  const source = new wrtc.nonstandard.RTCVideoSource();
  const track = source.createTrack();
  const ySize = width * height;
  const frameSize = ySize + 2 * (ySize / 4);
  const texture = new Uint8Array(ySize * 2);
  for (let i = 0; i < texture.length; i++) texture[i] = (Math.random() * 256) | 0;
  const data = new Uint8Array(frameSize);
  data.fill(128, ySize);
  let n = 0;
  const timer = setInterval(() => {
    n += 1;
    const shift = ((n * (width * 2 + 4)) % ySize) | 0;
    data.set(texture.subarray(shift, shift + ySize), 0);
    const bw = Math.min(160, width >> 2);
    const bh = Math.min(90, height >> 2);
    const x0 = (n * 37) % (width - bw);
    const y0 = (n * 23) % (height - bh);
    for (let y = y0; y < y0 + bh; y++) for (let x = x0; x < x0 + bw; x++) data[y * width + x] = (Math.random() * 256) | 0;
    data.fill(n & 0xff, ySize, ySize + ySize / 16); // a chroma band that changes colour
    source.onFrame({ width, height, data });
  }, 1000 / fps);
  return { track, stop: () => { clearInterval(timer); track.stop(); } };
}

export function syntheticAudio(): Source {
  const source = new wrtc.nonstandard.RTCAudioSource();
  const track = source.createTrack();
  const sampleRate = 48_000;
  const samples = new Int16Array(sampleRate / 100);
  let t = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < samples.length; i++) samples[i] = Math.round(8000 * Math.sin((2 * Math.PI * 440 * t++) / sampleRate));
    source.onData({ samples, sampleRate, bitsPerSample: 16, channelCount: 1, numberOfFrames: samples.length });
  }, 10);
  return { track, stop: () => { clearInterval(timer); track.stop(); } };
}

/** One inbound or outbound RTP stream, as getStats reports it (only the fields the bench reads). */
export interface RtpStat {
  type: string;
  kind?: string;
  mediaType?: string;
  rid?: string;
  ssrc?: number;
  packetsReceived?: number;
  packetsLost?: number;
  packetsSent?: number;
  retransmittedPacketsSent?: number;
  bytesSent?: number;
  frameWidth?: number;
  framesEncoded?: number;
  availableOutgoingBitrate?: number;
  nominated?: boolean;
  state?: string;
}

/** Iterates any RTCStatsReport-like map (libwebrtc's or mediasoup-client's). */
export function statsOf(report: { forEach(cb: (value: RtpStat) => void): void }): RtpStat[] {
  const out: RtpStat[] = [];
  report.forEach((v) => out.push(v));
  return out;
}

export interface Counts {
  audioPackets: number;
  videoPackets: number;
  lost: number;
  videoLost: number;
}

/** mediasoup's bandwidth probation stream (RTP_PROBATION_SSRC): padding, not media, with gaps by design. */
const PROBATION_SSRC = 1234;

export function inboundCounts(stats: RtpStat[]): Counts {
  const c: Counts = { audioPackets: 0, videoPackets: 0, lost: 0, videoLost: 0 };
  for (const s of stats) {
    if (s.type !== 'inbound-rtp' || s.ssrc === PROBATION_SSRC) continue;
    const kind = s.kind ?? s.mediaType;
    if (kind === 'video') c.videoPackets += s.packetsReceived ?? 0;
    else c.audioPackets += s.packetsReceived ?? 0;
    c.lost += Math.max(0, s.packetsLost ?? 0);
    if (kind === 'video') c.videoLost += Math.max(0, s.packetsLost ?? 0);
  }
  return c;
}

/** Outbound video layers: rid (or ssrc) → packets sent and frame width. */
export function outboundLayers(stats: RtpStat[]): { rid: string; packetsSent: number; retransmitted: number; bytesSent: number; frameWidth: number; bwe?: number }[] {
  const layers: { rid: string; packetsSent: number; retransmitted: number; bytesSent: number; frameWidth: number; bwe?: number }[] = stats
    .filter((s) => s.type === 'outbound-rtp' && (s.kind ?? s.mediaType) === 'video')
    .map((s) => ({ rid: s.rid ?? String(s.ssrc ?? '?'), packetsSent: s.packetsSent ?? 0, retransmitted: s.retransmittedPacketsSent ?? 0, bytesSent: s.bytesSent ?? 0, frameWidth: s.frameWidth ?? 0 }))
    .sort((a, b) => a.frameWidth - b.frameWidth || a.rid.localeCompare(b.rid));
  const pair = stats.find((s) => s.type === 'candidate-pair' && s.nominated && s.availableOutgoingBitrate !== undefined);
  if (pair?.availableOutgoingBitrate !== undefined) layers.push({ rid: 'bwe', packetsSent: 0, retransmitted: 0, bytesSent: 0, frameWidth: 0, bwe: pair.availableOutgoingBitrate });
  return layers;
}
