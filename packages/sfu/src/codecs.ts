/**
 * Which codecs the SFU negotiates and with which payload types. The SFU never transcodes, so a
 * subscriber's m-line carries exactly the publisher's codec (same name, clock rate and fmtp); only
 * the payload type may differ, because payload types must be unique per codec across one BUNDLE
 * group and every subscriber connection bundles tracks from many publishers.
 */
import { RTCRtpCodecParameters, useH264, useOPUS, useVP8 } from 'werift';
import type { MediaKind } from './types.js';

type Feedback = { type: string; parameter?: string };

/** RTCP feedback the SFU negotiates with publishers: it sends NACK, PLI and REMB to them. */
const PUBLISHER_VIDEO_FEEDBACK: readonly Feedback[] = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'goog-remb' },
];
/** RTCP feedback the SFU accepts from subscribers: NACK (answered from the sender's history), PLI and FIR. */
const SUBSCRIBER_VIDEO_FEEDBACK: readonly Feedback[] = [
  { type: 'nack' },
  { type: 'nack', parameter: 'pli' },
  { type: 'ccm', parameter: 'fir' },
];

/**
 * Codec lists for werift's peer config (werift matches offered codecs by MIME type only).
 * Fresh objects each call: werift writes payload types into the objects it is given.
 */
export function sfuCodecConfig(): { audio: RTCRtpCodecParameters[]; video: RTCRtpCodecParameters[] } {
  return { audio: [useOPUS()], video: [useVP8(), useH264()] };
}

export function codecKey(codec: Pick<RTCRtpCodecParameters, 'mimeType' | 'clockRate' | 'channels' | 'parameters'>): string {
  return [codec.mimeType.toLowerCase(), codec.clockRate, codec.channels ?? '', codec.parameters ?? ''].join('|');
}

const isMediaCodec = (codec: RTCRtpCodecParameters): boolean =>
  !['rtx', 'red', 'ulpfec', 'flexfec-03'].includes(codec.mimeType.split('/')[1]?.toLowerCase() ?? '');

/**
 * Picks the one codec the publisher will use on an m-line from the codecs both sides support, in
 * the publisher's order of preference; keeps the previous choice on renegotiation so that
 * existing subscriptions stay valid. Returns it with the SFU's RTCP feedback, or undefined.
 */
export function choosePublisherCodec(
  negotiated: readonly RTCRtpCodecParameters[],
  kind: MediaKind,
  previousKey?: string,
): RTCRtpCodecParameters | undefined {
  const candidates = negotiated.filter(isMediaCodec);
  const chosen = candidates.find((c) => previousKey !== undefined && codecKey(c) === previousKey) ?? candidates[0];
  if (!chosen) return undefined;
  return copyCodec(chosen, chosen.payloadType, kind === 'video' ? PUBLISHER_VIDEO_FEEDBACK : []);
}

/** The codec to offer a subscriber for a track published with `codec`, with payload type `payloadType`. */
export function subscriberCodec(codec: RTCRtpCodecParameters, payloadType: number, kind: MediaKind): RTCRtpCodecParameters {
  return copyCodec(codec, payloadType, kind === 'video' ? SUBSCRIBER_VIDEO_FEEDBACK : []);
}

function copyCodec(codec: RTCRtpCodecParameters, payloadType: number, feedback: readonly Feedback[]): RTCRtpCodecParameters {
  return new RTCRtpCodecParameters({
    mimeType: codec.mimeType,
    clockRate: codec.clockRate,
    channels: codec.channels,
    parameters: codec.parameters,
    payloadType,
    rtcpFeedback: feedback.map((f) => ({ ...f })),
  });
}

/** Dynamic payload types, preferred range first (RFC 3551 leaves 96-127; 35-63 is the RFC 8872 overflow). */
const DYNAMIC_PAYLOAD_TYPES = [...range(96, 127), ...range(35, 63)];

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * Payload types of one subscriber connection: one per distinct codec, never reused for another
 * codec, so no BUNDLE collision can happen. A codec keeps the publisher's payload type when that
 * number is still free here, which is the common case (browsers agree on 111 for Opus, 96 for VP8).
 */
export class PayloadTypeTable {
  readonly #byKey = new Map<string, number>();
  readonly #used = new Set<number>();

  payloadTypeFor(codec: RTCRtpCodecParameters): number {
    const key = codecKey(codec);
    const known = this.#byKey.get(key);
    if (known !== undefined) return known;
    const preferred = codec.payloadType;
    const pt = DYNAMIC_PAYLOAD_TYPES.includes(preferred) && !this.#used.has(preferred)
      ? preferred
      : DYNAMIC_PAYLOAD_TYPES.find((candidate) => !this.#used.has(candidate));
    if (pt === undefined) throw new Error('no payload type left on this subscriber connection');
    this.#byKey.set(key, pt);
    this.#used.add(pt);
    return pt;
  }
}
