/** The console's Posture calls, and the SBOM download (administrators). */
import { PostureReport } from '@parley/protocol';
import { z } from 'zod';
import type { ApiClient } from '../api.js';
import { saveBlob } from '../download.js';

export function fetchPosture(api: ApiClient, from: number, to: number): Promise<PostureReport> {
  return api.call('GET', `/api/admin/posture?from=${from}&to=${to}`, PostureReport);
}

/** Saves the report as the JSON the server sent (validated first). */
export function downloadPosture(report: PostureReport): void {
  const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
  saveBlob(new Blob([JSON.stringify(report, null, 2)], { type: 'application/json' }), `parley-posture-${day(report.period.from)}-${day(report.period.to)}.json`);
}

const CycloneDx = z.object({ bomFormat: z.literal('CycloneDX'), specVersion: z.string() }).loose();

export async function downloadSbom(api: ApiClient, serverBuild: string): Promise<void> {
  const bom = await api.call('GET', '/api/admin/sbom', CycloneDx);
  saveBlob(new Blob([JSON.stringify(bom, null, 2)], { type: 'application/vnd.cyclonedx+json' }), `parley-${serverBuild}-sbom.cdx.json`);
}
