// Vite build of Parley's browser client. The output (dist/) is served by @parley/server under a strict
// CSP, so nothing here may inline scripts or styles or load anything from another origin.
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
// Where `vite dev` forwards API and signaling calls (a running `parley` server).
const devBackend = process.env.PARLEY_DEV_BACKEND ?? 'http://127.0.0.1:8080';

export default defineConfig({
  define: {
    __PARLEY_CLIENT_BUILD__: JSON.stringify(pkg.version),
  },
  oxc: {
    jsx: { runtime: 'automatic', importSource: 'react' },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Never turn a small asset into an inline data: URL of a kind the CSP would block (fonts, scripts).
    assetsInlineLimit: 0,
    sourcemap: true,
  },
  server: {
    proxy: {
      '/api': devBackend,
      '/ws': { target: devBackend.replace(/^http/, 'ws'), ws: true },
    },
  },
});
