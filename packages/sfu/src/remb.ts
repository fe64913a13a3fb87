/**
 * REMB (draft-alvestrand-rmcat-remb) towards one publisher connection. werift sends no bandwidth
 * estimate of its own, and without one a browser stays near 300 kbps; so the SFU periodically
 * tells each publisher (about once a second) it may send up to `maxIncomingBitrate` for all of its
 * SSRCs. The browser's own loss-based controller still backs off on a bad network.
 */
import { ReceiverEstimatedMaxBitrate, RtcpPayloadSpecificFeedback } from 'werift';

const MANTISSA_BITS = 18;

/** Splits a bitrate into REMB's 6-bit exponent and 18-bit mantissa, rounding down. */
export function encodeRembBitrate(bitrate: number): { brExp: number; brMantissa: number } {
  if (!Number.isFinite(bitrate) || bitrate < 0) throw new RangeError(`invalid bitrate ${bitrate}`);
  let mantissa = Math.floor(bitrate);
  let exp = 0;
  while (mantissa >= 2 ** MANTISSA_BITS && exp < 63) {
    mantissa = Math.floor(mantissa / 2);
    exp += 1;
  }
  return { brExp: exp, brMantissa: mantissa };
}

export function buildRemb(senderSsrc: number, mediaSsrcs: number[], bitrate: number): RtcpPayloadSpecificFeedback {
  const { brExp, brMantissa } = encodeRembBitrate(bitrate);
  return new RtcpPayloadSpecificFeedback({
    feedback: new ReceiverEstimatedMaxBitrate({
      senderSsrc,
      mediaSsrc: 0,
      uniqueID: 'REMB',
      ssrcNum: mediaSsrcs.length,
      brExp,
      brMantissa,
      bitrate: BigInt(brMantissa) << BigInt(brExp),
      ssrcFeedbacks: mediaSsrcs,
    }),
  });
}
