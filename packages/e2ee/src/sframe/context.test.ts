// SFrameContext: sender counters, key roles, and receiver replay protection.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SFrameContext } from './context.js';
import { isSFrameError } from './errors.js';
import { decodeHeader, MAX_UINT64 } from './header.js';
import { ReplayWindow } from './replay.js';
import { CipherSuite } from './suites.js';

const baseKey = new Uint8Array(16).fill(7);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const str = (b: Uint8Array): string => new TextDecoder().decode(b);

async function pair(kid = 5n, suite: number = CipherSuite.AES_128_GCM_SHA256_128, replayWindow = 128) {
  const sender = new SFrameContext({ suite });
  const receiver = new SFrameContext({ suite, replayWindow });
  await sender.addSendKey(kid, baseKey);
  await receiver.addReceiveKey(kid, baseKey);
  return { sender, receiver };
}

/** `count` frames encrypted in order: frames[i] has CTR i. */
async function frames(sender: SFrameContext, kid: bigint, count: number): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) out.push(await sender.encrypt(kid, text(`frame ${i}`)));
  return out;
}

function frame(list: Uint8Array[], i: number): Uint8Array {
  const f = list[i];
  assert.ok(f, `no frame ${i}`);
  return f;
}

describe('SFrameContext sending', () => {
  it('uses CTR 0, 1, 2... per KID, independently for each KID', async () => {
    const sender = new SFrameContext();
    await sender.addSendKey(1, baseKey);
    await sender.addSendKey(2, baseKey);
    const ctrs = [];
    for (const kid of [1, 1, 2, 1, 2]) ctrs.push(decodeHeader(await sender.encrypt(kid, text('x'))));
    assert.deepEqual(ctrs.map((h) => [h.kid, h.ctr]), [[1n, 0n], [1n, 1n], [2n, 0n], [1n, 2n], [2n, 1n]]);
  });

  it('gives concurrent encryptions distinct CTRs', async () => {
    const { sender } = await pair();
    const all = await Promise.all(Array.from({ length: 20 }, () => sender.encrypt(5n, text('x'))));
    assert.equal(new Set(all.map((f) => decodeHeader(f).ctr)).size, 20);
  });

  it('never restarts a KID counter: removing and adding the key again continues it', async () => {
    const { sender } = await pair();
    await frames(sender, 5n, 3);
    sender.removeKey(5n);
    await assert.rejects(sender.encrypt(5n, text('x')), (e) => isSFrameError(e, 'no-send-key'));
    await sender.addSendKey(5n, baseKey);
    assert.equal(decodeHeader(await sender.encrypt(5n, text('x'))).ctr, 3n);
    await sender.addSendKey(5n, baseKey, { initialCounter: 1 });
    assert.equal(decodeHeader(await sender.encrypt(5n, text('x'))).ctr, 4n, 'initialCounter cannot move the CTR back');
  });

  it('refuses to encrypt once CTR 2^64-1 was used', async () => {
    const sender = new SFrameContext();
    await sender.addSendKey(9, baseKey, { initialCounter: MAX_UINT64 });
    assert.equal(decodeHeader(await sender.encrypt(9, text('last'))).ctr, MAX_UINT64);
    await assert.rejects(sender.encrypt(9, text('one more')), (e) => isSFrameError(e, 'counter-exhausted'));
  });

  it('keeps a KID to one role (RFC 9605 §4.4.1)', async () => {
    const context = new SFrameContext();
    await context.addSendKey(1, baseKey);
    await assert.rejects(context.addReceiveKey(1, baseKey), (e) => isSFrameError(e, 'key-role-conflict'));
    await context.addReceiveKey(2, baseKey);
    await assert.rejects(context.addSendKey(2, baseKey), (e) => isSFrameError(e, 'key-role-conflict'));
    await assert.rejects(context.encrypt(2, text('x')), (e) => isSFrameError(e, 'no-send-key'));
  });

  it('refuses empty base keys and unknown suites', async () => {
    await assert.rejects(new SFrameContext().addSendKey(1, new Uint8Array(0)), (e) => isSFrameError(e, 'invalid-key'));
    assert.throws(() => new SFrameContext({ suite: 0 }), (e) => isSFrameError(e, 'unsupported-suite'));
    await assert.rejects(new SFrameContext().addSendKey(1, baseKey, { suite: 0xf000 }), (e) => isSFrameError(e, 'unsupported-suite'));
  });
});

describe('SFrameContext receiving', () => {
  it('round-trips with metadata, for every suite', async () => {
    for (const suite of Object.values(CipherSuite)) {
      const { sender, receiver } = await pair(0x1234n, suite);
      const sealed = await sender.encrypt(0x1234n, text('hello'), text('meta'));
      const result = await receiver.decrypt(sealed, text('meta'));
      assert.deepEqual([result.kid, result.ctr, str(result.plaintext)], [0x1234n, 0n, 'hello'], `suite ${suite}`);
      await assert.rejects(
        (await pair(0x1234n, suite)).receiver.decrypt(sealed, text('metA')),
        (e) => isSFrameError(e, 'auth-failed'),
        `suite ${suite} with other metadata`,
      );
    }
  });

  it('refuses an unknown KID, and a removed one', async () => {
    const { sender, receiver } = await pair();
    const sealed = await sender.encrypt(5n, text('x'));
    await assert.rejects(new SFrameContext().decrypt(sealed), (e) => isSFrameError(e, 'unknown-kid'));
    assert.equal(receiver.removeKey(5n), true);
    await assert.rejects(receiver.decrypt(sealed), (e) => isSFrameError(e, 'unknown-kid'));
  });

  it('refuses a frame encrypted under another base key', async () => {
    const sender = new SFrameContext();
    await sender.addSendKey(5n, new Uint8Array(16).fill(8));
    const { receiver } = await pair();
    await assert.rejects(receiver.decrypt(await sender.encrypt(5n, text('x'))), (e) => isSFrameError(e, 'auth-failed'));
  });

  it('refuses the same frame twice', async () => {
    const { sender, receiver } = await pair();
    const sealed = await sender.encrypt(5n, text('once'));
    assert.equal(str((await receiver.decrypt(sealed)).plaintext), 'once');
    await assert.rejects(receiver.decrypt(sealed), (e) => isSFrameError(e, 'replay'));
  });

  it('refuses the same frame decrypted twice at once', async () => {
    const { sender, receiver } = await pair();
    const sealed = await sender.encrypt(5n, text('once'));
    const results = await Promise.allSettled([receiver.decrypt(sealed), receiver.decrypt(sealed)]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const rejected = results.find((r) => r.status === 'rejected');
    assert.ok(rejected && isSFrameError(rejected.reason, 'replay'));
  });

  it('accepts gaps (a simulcast layer switch) and reordering inside the window', async () => {
    const { sender, receiver } = await pair();
    const list = await frames(sender, 5n, 400);
    for (const i of [0, 1, 40, 39, 38, 300, 250, 299, 301, 399, 272]) {
      const result = await receiver.decrypt(frame(list, i));
      assert.equal(result.ctr, BigInt(i));
    }
  });

  it('refuses a CTR older than the window', async () => {
    const { sender, receiver } = await pair(5n, CipherSuite.AES_128_GCM_SHA256_128, 128);
    const list = await frames(sender, 5n, 200);
    await receiver.decrypt(frame(list, 199));
    await assert.rejects(receiver.decrypt(frame(list, 71)), (e) => isSFrameError(e, 'replay-too-old'));
    assert.equal((await receiver.decrypt(frame(list, 72))).ctr, 72n, 'the oldest CTR inside the window');
  });

  it('does not move the window for a frame that fails authentication', async () => {
    const { sender, receiver } = await pair();
    const list = await frames(sender, 5n, 1000);
    await receiver.decrypt(frame(list, 10));
    const forged = new Uint8Array(frame(list, 999));
    forged[forged.length - 1] = (forged[forged.length - 1] ?? 0) ^ 1;
    await assert.rejects(receiver.decrypt(forged), (e) => isSFrameError(e, 'auth-failed'));
    // Had CTR 999 been recorded, CTR 11 would be too old and 999 a replay.
    assert.equal((await receiver.decrypt(frame(list, 11))).ctr, 11n);
    assert.equal((await receiver.decrypt(frame(list, 999))).ctr, 999n);
  });

  it('gives a new receive key for the KID a fresh window', async () => {
    const { sender, receiver } = await pair();
    const sealed = await sender.encrypt(5n, text('x'));
    await receiver.decrypt(sealed);
    await receiver.addReceiveKey(5n, baseKey);
    assert.equal((await receiver.decrypt(sealed)).ctr, 0n);
  });

  it('peek reports the header and tag of a decryptable frame, null otherwise', async () => {
    const { sender, receiver } = await pair(300n);
    const sealed = await sender.encrypt(300n, text('x'));
    assert.deepEqual(receiver.peek(sealed), { kid: 300n, ctr: 0n, headerLength: 3, tagLength: 16 });
    assert.equal(receiver.peek(sealed.subarray(0, 10)), null, 'too short for the tag');
    assert.equal(new SFrameContext().peek(sealed), null, 'unknown KID');
    assert.equal(receiver.peek(new Uint8Array(0)), null);
  });
});

describe('ReplayWindow', () => {
  it('accepts new, refuses seen and too-old CTRs, with a window of 4', () => {
    const w = new ReplayWindow(4);
    w.accept(10n);
    w.check(9n);
    w.check(7n);
    assert.throws(() => w.check(6n), (e) => isSFrameError(e, 'replay-too-old'));
    assert.throws(() => w.check(10n), (e) => isSFrameError(e, 'replay'));
    w.accept(8n);
    assert.throws(() => w.accept(8n), (e) => isSFrameError(e, 'replay'));
    w.accept(12n); // window now 9..12, with 10 and 12 seen
    assert.throws(() => w.check(8n), (e) => isSFrameError(e, 'replay-too-old'));
    assert.throws(() => w.check(10n), (e) => isSFrameError(e, 'replay'));
    w.accept(9n);
    w.accept(11n);
    w.accept(1000n);
    assert.equal(w.highest, 1000n);
    w.accept(999n);
    assert.throws(() => w.check(996n), (e) => isSFrameError(e, 'replay-too-old'));
  });

  it('refuses silly sizes', () => {
    assert.throws(() => new ReplayWindow(0), RangeError);
    assert.throws(() => new ReplayWindow(1.5), RangeError);
  });
});
