/**
 * The build's SBOM: the generator writes valid CycloneDX of the server's runtime dependencies (and
 * nothing only the tests use), About shows the build to members and the components to
 * administrators, and administrators download the document.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AboutInfo, PostureReport } from '@parley/protocol';
import { generateSbom } from '../test-support/sbom.js';
import { startTestServer, type TestServer } from '../test-support/server.js';

interface Bom {
  bomFormat: string;
  specVersion: string;
  metadata: { component: { name: string; type: string } };
  components: { name: string; version: string; 'bom-ref': string }[];
  dependencies: { ref: string; dependsOn: string[] }[];
}

let dir: string;
let bom: Bom;
let server: TestServer;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-sbom-'));
  generateSbom(join(dir, 'sbom.json'));
  bom = JSON.parse(readFileSync(join(dir, 'sbom.json'), 'utf8')) as Bom;
  server = await startTestServer({ sbomPath: join(dir, 'sbom.json') });
});
after(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the generator writes CycloneDX describing @parley/server and its runtime dependencies', () => {
  assert.equal(bom.bomFormat, 'CycloneDX');
  assert.match(bom.specVersion, /^1\.\d+$/);
  assert.ok(bom.components.length > 0);
  assert.deepEqual([bom.metadata.component.name, bom.metadata.component.type], ['@parley/server', 'application']);
  const names = new Set(bom.components.map((c) => c.name));
  const server = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  // Every runtime dependency, including those npm's `--omit dev` drops when a dev tool also uses them.
  for (const name of Object.keys(server.dependencies)) assert.ok(names.has(name), `${name} is in the SBOM`);
  for (const name of ['mediasoup', 'ts-mls']) assert.ok(names.has(name), `${name} (through our packages) is in the SBOM`);
  for (const name of Object.keys(server.devDependencies)) assert.ok(!names.has(name), `${name} (dev only) is not`);
  for (const name of ['typescript', 'eslint', 'playwright-core', 'react']) assert.ok(!names.has(name), `${name} is not a server dependency`);
  const refs = new Set(bom.components.map((c) => c['bom-ref']));
  for (const d of bom.dependencies) for (const r of d.dependsOn) assert.ok(refs.has(r), `${d.ref} -> ${r} names a component`);
});

test('About: members see the build and the SBOM summary, administrators also every component', async () => {
  const member = await server.createUser('about-member@parley.test');
  const forMember = (await (await server.api('GET', '/api/about', undefined, member)).json()) as AboutInfo;
  assert.equal(typeof forMember.serverBuild, 'string');
  assert.equal(forMember.components, null);
  assert.ok(forMember.sbom.available && forMember.sbom.componentCount === bom.components.length);
  const forAdmin = (await (await server.api('GET', '/api/about', undefined, server.admin)).json()) as AboutInfo;
  assert.equal(forAdmin.components?.length, bom.components.length);
  assert.ok(forAdmin.components?.some((c) => c.name === 'fastify' && /^\d+\.\d+\.\d+/.test(c.version)));
  assert.ok(forAdmin.sbom.available && forAdmin.sbom.topLevel.some((c) => c.name === '@parley/protocol'));
  const report = (await (await server.api('GET', '/api/admin/posture', undefined, server.admin)).json()) as PostureReport;
  assert.ok(report.build.sbom.available && report.build.sbom.componentCount === bom.components.length);
});

test('administrators download the whole CycloneDX document', async () => {
  const res = await server.api('GET', '/api/admin/sbom', undefined, server.admin);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^application\/vnd\.cyclonedx\+json/);
  assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="parley-.*-sbom\.cdx\.json"$/);
  assert.deepEqual(await res.json(), bom);
});

test('a server without a generated SBOM says so instead of failing', async () => {
  const bare = await startTestServer({ sbomPath: join(dir, 'missing.json') });
  try {
    const about = (await (await bare.api('GET', '/api/about', undefined, bare.admin)).json()) as AboutInfo;
    assert.equal(about.sbom.available, false);
    assert.equal((await bare.api('GET', '/api/admin/sbom', undefined, bare.admin)).status, 404);
  } finally {
    await bare.close();
  }
});
