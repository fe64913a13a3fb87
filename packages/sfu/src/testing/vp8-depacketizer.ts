/**
 * Reassembles VP8 frames from RTP packets (RFC 7741 payload descriptor), and writes them as an IVF
 * file a decoder such as ffmpeg reads. For tests only: it tolerates loss by dropping the frames it
 * hit, and starts at the first keyframe.
 */
export class Vp8Depacketizer {
  readonly frames: Uint8Array[] = [];
  readonly #payloadType: number;
  #timestamp: number | undefined;
  #parts: Uint8Array[] = [];
  #lastSeq: number | undefined;
  #broken = false;
  #sawKeyFrame = false;

  constructor(payloadType: number) {
    this.#payloadType = payloadType;
  }

  push(packet: Uint8Array): void {
    if (packet.length < 12 || packet[0]! >> 6 !== 2) return;
    const payloadType = packet[1]! & 0x7f;
    if (payloadType !== this.#payloadType) return; // RTCP, RTX, padding-only probes
    const marker = (packet[1]! & 0x80) !== 0;
    const seq = (packet[2]! << 8) | packet[3]!;
    const timestamp = ((packet[4]! << 24) | (packet[5]! << 16) | (packet[6]! << 8) | packet[7]!) >>> 0;
    let offset = 12 + 4 * (packet[0]! & 0x0f);
    if ((packet[0]! & 0x10) !== 0) {
      if (packet.length < offset + 4) return;
      offset += 4 + 4 * ((packet[offset + 2]! << 8) | packet[offset + 3]!);
    }
    let end = packet.length;
    if ((packet[0]! & 0x20) !== 0) end -= packet[end - 1]!;
    if (offset >= end) return;
    // VP8 payload descriptor: X|R|N|S|R|PID, then I|L|T|K and the optional fields.
    const first = packet[offset]!;
    const start = (first & 0x10) !== 0 && (first & 0x07) === 0;
    let at = offset + 1;
    if ((first & 0x80) !== 0) {
      const ext = packet[at++]!;
      if ((ext & 0x80) !== 0) at += (packet[at]! & 0x80) !== 0 ? 2 : 1;
      if ((ext & 0x40) !== 0) at += 1;
      if ((ext & 0x30) !== 0) at += 1;
    }
    if (at > end) return;
    const continues = this.#lastSeq !== undefined && ((this.#lastSeq + 1) & 0xffff) === seq;
    this.#lastSeq = seq;
    if (start) {
      this.#timestamp = timestamp;
      this.#parts = [];
      this.#broken = false;
    } else if (!continues || timestamp !== this.#timestamp) {
      this.#broken = true;
    }
    if (this.#broken || this.#timestamp === undefined) return;
    this.#parts.push(packet.subarray(at, end));
    if (marker) {
      const frame = concat(this.#parts);
      this.#parts = [];
      this.#timestamp = undefined;
      // A VP8 frame tag's lowest bit is 0 on a keyframe (RFC 6386 §9.1).
      if (!this.#sawKeyFrame && frame.length > 0 && (frame[0]! & 0x01) === 0) this.#sawKeyFrame = true;
      if (this.#sawKeyFrame) this.frames.push(frame);
    }
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** An IVF file (the container libvpx's tools and ffmpeg read) holding `frames`. */
export function ivf(frames: readonly Uint8Array[], width = 640, height = 480): Uint8Array {
  const header = new DataView(new ArrayBuffer(32));
  [0x44, 0x4b, 0x49, 0x46].forEach((b, i) => header.setUint8(i, b)); // "DKIF"
  header.setUint16(6, 32, true);
  [0x56, 0x50, 0x38, 0x30].forEach((b, i) => header.setUint8(8 + i, b)); // "VP80"
  header.setUint16(12, width, true);
  header.setUint16(14, height, true);
  header.setUint32(16, 30, true);
  header.setUint32(20, 1, true);
  header.setUint32(24, frames.length, true);
  const parts: Uint8Array[] = [new Uint8Array(header.buffer)];
  frames.forEach((frame, i) => {
    const h = new DataView(new ArrayBuffer(12));
    h.setUint32(0, frame.length, true);
    h.setUint32(4, i, true);
    parts.push(new Uint8Array(h.buffer), frame);
  });
  return concat(parts);
}
