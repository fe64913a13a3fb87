/**
 * Validates client SDP before it touches an RTCPeerConnection, so that a bad description is
 * rejected with a clear Error and leaves no half-applied state behind. werift's parser accepts
 * almost anything (garbage parses as a session with no media), hence these explicit checks.
 */
import { SessionDescription } from 'werift';
import { SfuError } from './errors.js';
import type { MediaKind, PublishedTrackSpec } from './types.js';

const MAX_SDP_LENGTH = 128 * 1024;

const invalid = (message: string): SfuError => new SfuError('invalid-sdp', message);

/** Parses an SDP and checks the transport basics every media section needs. */
export function parseClientSdp(sdp: unknown, what: 'offer' | 'answer'): SessionDescription {
  if (typeof sdp !== 'string' || sdp.length === 0) throw invalid(`${what} SDP is empty`);
  if (sdp.length > MAX_SDP_LENGTH) throw invalid(`${what} SDP is too large`);
  if (!sdp.startsWith('v=0')) throw invalid(`${what} SDP does not start with v=0`);
  let parsed: SessionDescription;
  try {
    parsed = SessionDescription.parse(sdp);
  } catch (error) {
    throw invalid(`${what} SDP cannot be parsed: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (parsed.media.length === 0) throw invalid(`${what} SDP has no media section`);
  for (const [index, media] of parsed.media.entries()) {
    const label = `${what} m-line ${index}`;
    if (media.kind !== 'audio' && media.kind !== 'video') throw invalid(`${label}: unsupported kind ${String(media.kind)}`);
    if (!media.rtp.muxId) throw invalid(`${label}: no a=mid`);
    if (media.port === 0) continue;
    if (!media.iceParams?.usernameFragment || !media.iceParams.password) throw invalid(`${label}: no ICE credentials`);
    if (!media.dtlsParams || media.dtlsParams.fingerprints.length === 0) throw invalid(`${label}: no DTLS fingerprint or setup role`);
  }
  return parsed;
}

/** Checks that every track being published has a sending m-line the SFU can route. */
export function checkPublishedMedia(offer: SessionDescription, specs: readonly PublishedTrackSpec[]): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.mid)) throw invalid(`mid ${spec.mid} is listed twice`);
    seen.add(spec.mid);
    const media = offer.media.find((m) => m.rtp.muxId === spec.mid);
    if (!media) throw invalid(`offer has no m-line with mid ${spec.mid}`);
    if (media.kind !== spec.kind) throw invalid(`m-line ${spec.mid} is ${media.kind}, not ${spec.kind}`);
    if (media.port === 0) throw invalid(`m-line ${spec.mid} is rejected (port 0)`);
    if (media.direction !== 'sendonly' && media.direction !== 'sendrecv') {
      throw invalid(`m-line ${spec.mid} is not sending (${media.direction ?? 'no direction'})`);
    }
    if (media.simulcastParameters.length > 0) throw invalid(`m-line ${spec.mid}: simulcast is not supported`);
    // werift routes incoming RTP by SSRC, so the SSRC must be signalled.
    if (media.ssrc.length === 0) throw invalid(`m-line ${spec.mid} signals no SSRC (a=ssrc)`);
  }
}

export function isMediaKind(value: unknown): value is MediaKind {
  return value === 'audio' || value === 'video';
}
