/**
 * Reports as administrators review them: each with the reporter's note and its context (the
 * meeting's audit events around the moment of the report, and whether the reported person was
 * removed), and closing one with a resolution (audited). Reads the audit log, never writes it
 * except through AuditLog.
 */
import { ParleyError, type AdminReport, type ReportContextEvent } from '@parley/protocol';
import type { AuditLog } from '../storage/audit.js';
import type { Db } from '../storage/db.js';
import type { ModerationStore } from '../storage/moderation.js';
import type { ReportsTable } from '../storage/schema.js';

/** Audit context: the meeting's events from this long before the report to this long after. */
export const CONTEXT_WINDOW_MS = 10 * 60_000;
/** At most this many events of context per report. */
export const CONTEXT_LIMIT = 50;

function parseDetails(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export class ReportReview {
  readonly #db: Db;
  readonly #moderation: ModerationStore;
  readonly #audit: AuditLog;

  constructor(deps: { db: Db; moderation: ModerationStore; audit: AuditLog }) {
    this.#db = deps.db;
    this.#moderation = deps.moderation;
    this.#audit = deps.audit;
  }

  async list(status: 'open' | 'closed'): Promise<AdminReport[]> {
    const rows = await this.#moderation.reports(status);
    return Promise.all(rows.map((row) => this.#withContext(row)));
  }

  async close(id: string, by: { actor: string; clientAddress: string }, resolution: string): Promise<AdminReport> {
    if (!(await this.#moderation.closeReport(id, by.actor, resolution))) {
      const existing = await this.#moderation.findReport(id);
      throw existing ? new ParleyError('wrong_state', 'this report is closed already') : new ParleyError('not_found', 'no report with this ID');
    }
    const row = await this.#moderation.findReport(id);
    if (!row) throw new ParleyError('not_found', 'no report with this ID');
    await this.#audit.append({
      meetingId: row.meeting_id,
      actor: by.actor,
      action: 'report.closed',
      target: id,
      clientAddress: by.clientAddress,
      details: { resolution, reportedName: row.target_name, reportedUserId: row.target_user_id },
    });
    return this.#withContext(row);
  }

  /** "Name <email>" for the account IDs among `ids` (others, like `guest` and `system`, are left out). */
  async #accountLabels(ids: (string | null)[]): Promise<Map<string, string>> {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null && !id.startsWith('guest') && id !== 'system' && id !== 'cli'))];
    if (wanted.length === 0) return new Map();
    const users = await this.#db.selectFrom('users').select(['id', 'display_name', 'email']).where('id', 'in', wanted).execute();
    return new Map(users.map((u) => [u.id, `${u.display_name} <${u.email}>`]));
  }

  async #withContext(row: ReportsTable): Promise<AdminReport> {
    const events = await this.#db
      .selectFrom('audit_events')
      .select(['seq', 'at', 'action', 'actor', 'target', 'details'])
      .where('meeting_id', '=', row.meeting_id)
      .where('at', '>=', row.created_at - CONTEXT_WINDOW_MS)
      .where('at', '<=', row.created_at + CONTEXT_WINDOW_MS)
      .orderBy('seq')
      .limit(CONTEXT_LIMIT + 1)
      .execute();
    const meeting = await this.#db.selectFrom('meetings').select('title').where('id', '=', row.meeting_id).executeTakeFirst();
    const removals = await this.#moderation.removalsOf(row.meeting_id, { userId: row.target_user_id, displayName: row.target_name });
    const shown = events.slice(0, CONTEXT_LIMIT).map((e) => ({ ...e, details: parseDetails(e.details) }));
    const labels = await this.#accountLabels([row.reporter, row.closed_by, ...shown.map((e) => e.actor)]);
    const context: ReportContextEvent[] = shown.map((e) => ({
      seq: e.seq,
      at: e.at,
      action: e.action,
      actor: e.actor,
      actorLabel: (e.actor && labels.get(e.actor)) ?? (typeof e.details.actorName === 'string' ? e.details.actorName : null),
      target: e.target,
      details: e.details,
    }));
    return {
      id: row.id,
      meetingId: row.meeting_id,
      meetingTitle: meeting?.title ?? null,
      reporter: row.reporter,
      reporterLabel: labels.get(row.reporter) ?? (row.reporter.startsWith('guest:') ? `guest “${row.reporter.slice('guest:'.length)}”` : row.reporter),
      targetUserId: row.target_user_id,
      targetName: row.target_name,
      note: row.note,
      at: row.created_at,
      closed:
        row.closed_at !== null
          ? { at: row.closed_at, by: row.closed_by ?? '', byLabel: (row.closed_by && labels.get(row.closed_by)) ?? row.closed_by ?? '', resolution: row.resolution ?? '' }
          : null,
      context: {
        events: context,
        windowMs: CONTEXT_WINDOW_MS,
        limit: CONTEXT_LIMIT,
        truncated: events.length > CONTEXT_LIMIT,
        target: {
          removed: removals.length > 0,
          banned: removals.some((r) => r.lifted_at === null),
          matchedBy: row.target_user_id ? 'account' : 'name',
        },
      },
    };
  }
}
