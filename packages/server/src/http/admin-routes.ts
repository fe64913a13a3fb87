/** The organization administrators' view: participants reported by moderators and participants. */
import type { FastifyInstance } from 'fastify';
import type { ModerationStore } from '../storage/moderation.js';
import { requireAdmin } from './require-admin.js';

export function adminRoutes(app: FastifyInstance, deps: { moderation: ModerationStore }): void {
  app.get('/api/admin/reports', async (request, reply) => {
    requireAdmin(request);
    const rows = await deps.moderation.reports();
    return reply.header('cache-control', 'no-store').send({
      reports: rows.map((r) => ({ id: r.id, meetingId: r.meeting_id, reporter: r.reporter, targetUserId: r.target_user_id, targetName: r.target_name, note: r.note, at: r.created_at })),
    });
  });
}
