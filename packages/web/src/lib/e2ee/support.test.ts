/** The E2EE support probe names the first missing piece; a browser with all of them gets a transform mode. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probeE2eeSupport, type SupportEnv } from './support.js';

/** A Worker constructor that reads its options (as a browser with module workers does) and throws on the URL. */
class ModuleWorker {
  constructor(_url: string, options: { type?: string }) {
    void options.type;
    throw new SyntaxError('invalid URL');
  }
}
class ClassicWorker {
  constructor() {
    throw new SyntaxError('invalid URL');
  }
}

const subtle = (missing: string[] = []): Pick<SubtleCrypto, 'generateKey'> => ({
  generateKey: (async (algorithm: { name: string }) => {
    if (missing.includes(algorithm.name)) throw new DOMException('Unrecognized name', 'NotSupportedError');
    return {} as CryptoKeyPair;
  }) as unknown as SubtleCrypto['generateKey'],
});

const full: SupportEnv = { RTCRtpScriptTransform: class {}, Worker: ModuleWorker, crypto: { subtle: subtle() } };

test('a browser with RTCRtpScriptTransform, module workers, Ed25519 and X25519 is supported', async () => {
  assert.deepEqual(await probeE2eeSupport(full), { ok: true, mode: 'script' });
});

test('createEncodedStreams is the fallback when RTCRtpScriptTransform is missing', async () => {
  const env: SupportEnv = { ...full, RTCRtpScriptTransform: undefined, RTCRtpSender: { prototype: { createEncodedStreams() {} } } };
  assert.deepEqual(await probeE2eeSupport(env), { ok: true, mode: 'encoded-streams' });
});

test('each missing piece is reported', async () => {
  const cases: [SupportEnv, RegExp][] = [
    [{ ...full, RTCRtpScriptTransform: undefined, RTCRtpSender: { prototype: {} } }, /encoded transform/],
    [{ ...full, Worker: undefined }, /module workers/],
    [{ ...full, Worker: ClassicWorker }, /module workers/],
    [{ ...full, crypto: {} }, /WebCrypto/],
    [{ ...full, crypto: { subtle: subtle(['Ed25519']) } }, /Ed25519/],
    [{ ...full, crypto: { subtle: subtle(['X25519']) } }, /X25519/],
  ];
  for (const [env, reason] of cases) {
    const result = await probeE2eeSupport(env);
    assert.equal(result.ok, false);
    assert.match(result.ok ? '' : result.reason, reason);
  }
});

test('Node itself has the WebCrypto pieces (the probe runs the real generateKey)', async () => {
  const result = await probeE2eeSupport({ ...full, crypto: globalThis.crypto });
  assert.deepEqual(result, { ok: true, mode: 'script' });
});
