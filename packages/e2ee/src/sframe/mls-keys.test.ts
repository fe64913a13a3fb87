// KIDs and base keys from an MLS epoch (RFC 9605 §5.2).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from './bytes.js';
import { SFrameContext } from './context.js';
import { isSFrameError } from './errors.js';
import { deriveKeySalt } from './kdf.js';
import {
  indexBitsForGroupSize,
  MediaContext,
  mlsEpochKeys,
  mlsKidLayout,
  mlsSenderKey,
  mlsSenderKid,
  parseMlsKid,
} from './mls-keys.js';
import { cipherSuite, PARLEY_CIPHER_SUITE } from './suites.js';

const epochSecret = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

describe('MLS KIDs', () => {
  it('reproduces the example of RFC 9605 §5.2 (E = 4, S = 6)', () => {
    const layout = { epochBits: 4, indexBits: 6 };
    const cases: [number, number, number, bigint][] = [
      [14, 3, 0, 0x3en], [14, 7, 0, 0x7en], [14, 20, 0, 0x14en],
      [15, 3, 0, 0x3fn], [15, 5, 0, 0x5fn],
      [16, 2, 2, 0x820n], [16, 2, 3, 0xc20n],
      [17, 33, 0, 0x211n], [17, 51, 0, 0x331n],
    ];
    for (const [epoch, index, context, kid] of cases) {
      assert.equal(mlsSenderKid(layout, epoch, index, context), kid, `epoch ${epoch} index ${index} context ${context}`);
    }
    assert.deepEqual(mlsKidLayout(64), layout);
  });

  it('sizes S as the smallest value with group_size <= 1 << S', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 64, 65, 1000].map(indexBitsForGroupSize), [0, 1, 2, 2, 3, 6, 7, 10]);
    assert.throws(() => indexBitsForGroupSize(0), (e) => isSFrameError(e, 'value-out-of-range'));
  });

  it('gives every (epoch mod 16, leaf, context) its own KID, and parses it back', () => {
    const layout = mlsKidLayout(50);
    const seen = new Map<bigint, string>();
    for (let epoch = 100; epoch < 116; epoch++) {
      for (let leaf = 0; leaf < 50; leaf++) {
        for (const context of Object.values(MediaContext)) {
          const kid = mlsSenderKid(layout, epoch, leaf, context);
          const who = `${epoch}/${leaf}/${context}`;
          assert.equal(seen.get(kid), undefined, `${who} collides`);
          seen.set(kid, who);
          assert.deepEqual(parseMlsKid(layout, kid), { epochLowBits: epoch % 16, leafIndex: leaf, context });
        }
      }
    }
    assert.equal(seen.size, 16 * 50 * 4);
    // Only the epoch's low E bits are carried: epoch 116 reuses epoch 100's KIDs (receivers drop the old epoch).
    assert.equal(mlsSenderKid(layout, 116, 7, 1), mlsSenderKid(layout, 100, 7, 1));
  });

  it('refuses fields that do not fit', () => {
    const layout = mlsKidLayout(8);
    assert.throws(() => mlsSenderKid(layout, 1, 8, 0), (e) => isSFrameError(e, 'value-out-of-range'));
    assert.throws(() => mlsSenderKid(layout, 1, -1, 0), (e) => isSFrameError(e, 'value-out-of-range'));
    assert.throws(() => mlsSenderKid(layout, -1, 0, 0), (e) => isSFrameError(e, 'value-out-of-range'));
    assert.throws(() => mlsSenderKid({ epochBits: 32, indexBits: 32 }, 0, 0, 1), (e) => isSFrameError(e, 'value-out-of-range'));
    assert.throws(() => mlsSenderKid({ epochBits: 0, indexBits: 3 }, 0, 0, 0), (e) => isSFrameError(e, 'value-out-of-range'));
  });
});

describe('MLS sender keys', () => {
  it('takes the epoch secret of AEAD.Nk bytes as the base key', () => {
    const { kid, baseKey } = mlsSenderKey(epochSecret, mlsKidLayout(4), 3, 2, MediaContext.screen);
    assert.equal(kid, (2n << 6n) | (2n << 4n) | 3n);
    assert.equal(toHex(baseKey), toHex(epochSecret));
    assert.equal(epochSecret.length, cipherSuite(PARLEY_CIPHER_SUITE).nk);
    assert.throws(() => mlsSenderKey(new Uint8Array(32), mlsKidLayout(4), 3, 2, 0), (e) => isSFrameError(e, 'invalid-key'));
    assert.doesNotThrow(() => mlsSenderKey(new Uint8Array(32), mlsKidLayout(4), 3, 2, 0, 5));
  });

  it('gives each stream of each member a different sframe_key and salt', async () => {
    const keys = mlsEpochKeys({ epochSecret, epoch: 9, groupSize: 4, ownLeafIndex: 0, memberLeafIndices: [0, 1, 2, 3] });
    assert.equal(keys.send.length, 4);
    assert.equal(keys.receive.length, 12);
    const suite = cipherSuite(PARLEY_CIPHER_SUITE);
    const derived = await Promise.all([...keys.send, ...keys.receive].map((k) => deriveKeySalt(suite, k.kid, k.key)));
    assert.equal(new Set(derived.map((d) => toHex(d.key))).size, 16);
    assert.equal(new Set(derived.map((d) => toHex(d.salt))).size, 16);
  });

  it('lets two members derive the same key for a sender: one encrypts, the other decrypts', async () => {
    const members = [0, 1, 5];
    const alice = mlsEpochKeys({ epochSecret, epoch: 21, groupSize: 8, ownLeafIndex: 5, memberLeafIndices: members });
    const bob = mlsEpochKeys({ epochSecret, epoch: 21, groupSize: 8, ownLeafIndex: 1, memberLeafIndices: members });
    const aliceCamera = alice.send.find((k) => k.context === MediaContext.camera);
    assert.ok(aliceCamera);
    const bobsView = bob.receive.find((k) => k.kid === aliceCamera.kid);
    assert.ok(bobsView, "Bob has a receive key for Alice's camera");
    assert.deepEqual(parseMlsKid(bob.layout, aliceCamera.kid), { epochLowBits: 21 % 16, leafIndex: 5, context: 1 });

    const sender = new SFrameContext();
    await sender.addSendKey(aliceCamera.kid, aliceCamera.key);
    const receiver = new SFrameContext();
    for (const k of bob.receive) await receiver.addReceiveKey(k.kid, k.key);
    const sealed = await sender.encrypt(aliceCamera.kid, new TextEncoder().encode('a camera frame'));
    assert.equal(new TextDecoder().decode((await receiver.decrypt(sealed)).plaintext), 'a camera frame');
    assert.ok(!bob.receive.some((k) => parseMlsKid(bob.layout, k.kid).leafIndex === 1), 'Bob does not receive his own streams');
  });
});
