// The codec's clear prefix, and whole frames: clear prefix | SFrame header | ciphertext | tag.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from './bytes.js';
import { clearPrefixLength, codecName } from './codec.js';
import { SFrameContext } from './context.js';
import { isSFrameError } from './errors.js';
import { decryptFrame, encryptFrame } from './frame-crypto.js';
import type { FrameInfo } from './frame-crypto.js';
import { decodeHeader } from './header.js';

const VP8_KEY: FrameInfo = { kind: 'video', codec: 'video/VP8', isKeyFrame: true };
const VP8_DELTA: FrameInfo = { kind: 'video', codec: 'video/VP8', isKeyFrame: false };
const OPUS: FrameInfo = { kind: 'audio', codec: 'audio/opus', isKeyFrame: false };
const H264: FrameInfo = { kind: 'video', codec: 'video/H264', isKeyFrame: true };

function bytes(length: number, seed = 1): Uint8Array<ArrayBuffer> {
  let x = seed;
  return Uint8Array.from({ length }, () => (x = (x * 1103515245 + 12345) >>> 0) >>> 24);
}

async function pair(kid = 0x31n) {
  const key = bytes(16, 99);
  const sender = new SFrameContext();
  const receiver = new SFrameContext();
  await sender.addSendKey(kid, key);
  await receiver.addReceiveKey(kid, key);
  return { sender, receiver, kid };
}

describe('clear prefix length', () => {
  it('keeps the first byte of a VP8 frame (its key/delta bit), the TOC byte of Opus, none otherwise', () => {
    assert.equal(clearPrefixLength('video/VP8', 'video', true, 30_000), 1);
    assert.equal(clearPrefixLength('video/VP8', 'video', false, 5_000), 1);
    assert.equal(clearPrefixLength('VIDEO/vp8', 'video', false, 5_000), 1);
    assert.equal(clearPrefixLength('VP8', 'video', true, bytes(100)), 1);
    assert.equal(clearPrefixLength('audio/opus', 'audio', false, 120), 1);
    assert.equal(clearPrefixLength('audio/opus', 'audio', true, new ArrayBuffer(120)), 1);
    for (const [codec, kind] of [['video/H264', 'video'], ['video/VP9', 'video'], ['audio/PCMU', 'audio'], ['audio/red', 'audio'], [undefined, 'video'], ['', 'audio'], ['video/VP8', 'audio'], ['audio/opus', 'video']] as const) {
      assert.equal(clearPrefixLength(codec, kind, true, 1000), 0, `${codec} ${kind}`);
    }
  });

  it('never exceeds the frame', () => {
    assert.equal(clearPrefixLength('video/VP8', 'video', true, 1), 1);
    assert.equal(clearPrefixLength('video/VP8', 'video', false, 0), 0);
    assert.equal(clearPrefixLength('audio/opus', 'audio', false, new Uint8Array(0)), 0);
  });

  it('reads codec names from MIME types', () => {
    assert.equal(codecName('video/VP8'), 'vp8');
    assert.equal(codecName('audio/opus;rate=48000'), 'opus');
    assert.equal(codecName(undefined), '');
  });
});

describe('encryptFrame / decryptFrame', () => {
  it('sends a VP8 key frame as 1 clear byte | header | ciphertext | tag and gets it back', async () => {
    const { sender, receiver, kid } = await pair();
    const frame = bytes(30_000);
    const sealed = await encryptFrame(sender, kid, frame, VP8_KEY);
    assert.equal(toHex(sealed.subarray(0, 1)), toHex(frame.subarray(0, 1)));
    const header = decodeHeader(sealed.subarray(1));
    assert.deepEqual([header.kid, header.ctr], [kid, 0n]);
    assert.equal(sealed.length, 30_000 + header.length + 16);
    assert.notEqual(toHex(sealed.subarray(1 + header.length, 40)), toHex(frame.subarray(1, 40 - header.length)));
    const opened = await decryptFrame(receiver, sealed, VP8_KEY);
    assert.equal(toHex(opened.frame), toHex(frame));
    assert.deepEqual([opened.kid, opened.ctr, opened.clearBytes], [kid, 0n, 1]);
  });

  it('leaves no VP8 key-frame start code or dimensions in clear: a decoder refuses the frame', async () => {
    const { sender, kid } = await pair();
    const frame = bytes(30_000);
    frame.set([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]); // a 640x480 key frame's header
    const sealed = await encryptFrame(sender, kid, frame, VP8_KEY);
    assert.equal(sealed[0], 0x10, 'the key-frame bit stays readable for the SFU');
    assert.notEqual(toHex(sealed.subarray(3, 6)), '9d012a', 'the start code is not where a decoder looks for it');
    assert.ok(!toHex(sealed).includes('9d012a8002e001'), 'nor the start code and dimensions anywhere');
  });

  it('round-trips VP8 delta, Opus and unknown-codec frames, with their clear prefix', async () => {
    const { sender, receiver, kid } = await pair();
    for (const [info, clear] of [[VP8_DELTA, 1], [OPUS, 1], [H264, 0]] as const) {
      const frame = bytes(700, clear + 5);
      const sealed = await encryptFrame(sender, kid, frame.buffer, info);
      assert.equal(toHex(sealed.subarray(0, clear)), toHex(frame.subarray(0, clear)));
      assert.equal(decodeHeader(sealed.subarray(clear)).kid, kid);
      const opened = await decryptFrame(receiver, sealed.buffer, info);
      assert.equal(toHex(opened.frame), toHex(frame));
      assert.equal(opened.clearBytes, clear);
    }
  });

  it('authenticates the clear prefix: changing any of its bits fails decryption', async () => {
    const { sender, receiver, kid } = await pair();
    const sealed = await encryptFrame(sender, kid, bytes(2000), VP8_KEY);
    for (let bit = 0; bit < 80; bit++) {
      const bad = new Uint8Array(sealed);
      bad[bit >> 3] = (bad[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      // The prefix (1 byte) fails authentication; a flip in the header after it may fail earlier (unknown KID).
      const expected = bit < 8 ? (e: unknown) => isSFrameError(e, 'auth-failed') : (e: unknown) => isSFrameError(e);
      await assert.rejects(decryptFrame(receiver, bad, VP8_KEY), expected, `bit ${bit}`);
    }
    assert.equal((await decryptFrame(receiver, sealed, VP8_KEY)).ctr, 0n, 'the genuine frame still decrypts');
  });

  it('round-trips frames shorter than the prefix, of every length, under small and large KIDs', async () => {
    for (const kidValue of [3n, 0x31n, 0xfedcba9876543210n]) {
      const { sender, receiver, kid } = await pair(kidValue);
      for (const info of [VP8_KEY, VP8_DELTA, OPUS]) {
        for (let length = 0; length <= 10; length++) {
          for (let seed = 0; seed < 20; seed++) {
            const frame = bytes(length, seed * 31 + length);
            const sealed = await encryptFrame(sender, kid, frame, info);
            const opened = await decryptFrame(receiver, sealed, info);
            assert.equal(toHex(opened.frame), toHex(frame), `KID ${kid}, ${info.codec} key=${info.isKeyFrame}, ${length} bytes`);
          }
        }
      }
    }
  });

  it('refuses a replayed frame and one under an unknown KID', async () => {
    const { sender, receiver, kid } = await pair();
    const sealed = await encryptFrame(sender, kid, bytes(500), VP8_DELTA);
    await decryptFrame(receiver, sealed, VP8_DELTA);
    await assert.rejects(decryptFrame(receiver, sealed, VP8_DELTA), (e) => isSFrameError(e, 'replay'));
    await assert.rejects(decryptFrame(new SFrameContext(), sealed, VP8_DELTA), (e) => isSFrameError(e, 'unknown-kid'));
    await assert.rejects(decryptFrame(receiver, new Uint8Array(0), VP8_DELTA), (e) => isSFrameError(e, 'header-truncated'));
  });
});
