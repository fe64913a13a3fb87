/**
 * SFrame frame encryption benchmark: encrypt + decrypt of 720p-sized VP8 frames (a 30 KB key frame,
 * a 5 KB delta frame) and a 120-byte Opus frame through encryptFrame / decryptFrame, in ms per frame.
 * Not a test (no assertion on time). Node: `node --import tsx packages/e2ee/src/sframe/bench.ts`;
 * a browser bench imports runSFrameBench and formats the results itself.
 */
import { SFrameContext } from './context.js';
import { decryptFrame, encryptFrame } from './frame-crypto.js';
import type { FrameInfo } from './frame-crypto.js';
import { cipherSuite, PARLEY_CIPHER_SUITE } from './suites.js';

export interface BenchResult {
  readonly name: string;
  readonly suite: string;
  readonly frameBytes: number;
  readonly iterations: number;
  readonly encryptMs: number;
  readonly decryptMs: number;
  /** encryptMs + decryptMs: the per-frame budget the target (< 0.2 ms at 720p) is about. */
  readonly totalMs: number;
}

export interface BenchOptions {
  readonly iterations?: number;
  readonly suites?: readonly number[];
}

const CASES: readonly { name: string; bytes: number; info: FrameInfo }[] = [
  { name: 'VP8 key frame 720p', bytes: 30_000, info: { kind: 'video', codec: 'video/VP8', isKeyFrame: true } },
  { name: 'VP8 delta frame 720p', bytes: 5_000, info: { kind: 'video', codec: 'video/VP8', isKeyFrame: false } },
  { name: 'Opus frame', bytes: 120, info: { kind: 'audio', codec: 'audio/opus', isKeyFrame: false } },
];

function frameOf(bytes: number): Uint8Array<ArrayBuffer> {
  const frame = new Uint8Array(bytes);
  for (let offset = 0; offset < bytes; offset += 65_536) globalThis.crypto.getRandomValues(frame.subarray(offset, offset + 65_536));
  return frame;
}

/** Runs every case for every suite (default: Parley's suite 4 and suite 1); sequential, one frame at a time. */
export async function runSFrameBench(options: BenchOptions = {}): Promise<BenchResult[]> {
  const iterations = options.iterations ?? 2000;
  const results: BenchResult[] = [];
  for (const suiteId of options.suites ?? [PARLEY_CIPHER_SUITE, 1]) {
    const suite = cipherSuite(suiteId);
    const baseKey = frameOf(suite.nk);
    const sender = new SFrameContext({ suite: suiteId });
    const receiver = new SFrameContext({ suite: suiteId });
    await sender.addSendKey(1, baseKey);
    await receiver.addReceiveKey(1, baseKey);
    for (const c of CASES) {
      const frame = frameOf(c.bytes);
      const round = async (): Promise<[number, number]> => {
        const t0 = performance.now();
        const sealed = await encryptFrame(sender, 1, frame, c.info);
        const t1 = performance.now();
        await decryptFrame(receiver, sealed, c.info);
        return [t1 - t0, performance.now() - t1];
      };
      for (let i = 0; i < Math.min(200, iterations); i++) await round(); // warm-up
      let encrypt = 0;
      let decrypt = 0;
      for (let i = 0; i < iterations; i++) {
        const [e, d] = await round();
        encrypt += e;
        decrypt += d;
      }
      results.push({
        name: c.name,
        suite: suite.name,
        frameBytes: c.bytes,
        iterations,
        encryptMs: encrypt / iterations,
        decryptMs: decrypt / iterations,
        totalMs: (encrypt + decrypt) / iterations,
      });
    }
  }
  return results;
}

/** One line per result. */
export function formatBenchResults(results: readonly BenchResult[]): string {
  return results
    .map((r) => `${r.suite.padEnd(28)} ${r.name.padEnd(22)} ${String(r.frameBytes).padStart(6)} B  encrypt ${r.encryptMs.toFixed(4)} ms  decrypt ${r.decryptMs.toFixed(4)} ms  total ${r.totalMs.toFixed(4)} ms/frame`)
    .join('\n');
}

/** Run as a script (Node): the package has no Node types, so process is looked up loosely. */
const argv = (globalThis as { process?: { argv?: string[] } }).process?.argv;
if (argv?.[1] && decodeURIComponent(new URL(import.meta.url).pathname) === argv[1]) {
  console.log(formatBenchResults(await runSFrameBench()));
}
