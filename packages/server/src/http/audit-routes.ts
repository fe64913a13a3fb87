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

/** A verification is reused while the log and checkpoints are unchanged, for at most this long. */
const STATUS_REUSE_MS = 60_000;

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
    let query = deps.db.selectFrom('audit_events').selectAll();
    if (q.meetingId) query = query.where('meeting_id', '=', q.meetingId);
    if (q.actor) query = query.where('actor', '=', q.actor);
    if (q.action) query = query.where('action', '=', q.action);
    if (q.from) query = query.where('at', '>=', Date.parse(q.from));
    if (q.to) query = query.where('at', '<=', Date.parse(q.to));
    if (q.before) query = query.where('seq', '<', q.before);
    const rows = await query.orderBy('seq', 'desc').limit(q.limit + 1).execute();
    const page = rows.slice(0, q.limit);
    const events: AuditEventView[] = page.map((r) => ({
      seq: r.seq,
      at: r.at,
      meetingId: r.meeting_id,
      actor: r.actor,
      action: r.action,
      target: r.target,
      clientAddress: r.client_address,
      details: detailsOf(r.details),
      hash: r.hash,
    }));
    const next = rows.length > q.limit ? (page.at(-1)?.seq ?? null) : null;
    return reply.header('cache-control', 'no-store').send({ events, next });
  });

  // One verification at a time, whoever asks; reused while nothing changed.
  let running: Promise<AuditStatusView> | undefined;
  let last: { key: string; at: number; status: AuditStatusView } | undefined;
  const stateKey = async (): Promise<string> => {
    const head = await deps.db.selectFrom('audit_events').select('seq').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    const checkpoint = await deps.db.selectFrom('audit_checkpoints').select('id').orderBy('id', 'desc').limit(1).executeTakeFirst();
    return `${head?.seq ?? 0}/${checkpoint?.id ?? 0}`;
  };

  app.get('/api/admin/audit/status', async (request, reply) => {
    requireAdmin(request);
    const key = await stateKey();
    if (last && last.key === key && Date.now() - last.at < STATUS_REUSE_MS) return reply.header('cache-control', 'no-store').send(last.status);
    running ??= auditStatus(deps.db, deps.publicKey)
      .then((status) => {
        last = { key, at: Date.now(), status };
        return status;
      })
      .finally(() => (running = undefined));
    return reply.header('cache-control', 'no-store').send(await running);
  });
}
