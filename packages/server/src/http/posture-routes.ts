/**
 * The posture report (administrators), the About facts (signed-in users; the component list for
 * administrators only) and the SBOM download (administrators).
 *
 * Why not everyone sees the components: a list of exact dependency versions is a map for whoever
 * looks for a known vulnerability to use. Members need the build (to tell support what they run);
 * the security office needs the components. Guests, who need neither, get 401.
 */
import { ParleyError, PostureQuery, type AboutInfo, type PostureReport } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import type { LoadedSbom, loadSbom } from '../about/sbom.js';
import type { PostureReporter } from '../posture/posture-report.js';
import { parseBody } from './parse-body.js';
import { requireAdmin } from './require-admin.js';

export function postureRoutes(app: FastifyInstance, deps: { reporter: PostureReporter; serverBuild: string; sbom: () => ReturnType<typeof loadSbom> }): void {
  app.get('/api/admin/posture', async (request, reply) => {
    requireAdmin(request);
    const query = parseBody(PostureQuery, request.query);
    const report: PostureReport = await deps.reporter.report(query);
    return reply.header('cache-control', 'no-store').send(report);
  });

  app.get('/api/about', async (request, reply) => {
    const user = request.parleySession?.user;
    if (!user) throw new ParleyError('sign_in_required');
    const sbom = await deps.sbom();
    const about: AboutInfo = { serverBuild: deps.serverBuild, sbom: sbom.summary, components: user.org_role === 'admin' ? sbom.components : null };
    return reply.header('cache-control', 'no-store').send(about);
  });

  app.get('/api/admin/sbom', async (request, reply) => {
    requireAdmin(request);
    const sbom = await deps.sbom();
    if (!sbom.raw) throw new ParleyError('not_found', sbom.summary.available ? 'no SBOM' : sbom.summary.reason);
    return reply
      .header('cache-control', 'no-store')
      .header('content-type', 'application/vnd.cyclonedx+json; charset=utf-8')
      .header('content-disposition', `attachment; filename="parley-${deps.serverBuild}-sbom.cdx.json"`)
      .send(JSON.stringify((sbom as LoadedSbom).raw));
  });
}
