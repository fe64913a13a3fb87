#!/usr/bin/env node
/**
 * Writes the server's CycloneDX SBOM (its runtime dependencies, transitively) to
 * packages/server/dist/sbom.json, or to the path after `--out`. Part of `npm run build`.
 *
 * It asks npm (`npm sbom`, from package-lock.json: offline, and on a clean clone before install) for
 * the server workspace's whole tree, then keeps what @parley/server's runtime dependencies reach in
 * npm's own dependency graph. It does not use `--omit dev`: with a workspace, npm 11 leaves out
 * production packages that a dev dependency also reaches (ws, zod, semver here; npm/cli#7909).
 * Our own workspace packages (@parley/protocol, ...) are added as components, and the document
 * describes @parley/server as the application. It fails if a declared runtime dependency is missing.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : join(root, 'packages/server/dist/sbom.json');
if (!out) throw new Error('--out needs a path');

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const server = readJson(join(root, 'packages/server/package.json'));
const workspaces = new Map(
  readJson(join(root, 'package.json')).workspaces.map((dir) => {
    const pkg = readJson(join(root, dir, 'package.json'));
    return [`${pkg.name}@${pkg.version}`, pkg];
  }),
);

const args = ['sbom', '--sbom-format', 'cyclonedx', '--sbom-type', 'application', '--package-lock-only', '--workspace', server.name];
// Under `npm run`, use the very npm that runs us; otherwise the one on PATH.
const [command, argv] = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath, ...args]] : ['npm', args];
const bom = JSON.parse(execFileSync(command, argv, { cwd: root, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }));

const serverRef = `${server.name}@${server.version}`;
const graph = new Map((bom.dependencies ?? []).map((d) => [d.ref, d.dependsOn ?? []]));
const devOnly = new Set(Object.keys(server.devDependencies ?? {}));
const direct = (graph.get(serverRef) ?? []).filter((ref) => !devOnly.has(ref.slice(0, ref.lastIndexOf('@'))));
const reached = new Set();
for (const stack = [...direct]; stack.length > 0; ) {
  const ref = stack.pop();
  if (reached.has(ref)) continue;
  reached.add(ref);
  stack.push(...(graph.get(ref) ?? []));
}

const packageOf = (ref) => ref.slice(0, ref.lastIndexOf('@'));
// npm names a workspace's component after its folder (`sfu`): give it its package name back.
const components = bom.components
  .filter((c) => reached.has(c['bom-ref']))
  .map((c) => (workspaces.has(c['bom-ref']) ? { ...c, name: workspaces.get(c['bom-ref']).name } : c));
for (const ref of reached) {
  const pkg = workspaces.get(ref);
  if (pkg && !components.some((c) => c['bom-ref'] === ref)) {
    components.push({ 'bom-ref': ref, type: 'library', name: pkg.name, version: pkg.version, scope: 'required', description: pkg.description ?? '' });
  }
}
const missing = Object.keys(server.dependencies ?? {}).filter((name) => !components.some((c) => packageOf(c['bom-ref']) === name));
if (missing.length > 0) throw new Error(`the SBOM lacks runtime dependencies of ${server.name}: ${missing.join(', ')}`);
if (components.length === 0) throw new Error('the SBOM has no components');

const result = {
  ...bom,
  metadata: {
    ...bom.metadata,
    component: { 'bom-ref': serverRef, type: 'application', name: server.name, version: server.version, description: server.description ?? '' },
  },
  components: components.sort((a, b) => a['bom-ref'].localeCompare(b['bom-ref'])),
  dependencies: [
    { ref: serverRef, dependsOn: direct },
    ...(bom.dependencies ?? []).filter((d) => reached.has(d.ref)).map((d) => ({ ref: d.ref, dependsOn: (d.dependsOn ?? []).filter((r) => reached.has(r)) })),
  ],
};
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`SBOM: ${components.length} components (CycloneDX ${bom.specVersion}) -> ${out}`);
