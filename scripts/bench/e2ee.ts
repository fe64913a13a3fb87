/**
 * The cost of end-to-end encryption: SFrame encrypt + decrypt per frame in Chromium, inside a
 * dedicated Worker as in a meeting (packages/e2ee/src/sframe/bench.ts, bundled with esbuild and served
 * from 127.0.0.1: WebCrypto needs a secure context), and the join times of a sensitive meeting against
 * a standard one as tests/browser/e2ee.test.ts prints them.
 */
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { BenchResult } from '../../packages/e2ee/src/sframe/bench.js';
import { browserTestLines, type Recovery } from './recovery.js';

const root = new URL('../..', import.meta.url).pathname;
const CHROMIUM = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';

export async function sframeInChromium(iterations = 400): Promise<BenchResult[]> {
  const bundle = await build({
    stdin: {
      contents: `import { runSFrameBench } from './packages/e2ee/src/sframe/bench.ts';\nrunSFrameBench({ iterations: ${iterations} }).then((r) => postMessage(r), (e) => postMessage(String(e)));`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    write: false,
    target: 'es2022',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const server = createServer((req, res) => {
    if (req.url === '/bench.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>sframe bench</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${port}/`);
    const result = await page.evaluate(
      () =>
        new Promise<unknown>((resolve) => {
          const worker = new Worker('/bench.js', { type: 'module' });
          worker.onmessage = (e: MessageEvent) => resolve(e.data);
          worker.onerror = (e) => resolve(`worker error: ${e.message}`);
        }),
    );
    if (!Array.isArray(result)) throw new Error(String(result));
    return result as BenchResult[];
  } finally {
    await browser.close();
    server.close();
  }
}

export function e2eeJoinTimes(timeoutMs: number): Promise<Recovery> {
  return browserTestLines('tests/browser/e2ee.test.ts', /^# (join|tap):/, timeoutMs);
}
