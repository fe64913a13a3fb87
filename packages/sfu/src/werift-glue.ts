/**
 * Everything the SFU needs from werift that its public types do not say plainly, in one place:
 * the peer configuration (no third-party STUN, ICE-lite, IPv4), the per-subscriber packet copy,
 * keyframe-request parsing and sending, and reading a sender's retransmission count.
 */
import {
  PictureLossIndication,
  RTCPeerConnection,
  RtcpPayloadSpecificFeedback,
  RtpHeader,
  RtpPacket,
  type RTCRtpReceiver,
  type RTCRtpSender,
  type RtcpPacket,
} from 'werift';
import { sfuCodecConfig } from './codecs.js';
import type { SfuOptions } from './types.js';

/** FIR's feedback message type (RFC 5104); werift does not export the FullIntraRequest class. */
const FIR_FMT = 4;

export function createSfuPeerConnection(options: SfuOptions): RTCPeerConnection {
  return new RTCPeerConnection({
    // werift's default is a public Google STUN server; Parley contacts no third party.
    iceServers: (options.iceServers ?? []).map((s) => ({ ...s })),
    // The SFU only answers connectivity checks: the browser (a full agent) checks and nominates,
    // so offers and answers without candidates work through peer-reflexive candidates.
    iceLite: true,
    iceUseIpv4: true,
    iceUseIpv6: false,
    icePortRange: options.portRange ? [options.portRange.min, options.portRange.max] : undefined,
    iceAdditionalHostAddresses: options.announcedAddress ? [options.announcedAddress] : undefined,
    bundlePolicy: 'max-bundle',
    codecs: sfuCodecConfig(),
    headerExtensions: { audio: [], video: [] },
  });
}

/**
 * A copy of an incoming packet for one subscriber. werift's sender rewrites the header in place
 * (SSRC, payload type) and keeps the object for retransmission, so every subscriber needs its own
 * header. The payload is shared: nobody writes to it. Header extensions are dropped because their
 * IDs were negotiated with the publisher, not with this subscriber.
 */
export function copyForSubscriber(packet: RtpPacket): RtpPacket {
  const h = packet.header;
  const header = new RtpHeader({
    version: h.version,
    padding: h.padding,
    paddingSize: h.paddingSize,
    extension: false,
    marker: h.marker,
    payloadType: h.payloadType,
    sequenceNumber: h.sequenceNumber,
    timestamp: h.timestamp,
    ssrc: h.ssrc,
    csrcLength: h.csrcLength,
    csrc: [...h.csrc],
    extensions: [],
  });
  return new RtpPacket(header, packet.payload);
}

/** The media SSRCs for which an RTCP packet requests a keyframe (PLI or FIR); empty otherwise. */
export function keyframeRequestSsrcs(packet: RtcpPacket): number[] {
  if (packet.type !== RtcpPayloadSpecificFeedback.type) return [];
  const feedback = packet.feedback;
  if (feedback.count === PictureLossIndication.count) return [feedback.mediaSsrc];
  if (feedback.count === FIR_FMT && 'fir' in feedback) return feedback.fir.map((entry) => entry.ssrc);
  return [];
}

/** Sends a PLI for `mediaSsrc` over the receiver's transport; resolves false if it could not be sent. */
export async function sendPli(receiver: RTCRtpReceiver, mediaSsrc: number): Promise<boolean> {
  const transport = receiver.dtlsTransport;
  if (!transport || transport.state !== 'connected') return false;
  const packet = new RtcpPayloadSpecificFeedback({
    feedback: new PictureLossIndication({ senderSsrc: receiver.rtcpSsrc, mediaSsrc }),
  });
  try {
    await transport.sendRtcp([packet]);
    return true;
  } catch {
    return false;
  }
}

export async function sendRtcp(receiver: RTCRtpReceiver, packet: RtcpPacket): Promise<void> {
  const transport = receiver.dtlsTransport;
  if (!transport || transport.state !== 'connected') return;
  await transport.sendRtcp([packet]).catch(() => undefined);
}

/** Whether a sender has a negotiated codec and a connected transport, i.e. sendRtp would send. */
export function senderReady(sender: RTCRtpSender): boolean {
  return sender.codec !== undefined && sender.dtlsTransport?.state === 'connected';
}

/** Packets the sender retransmitted from its history in answer to NACKs (kept private by werift). */
export function retransmittedPackets(sender: RTCRtpSender): number {
  for (const stat of sender.collectStats(0)) {
    if (stat.type === 'outbound-rtp' && 'retransmittedPacketsSent' in stat) {
      return typeof stat.retransmittedPacketsSent === 'number' ? stat.retransmittedPacketsSent : 0;
    }
  }
  return 0;
}
