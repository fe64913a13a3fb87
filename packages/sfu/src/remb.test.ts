import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReceiverEstimatedMaxBitrate, RtcpPacketConverter, RtcpPayloadSpecificFeedback } from 'werift';
import { buildRemb, encodeRembBitrate } from './remb.js';

describe('REMB', () => {
  it('encodes bitrates into an 18-bit mantissa and exponent, rounding down', () => {
    assert.deepEqual(encodeRembBitrate(0), { brExp: 0, brMantissa: 0 });
    assert.deepEqual(encodeRembBitrate(262_143), { brExp: 0, brMantissa: 262_143 });
    assert.deepEqual(encodeRembBitrate(262_144), { brExp: 1, brMantissa: 131_072 });
    for (const bitrate of [300_000, 2_500_000, 10_000_000, 1e9]) {
      const { brExp, brMantissa } = encodeRembBitrate(bitrate);
      assert.ok(brMantissa < 2 ** 18);
      const decoded = brMantissa * 2 ** brExp;
      assert.ok(decoded <= bitrate && decoded > bitrate * 0.9999, `${bitrate} -> ${decoded}`);
    }
    assert.throws(() => encodeRembBitrate(-1), RangeError);
    assert.throws(() => encodeRembBitrate(Number.NaN), RangeError);
  });

  it('builds a packet that werift parses back to the same SSRCs and bitrate', () => {
    const packet = buildRemb(1234, [111, 222], 2_500_000);
    const [parsed] = RtcpPacketConverter.deSerialize(packet.serialize());
    assert.ok(parsed instanceof RtcpPayloadSpecificFeedback);
    assert.ok(parsed.feedback instanceof ReceiverEstimatedMaxBitrate);
    assert.deepEqual(parsed.feedback.ssrcFeedbacks, [111, 222]);
    assert.equal(parsed.feedback.senderSsrc, 1234);
    const bitrate = Number(parsed.feedback.bitrate);
    assert.ok(bitrate <= 2_500_000 && bitrate > 2_499_000, String(bitrate));
  });
});
