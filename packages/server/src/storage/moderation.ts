/** The removed-people and reports tables' one owner. */
import type { IdentityKind, RemovedEntry } from '@parley/protocol';
import { newOpaqueId } from '../util/secrets.js';
import type { Db } from './db.js';
import type { ReportsTable } from './schema.js';

export interface BanKeys {
  userId: string | null;
  deviceId: string | null;
}

export class ModerationStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async ban(meetingId: string, who: BanKeys & { displayName: string; identity: IdentityKind }): Promise<RemovedEntry> {
    const entry = { id: newOpaqueId(), displayName: who.displayName, identity: who.identity, at: Date.now() };
    await this.#db
      .insertInto('meeting_bans')
      .values({
        id: entry.id,
        meeting_id: meetingId,
        user_id: who.userId,
        device_id: who.deviceId,
        display_name: who.displayName,
        identity: who.identity,
        created_at: entry.at,
        lifted_at: null,
      })
      .execute();
    return entry;
  }

  /** Whether someone with these keys was removed from the meeting and not allowed back. */
  async isBanned(meetingId: string, keys: BanKeys): Promise<boolean> {
    if (!keys.userId && !keys.deviceId) return false;
    const row = await this.#db
      .selectFrom('meeting_bans')
      .select('id')
      .where('meeting_id', '=', meetingId)
      .where('lifted_at', 'is', null)
      .where((eb) => {
        const ors = [];
        if (keys.userId) ors.push(eb('user_id', '=', keys.userId));
        if (keys.deviceId) ors.push(eb('device_id', '=', keys.deviceId));
        return eb.or(ors);
      })
      .executeTakeFirst();
    return row !== undefined;
  }

  async lift(meetingId: string, banId: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('meeting_bans')
      .set({ lifted_at: Date.now() })
      .where('id', '=', banId)
      .where('meeting_id', '=', meetingId)
      .where('lifted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async removed(meetingId: string): Promise<RemovedEntry[]> {
    const rows = await this.#db
      .selectFrom('meeting_bans')
      .select(['id', 'display_name', 'identity', 'created_at'])
      .where('meeting_id', '=', meetingId)
      .where('lifted_at', 'is', null)
      .orderBy('created_at')
      .execute();
    return rows.map((r) => ({ id: r.id, displayName: r.display_name, identity: r.identity as IdentityKind, at: r.created_at }));
  }

  async report(report: Omit<ReportsTable, 'id' | 'created_at' | 'closed_at' | 'closed_by' | 'resolution'>): Promise<void> {
    await this.#db
      .insertInto('reports')
      .values({ ...report, id: newOpaqueId(), created_at: Date.now(), closed_at: null, closed_by: null, resolution: null })
      .execute();
  }

  /** The newest 500 reports, open ones (not closed by an administrator) or closed ones. */
  async reports(status: 'open' | 'closed' = 'open'): Promise<ReportsTable[]> {
    return this.#db
      .selectFrom('reports')
      .selectAll()
      .where('closed_at', status === 'open' ? 'is' : 'is not', null)
      .orderBy('created_at', 'desc')
      .limit(500)
      .execute();
  }

  /** Closes an open report; false if there is no such report or it is closed already. */
  async closeReport(id: string, by: string, resolution: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('reports')
      .set({ closed_at: Date.now(), closed_by: by, resolution })
      .where('id', '=', id)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async findReport(id: string): Promise<ReportsTable | undefined> {
    return this.#db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Removals of a meeting matching an account or, for guests, a display name (standing or lifted). */
  async removalsOf(meetingId: string, who: { userId: string | null; displayName: string }): Promise<{ lifted_at: number | null }[]> {
    return this.#db
      .selectFrom('meeting_bans')
      .select('lifted_at')
      .where('meeting_id', '=', meetingId)
      .where(who.userId ? 'user_id' : 'display_name', '=', who.userId ?? who.displayName)
      .execute();
  }
}
