import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RTCRtpCodecParameters } from 'werift';
import { choosePublisherCodec, codecKey, PayloadTypeTable, subscriberCodec } from './codecs.js';

const codec = (mimeType: string, payloadType: number, parameters?: string): RTCRtpCodecParameters =>
  new RTCRtpCodecParameters({ mimeType, clockRate: mimeType.startsWith('audio') ? 48000 : 90000, payloadType, parameters, rtcpFeedback: [{ type: 'transport-cc' }] });

describe('codecs', () => {
  it('chooses the first media codec, skipping rtx/red/ulpfec, with the SFU feedback only', () => {
    const chosen = choosePublisherCodec([codec('video/rtx', 97, 'apt=96'), codec('video/VP8', 96), codec('video/H264', 102)], 'video');
    assert.equal(chosen?.mimeType, 'video/VP8');
    assert.equal(chosen?.payloadType, 96);
    assert.deepEqual(chosen?.rtcpFeedback, [{ type: 'nack' }, { type: 'nack', parameter: 'pli' }, { type: 'goog-remb' }]);
    assert.deepEqual(choosePublisherCodec([codec('audio/opus', 111)], 'audio')?.rtcpFeedback, []);
    assert.equal(choosePublisherCodec([codec('video/rtx', 97)], 'video'), undefined);
  });

  it('keeps the previous codec on renegotiation even if the order changed', () => {
    const h264 = codec('video/H264', 102, 'packetization-mode=1');
    const chosen = choosePublisherCodec([codec('video/VP8', 96), h264], 'video', codecKey(h264));
    assert.equal(chosen?.mimeType, 'video/H264');
    assert.equal(chosen?.parameters, 'packetization-mode=1');
  });

  it('gives subscribers the same codec with their own payload type and their feedback', () => {
    const sub = subscriberCodec(codec('video/H264', 102, 'profile-level-id=42e01f'), 100, 'video');
    assert.equal(sub.payloadType, 100);
    assert.equal(sub.parameters, 'profile-level-id=42e01f');
    assert.ok(sub.rtcpFeedback.some((f) => f.type === 'ccm' && f.parameter === 'fir'));
  });

  it('PayloadTypeTable keeps one payload type per codec and never shares one between codecs', () => {
    const table = new PayloadTypeTable();
    assert.equal(table.payloadTypeFor(codec('video/VP8', 96)), 96, "the publisher's PT when free");
    assert.equal(table.payloadTypeFor(codec('video/VP8', 120)), 96, 'same codec, same PT');
    const h264 = table.payloadTypeFor(codec('video/H264', 96, 'packetization-mode=1'));
    assert.notEqual(h264, 96, 'a different codec never gets a taken PT');
    const h264Other = table.payloadTypeFor(codec('video/H264', 96, 'packetization-mode=0'));
    assert.notEqual(h264Other, h264, 'different fmtp is a different codec');
    assert.equal(table.payloadTypeFor(codec('video/VP8', 7)), 96);
    const full = new PayloadTypeTable();
    for (let i = 0; i < 32 + 29; i++) full.payloadTypeFor(codec('video/H264', 96, `x=${i}`));
    assert.throws(() => full.payloadTypeFor(codec('video/H264', 96, 'x=last')), /no payload type left/);
  });
});
