/** The append-only audit log's one writer. Every security decision lands here. */
import type { Db } from './db.js';

export interface AuditEvent {
  meetingId?: string | null;
  actor?: string | null;
  action: string;
  target?: string | null;
  clientAddress?: string | null;
  details?: Record<string, unknown>;
}

export class AuditLog {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async append(event: AuditEvent): Promise<void> {
    await this.#db
      .insertInto('audit_events')
      .values({
        at: Date.now(),
        meeting_id: event.meetingId ?? null,
        actor: event.actor ?? null,
        action: event.action,
        target: event.target ?? null,
        client_address: event.clientAddress ?? null,
        details: JSON.stringify(event.details ?? {}),
      })
      .execute();
  }

  async forMeeting(meetingId: string): Promise<{ action: string; actor: string | null; details: string }[]> {
    return this.#db
      .selectFrom('audit_events')
      .select(['action', 'actor', 'details'])
      .where('meeting_id', '=', meetingId)
      .orderBy('seq')
      .execute();
  }
}
