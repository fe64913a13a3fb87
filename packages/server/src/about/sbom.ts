/**
 * The CycloneDX software bill of materials written at build time (scripts/generate-sbom.mjs, into
 * packages/server/dist/sbom.json): read once, validated enough to summarise, and served whole to
 * administrators. A server started without a build (from the sources) says the SBOM is not there.
 */
import { readFile } from 'node:fs/promises';
import type { SbomComponent, SbomSummary } from '@parley/protocol';
import { z } from 'zod';

/** The parts of a CycloneDX document Parley reads; everything else is passed through untouched. */
const CycloneDx = z
  .object({
    bomFormat: z.literal('CycloneDX'),
    specVersion: z.string(),
    metadata: z.object({ timestamp: z.string().optional(), component: z.object({ 'bom-ref': z.string().optional() }).loose().optional() }).loose().optional(),
    components: z.array(z.object({ 'bom-ref': z.string().optional(), name: z.string(), version: z.string().default(''), group: z.string().optional() }).loose()),
    dependencies: z.array(z.object({ ref: z.string(), dependsOn: z.array(z.string()).optional() }).loose()).optional(),
  })
  .loose();

export interface LoadedSbom {
  summary: SbomSummary;
  components: SbomComponent[];
  /** The document as written at build time. */
  raw: unknown;
}

/** The component that the SBOM describes the dependencies of. */
export const SERVER_PACKAGE = '@parley/server';

function nameOf(c: { name: string; group?: string | undefined }): string {
  return c.group ? `${c.group}/${c.name}` : c.name;
}

export async function loadSbom(path: string): Promise<LoadedSbom | { summary: SbomSummary; components: null; raw: null }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return { summary: { available: false, reason: 'no SBOM was generated for this server (it runs without `npm run build`)' }, components: null, raw: null };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { summary: { available: false, reason: 'the SBOM file is not valid JSON' }, components: null, raw: null };
  }
  const parsed = CycloneDx.safeParse(raw);
  if (!parsed.success) return { summary: { available: false, reason: 'the SBOM file is not a CycloneDX document' }, components: null, raw: null };
  const bom = parsed.data;
  const components = bom.components.map((c) => ({ name: nameOf(c), version: c.version })).sort((a, b) => a.name.localeCompare(b.name));
  const byRef = new Map(bom.components.map((c) => [c['bom-ref'] ?? `${nameOf(c)}@${c.version}`, c]));
  const rootRef = bom.metadata?.component?.['bom-ref'];
  const top = (bom.dependencies ?? []).find((d) => d.ref === rootRef)?.dependsOn ?? [];
  const topLevel = top
    .map((ref) => byRef.get(ref))
    .filter((c): c is NonNullable<typeof c> => c !== undefined)
    .map((c) => ({ name: nameOf(c), version: c.version }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return {
    summary: {
      available: true,
      bomFormat: bom.bomFormat,
      specVersion: bom.specVersion,
      generatedAt: bom.metadata?.timestamp ?? null,
      componentCount: components.length,
      topLevel,
    },
    components,
    raw,
  };
}
