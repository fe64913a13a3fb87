/** Runs the build's SBOM generator (scripts/generate-sbom.mjs) into a path, as `npm run build` does. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../../../../scripts/generate-sbom.mjs', import.meta.url));

export function generateSbom(out: string): void {
  execFileSync(process.execPath, [SCRIPT, '--out', out], { stdio: 'pipe' });
}
