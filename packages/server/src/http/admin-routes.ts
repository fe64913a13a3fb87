/** The organization administrators' view of participants reported by moderators and participants. */
import { AdminReportsQuery, CloseReportRequest, ParleyError, type AdminReport, type AdminReportsPage } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import type { ReportReview } from '../reports/report-review.js';
import { parseBody } from './parse-body.js';
import { requireAdmin } from './require-admin.js';

export function adminRoutes(app: FastifyInstance, deps: { reports: ReportReview }): void {
  app.get('/api/admin/reports', async (request, reply) => {
    requireAdmin(request);
    const query = parseBody(AdminReportsQuery, request.query);
    const page: AdminReportsPage = { reports: await deps.reports.list(query.status) };
    return reply.header('cache-control', 'no-store').send(page);
  });

  app.post('/api/admin/reports/:id/close', async (request, reply) => {
    const admin = requireAdmin(request);
    const id = (request.params as { id?: unknown }).id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new ParleyError('not_found', 'no report with this ID');
    const body = parseBody(CloseReportRequest, request.body);
    const report: AdminReport = await deps.reports.close(id, { actor: admin.id, clientAddress: request.ip }, body.resolution);
    return reply.header('cache-control', 'no-store').send(report);
  });
}
