/** The meetings table's one owner. */
import type { Db } from './db.js';
import type { MeetingsTable } from './schema.js';

export type MeetingRecord = MeetingsTable;

export class MeetingStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async create(meeting: Omit<MeetingRecord, 'ended_at'>): Promise<void> {
    await this.#db.insertInto('meetings').values({ ...meeting, ended_at: null }).execute();
  }

  async find(id: string): Promise<MeetingRecord | undefined> {
    return this.#db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
