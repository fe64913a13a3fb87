/**
 * Whether this browser can take part in an end-to-end encrypted meeting: a way to put a transform
 * on every RTP sender and receiver (RTCRtpScriptTransform, or Chromium's older createEncodedStreams),
 * module workers (the transform runs in one), and WebCrypto Ed25519 and X25519 (the MLS cipher
 * suite's signature and key exchange). Without all of them the person cannot join such a meeting:
 * there is never a fallback to media the server could read.
 */

export const E2EE_UNSUPPORTED_TEXT =
  'This meeting is end-to-end encrypted and this browser cannot encrypt media. Use a current Chrome, Edge, Firefox or Safari.';

/** How transforms are attached: the standard RTCRtpScriptTransform, or createEncodedStreams() streams posted to the worker. */
export type TransformMode = 'script' | 'encoded-streams';

export type E2eeSupport = { ok: true; mode: TransformMode } | { ok: false; reason: string };

/** What the probe looks at (the page's globals by default; tests pass their own). */
export interface SupportEnv {
  readonly RTCRtpScriptTransform?: unknown;
  readonly RTCRtpSender?: { readonly prototype: object } | undefined;
  readonly Worker?: unknown;
  readonly crypto?: { readonly subtle?: Pick<SubtleCrypto, 'generateKey'> } | undefined;
}

/** The transform path this browser offers, if any. */
export function transformMode(env: SupportEnv): TransformMode | null {
  if (typeof env.RTCRtpScriptTransform === 'function') return 'script';
  const proto = env.RTCRtpSender?.prototype as { createEncodedStreams?: unknown } | undefined;
  if (proto && typeof proto.createEncodedStreams === 'function') return 'encoded-streams';
  return null;
}

/**
 * Module workers, detected without starting one: a browser that knows the `type` option reads it
 * while converting the options, before it parses the (deliberately invalid) URL and throws.
 */
export function moduleWorkers(env: SupportEnv): boolean {
  const WorkerCtor = env.Worker;
  if (typeof WorkerCtor !== 'function') return false;
  let read = false;
  const options = {
    get type(): WorkerType {
      read = true;
      return 'module';
    },
  };
  try {
    new (WorkerCtor as typeof Worker)('http://[', options).terminate();
  } catch {
    // The invalid URL: expected.
  }
  return read;
}

async function canGenerate(subtle: Pick<SubtleCrypto, 'generateKey'>, name: 'Ed25519' | 'X25519'): Promise<boolean> {
  try {
    const usages: KeyUsage[] = name === 'Ed25519' ? ['sign', 'verify'] : ['deriveBits'];
    await subtle.generateKey({ name }, false, usages);
    return true;
  } catch {
    return false;
  }
}

/** Checks every piece; the first one missing is the reason. */
export async function probeE2eeSupport(env: SupportEnv): Promise<E2eeSupport> {
  const mode = transformMode(env);
  if (mode === null) return { ok: false, reason: 'no WebRTC encoded transform (RTCRtpScriptTransform)' };
  if (!moduleWorkers(env)) return { ok: false, reason: 'no module workers' };
  const subtle = env.crypto?.subtle;
  if (!subtle) return { ok: false, reason: 'no WebCrypto (the page is not in a secure context)' };
  if (!(await canGenerate(subtle, 'Ed25519'))) return { ok: false, reason: 'no Ed25519 in WebCrypto' };
  if (!(await canGenerate(subtle, 'X25519'))) return { ok: false, reason: 'no X25519 in WebCrypto' };
  return { ok: true, mode };
}

let probed: Promise<E2eeSupport> | undefined;

/** This browser's support, probed once per page. */
export function e2eeSupport(): Promise<E2eeSupport> {
  probed ??= probeE2eeSupport(globalThis as SupportEnv);
  return probed;
}
