/**
 * The administrators' view of the audit log: GET /api/admin/audit (filtered, newest first, keyset
 * pages by seq) and GET /api/admin/audit/status (does the chain verify). Administrators only.
 */
import { AuditQuery, type AuditEventView, type AuditStatusView } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import type { KeyObject } from 'node:crypto';
import { auditStatus } from '../audit/status.js';
import type { Db } from '../storage/db.js';
import { parseBody } from './parse-body.js';
import { requireAdmin } from './require-admin.js';

export interface AuditRoutesDeps {
  db: Db;
  publicKey: KeyObject;
}

function detailsOf(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { unreadable: text };
  }
}

export function auditRoutes(app: FastifyInstance, deps: AuditRoutesDeps): void {
  app.get('/api/admin/audit', async (request, reply) => {
    requireAdmin(request);
    const q = parseBody(AuditQuery, request.query);
    let query = deps.db
      .selectFrom('audit_events')
      .leftJoin('users as actors', 'actors.id', 'audit_events.actor')
      .leftJoin('users as targets', 'targets.id', 'audit_events.target')
      .selectAll('audit_events')
      .select(['actors.email as actor_email', 'targets.email as target_email']);
    if (q.meetingId) query = query.where('meeting_id', '=', q.meetingId);
    if (q.person) {
      const person = q.person;
      const id = person.includes('@') ? (await deps.db.selectFrom('users').select('id').where('email', '=', person.toLowerCase()).executeTakeFirst())?.id : person;
      if (id === undefined) return reply.header('cache-control', 'no-store').send({ events: [], next: null });
      query = query.where((eb) => eb.or([eb('audit_events.actor', '=', id), eb('audit_events.target', '=', id)]));
    }
    if (q.action) query = query.where('action', '=', q.action);
    if (q.from) query = query.where('at', '>=', Date.parse(q.from));
    if (q.to) query = query.where('at', '<=', Date.parse(q.to));
    if (q.before) query = query.where('audit_events.seq', '<', q.before);
    const rows = await query.orderBy('audit_events.seq', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const events: AuditEventView[] = page.map((r) => ({
      seq: r.seq,
      at: r.at,
      meetingId: r.meeting_id,
      actor: r.actor,
      actorEmail: r.actor_email,
      action: r.action,
      target: r.target,
      targetEmail: r.target_email,
      clientAddress: r.client_address,
      details: detailsOf(r.details),
      hash: r.hash,
    }));
    const next = rows.length > q.limit ? (page.at(-1)?.seq ?? null) : null;
    return reply.header('cache-control', 'no-store').send({ events, next });
  });

  // One verification at a time, whoever asks: requests that arrive while one runs share its answer.
  // Not cached beyond that: an edit behind the server's back must show on the next look.
  let running: Promise<AuditStatusView> | undefined;
  app.get('/api/admin/audit/status', async (request, reply) => {
    requireAdmin(request);
    running ??= auditStatus(deps.db, deps.publicKey).finally(() => (running = undefined));
    return reply.header('cache-control', 'no-store').send(await running);
  });
}
