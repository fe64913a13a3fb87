// KeyRing: epochs switch send keys at once and keep the previous epoch's receive keys for 10 s
// of an injected clock.
import { VP8_DELTA_FRAME_CLEAR_BYTES } from './codec.js';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from './bytes.js';
import { isSFrameError } from './errors.js';
import type { FrameInfo } from './frame-crypto.js';
import { decodeHeader } from './header.js';
import { KeyRing } from './key-ring.js';
import { MediaContext, mlsEpochKeys, parseMlsKid } from './mls-keys.js';

const VP8: FrameInfo = { kind: 'video', codec: 'video/VP8', isKeyFrame: false };
const members = [0, 1];

function secret(epoch: number): Uint8Array {
  return Uint8Array.from({ length: 16 }, (_, i) => (epoch * 37 + i) & 0xff);
}

/** Alice (leaf 0) and Bob (leaf 1) on one injected clock. */
function meeting() {
  const clock = { now: 0 };
  const now = (): number => clock.now;
  const alice = new KeyRing({ now });
  const bob = new KeyRing({ now });
  const enter = async (epoch: number): Promise<void> => {
    for (const [ring, own] of [[alice, 0], [bob, 1]] as const) {
      await ring.setEpoch(mlsEpochKeys({ epochSecret: secret(epoch), epoch, groupSize: 2, ownLeafIndex: own, memberLeafIndices: members }));
    }
  };
  return { clock, alice, bob, enter };
}

const frame = new Uint8Array(400).map((_, i) => i * 7);

describe('KeyRing', () => {
  it('encrypts with the current epoch and decrypts the other member', async () => {
    const { alice, bob, enter } = await meeting();
    await enter(3);
    const sealed = await alice.encryptFrame(MediaContext.camera, frame, VP8);
    const kid = decodeHeader(sealed.subarray(VP8_DELTA_FRAME_CLEAR_BYTES)).kid;
    assert.equal(kid, alice.sendKid(MediaContext.camera));
    assert.deepEqual(parseMlsKid({ epochBits: 4, indexBits: 1 }, kid), { epochLowBits: 3, leafIndex: 0, context: 1 });
    assert.equal(toHex((await bob.decryptFrame(sealed, VP8)).frame), toHex(frame));
    await assert.rejects(alice.encryptFrame(7, frame, VP8), (e) => isSFrameError(e, 'no-send-key'));
  });

  it('keeps decrypting the previous epoch for 10 s after a switch, not after', async () => {
    const { clock, alice, bob, enter } = await meeting();
    await enter(1);
    const late = [];
    for (let i = 0; i < 3; i++) late.push(await alice.encryptFrame(MediaContext.microphone, frame, VP8));
    clock.now = 5_000;
    await enter(2);
    assert.equal(bob.epoch, 2n);
    assert.equal(bob.previousEpoch, 1n);
    const newer = await alice.encryptFrame(MediaContext.microphone, frame, VP8);
    assert.notEqual(decodeHeader(newer.subarray(VP8_DELTA_FRAME_CLEAR_BYTES)).kid, decodeHeader((late[0] ?? newer).subarray(VP8_DELTA_FRAME_CLEAR_BYTES)).kid, 'send key switched at once');
    assert.ok(await bob.decryptFrame(newer, VP8));

    clock.now = 5_000 + 9_999;
    assert.ok(await bob.decryptFrame(late[0] ?? new Uint8Array(0), VP8), 'previous epoch inside 10 s');
    clock.now = 5_000 + 10_000;
    await assert.rejects(bob.decryptFrame(late[1] ?? new Uint8Array(0), VP8), (e) => isSFrameError(e, 'unknown-kid'), 'gone after 10 s');
    assert.equal(bob.previousEpoch, undefined);
    assert.ok(await bob.decryptFrame(await alice.encryptFrame(MediaContext.microphone, frame, VP8), VP8), 'current epoch unaffected');
  });

  it('drops the epoch before the previous one at once', async () => {
    const { alice, bob, enter } = await meeting();
    await enter(1);
    const old = await alice.encryptFrame(MediaContext.screen, frame, VP8);
    await enter(2);
    const previous = await alice.encryptFrame(MediaContext.screen, frame, VP8);
    await enter(3);
    await assert.rejects(bob.decryptFrame(old, VP8), (e) => isSFrameError(e, 'unknown-kid'));
    assert.ok(await bob.decryptFrame(previous, VP8));
  });

  it('refuses an older epoch and keeps replay state when the same epoch comes again', async () => {
    const { alice, bob, enter } = await meeting();
    await enter(4);
    const sealed = await alice.encryptFrame(MediaContext.camera, frame, VP8);
    await bob.decryptFrame(sealed, VP8);
    await enter(4);
    await assert.rejects(bob.decryptFrame(sealed, VP8), (e) => isSFrameError(e, 'replay'));
    const next = await alice.encryptFrame(MediaContext.camera, frame, VP8);
    assert.equal(decodeHeader(next.subarray(VP8_DELTA_FRAME_CLEAR_BYTES)).ctr, 1n, 'the same epoch again does not restart the counter');
    await assert.rejects(
      bob.setEpoch(mlsEpochKeys({ epochSecret: secret(3), epoch: 3, groupSize: 2, ownLeafIndex: 1, memberLeafIndices: members })),
      (e) => isSFrameError(e, 'stale-epoch'),
    );
    assert.ok(await bob.decryptFrame(await alice.encryptFrame(MediaContext.camera, frame, VP8), VP8));
  });

  it('switches a stream to a new send KID given in the same epoch, dropping the old one', async () => {
    const ring = new KeyRing();
    await ring.setEpoch({ epoch: 1, send: [{ context: 0, kid: 10, key: secret(1) }], receive: [] });
    await ring.setEpoch({ epoch: 1, send: [{ context: 0, kid: 11, key: secret(1) }], receive: [] });
    assert.equal(ring.sendKid(0), 11n);
    await ring.setEpoch({ epoch: 1, send: [], receive: [{ kid: 10, key: secret(1) }] });
    assert.equal(ring.hasReceiveKey(10), true, 'KID 10 is no longer a send key, so it can be a receive key');
  });

  it('replaces a KID whose epoch low bits wrapped around (RFC 9605 §5.2)', async () => {
    const { alice, bob, enter } = await meeting();
    await enter(1);
    await enter(17); // same low 4 bits as epoch 1: same KIDs, new keys
    const sealed = await alice.encryptFrame(MediaContext.camera, frame, VP8);
    assert.equal(bob.previousEpoch, undefined, 'epoch 1 went: its KIDs are epoch 17s now');
    assert.equal(toHex((await bob.decryptFrame(sealed, VP8)).frame), toHex(frame));
  });

  it('leaves no half-installed epoch behind when a key is refused', async () => {
    const { bob, enter } = await meeting();
    await enter(1);
    await assert.rejects(bob.setEpoch({ epoch: 2, send: [{ context: 0, kid: 99, key: secret(2) }], receive: [{ kid: 99, key: secret(2) }] }), (e) =>
      isSFrameError(e, 'key-role-conflict'),
    );
    assert.equal(bob.epoch, 1n);
    assert.equal(bob.hasReceiveKey(99), false);
  });
});
