import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SfuError } from './errors.js';
import { checkPublishedMedia, parseClientSdp } from './sdp-check.js';
import { fixMediaPorts } from './sdp-rewrite.js';

const OFFER = [
  'v=0',
  'o=- 1 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'a=group:BUNDLE 0 1',
  'a=fingerprint:sha-256 AA:BB',
  'a=setup:actpass',
  'a=ice-ufrag:abcd',
  'a=ice-pwd:0123456789012345678901',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=mid:0',
  'a=sendonly',
  'a=rtpmap:111 opus/48000/2',
  'a=ssrc:1 cname:x',
  'm=video 0 UDP/TLS/RTP/SAVPF 96',
  'c=IN IP4 0.0.0.0',
  'a=mid:1',
  'a=inactive',
  'a=rtpmap:96 VP8/90000',
  '',
].join('\r\n');

const invalid = (error: unknown): boolean => error instanceof SfuError && error.code === 'invalid-sdp';

describe('client SDP checks', () => {
  it('accepts a well-formed offer with session-level ICE and DTLS parameters', () => {
    const parsed = parseClientSdp(OFFER, 'offer');
    assert.equal(parsed.media.length, 2);
    checkPublishedMedia(parsed, [{ mid: '0', trackId: 'a', kind: 'audio' }]);
  });

  it('rejects garbage and SDP without transport parameters', () => {
    for (const sdp of [undefined, '', 'garbage', 'v=0\r\n', OFFER.replace('a=fingerprint:sha-256 AA:BB\r\n', ''), OFFER.replace('a=ice-pwd:0123456789012345678901\r\n', ''), 'v=0' + 'x'.repeat(200_000)]) {
      assert.throws(() => parseClientSdp(sdp, 'offer'), invalid, String(sdp).slice(0, 40));
    }
    assert.throws(() => parseClientSdp(OFFER.replace('a=mid:0', 'a=foo'), 'offer'), invalid);
  });

  it('rejects published mids that are missing, of another kind, not sending, or without SSRC', () => {
    const parsed = parseClientSdp(OFFER, 'offer');
    assert.throws(() => checkPublishedMedia(parsed, [{ mid: '7', trackId: 'a', kind: 'audio' }]), invalid);
    assert.throws(() => checkPublishedMedia(parsed, [{ mid: '0', trackId: 'a', kind: 'video' }]), invalid);
    assert.throws(() => checkPublishedMedia(parsed, [{ mid: '1', trackId: 'a', kind: 'video' }]), invalid);
    assert.throws(() => checkPublishedMedia(parsed, [{ mid: '0', trackId: 'a', kind: 'audio' }, { mid: '0', trackId: 'b', kind: 'audio' }]), invalid);
    const noSsrc = parseClientSdp(OFFER.replace('a=ssrc:1 cname:x\r\n', ''), 'offer');
    assert.throws(() => checkPublishedMedia(noSsrc, [{ mid: '0', trackId: 'a', kind: 'audio' }]), /SSRC/);
  });
});

describe('fixMediaPorts', () => {
  it('turns port 0 of a paused m-line into 9 and keeps it in the BUNDLE group', () => {
    const fixed = fixMediaPorts(OFFER);
    assert.match(fixed, /^m=video 9 UDP/m);
    assert.match(fixed, /^a=group:BUNDLE 0 1$/m);
    assert.match(fixed, /^m=audio 9 UDP/m);
  });

  it('keeps m-lines the client rejected at port 0 and takes them out of BUNDLE', () => {
    const fixed = fixMediaPorts(OFFER.replace('m=video 0', 'm=video 9'), new Set(['1']));
    assert.match(fixed, /^m=video 0 UDP/m);
    assert.match(fixed, /^a=group:BUNDLE 0$/m);
  });
});
