// Vite build of Parley's browser client. The output (dist/) is served by @parley/server under a strict
// CSP, so nothing here may inline scripts or styles or load anything from another origin.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * The client's build identity, `<version>+<content hash>`: the hash covers every input of the bundle
 * (this client's, the protocol's and the E2EE package's sources, index.html, the dependency lock), so
 * any change makes a new build and an unchanged tree keeps its identity. Compiled into the client (sent
 * in `hello`) and written to dist/build.json, where the server reads and watches it (C1).
 */
function buildIdentity(): string {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const hash = createHash('sha256');
  const add = (path: string): void => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of readdirSync(path).sort()) if (name !== 'node_modules' && name !== 'dist') add(join(path, name));
      return;
    }
    hash.update(path.slice(root.length)).update('\0').update(readFileSync(path)).update('\0');
  };
  for (const input of ['packages/web/src', 'packages/web/index.html', 'packages/web/vite.config.ts', 'packages/protocol/src', 'packages/e2ee/src', 'package-lock.json']) add(join(root, input));
  return `${pkg.version}+${hash.digest('hex').slice(0, 12)}`;
}
const CLIENT_BUILD = buildIdentity();

/** Writes dist/build.json: the build identity the server serves and compares `hello` against. */
function buildFile(): Plugin {
  return {
    name: 'parley-build-file',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'build.json', source: `${JSON.stringify({ build: CLIENT_BUILD })}\n` });
    },
  };
}
// Where `vite dev` forwards API and signaling calls (a running `parley` server).
const devBackend = process.env.PARLEY_DEV_BACKEND ?? 'http://127.0.0.1:8080';

/**
 * ts-mls (under @parley/e2ee's MLS code, loaded only in end-to-end encrypted meetings) imports the
 * crypto of cipher suites Parley does not use on demand, from optional packages that are not
 * installed; @hpke/common imports Node's `crypto` for when there is no WebCrypto. None of these runs
 * in a browser with Parley's suite (X25519, AES-128-GCM, Ed25519 all in WebCrypto), so each becomes a
 * module that throws if it is ever imported: an unused suite fails loudly instead of pulling code in.
 */
const UNUSED_CRYPTO = /^(?:@noble\/(?:curves|post-quantum)(?:\/.*)?|@hpke\/(?:chacha20poly1305|dhkem-x448|ml-kem|hybridkem-x-wing))$/;
function unusedCrypto(): Plugin {
  const prefix = '\0parley-unused-crypto:';
  return {
    name: 'parley-unused-crypto',
    enforce: 'pre',
    resolveId(id, importer) {
      if (UNUSED_CRYPTO.test(id) || (id === 'crypto' && importer?.includes('/@hpke/'))) return prefix + id;
      return null;
    },
    load(id) {
      if (!id.startsWith(prefix)) return null;
      const name = JSON.stringify(id.slice(prefix.length));
      return `throw new Error(${name} + ' is not part of the Parley client: its MLS cipher suite uses WebCrypto only');`;
    },
  };
}

export default defineConfig({
  plugins: [unusedCrypto(), buildFile()],
  define: {
    __PARLEY_CLIENT_BUILD__: JSON.stringify(CLIENT_BUILD),
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
  // The end-to-end encryption worker (src/lib/e2ee/frame-worker.ts) is a module worker.
  worker: {
    format: 'es',
    plugins: () => [unusedCrypto()],
  },
  server: {
    proxy: {
      '/api': devBackend,
      '/ws': { target: devBackend.replace(/^http/, 'ws'), ws: true },
    },
  },
});
