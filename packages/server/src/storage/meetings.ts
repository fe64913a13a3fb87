/** The meetings table's one owner. */
import type { Sensitivity } from '@parley/protocol';
import type { Db } from './db.js';
import type { Selectable } from 'kysely';
import type { MeetingsTable } from './schema.js';

export type MeetingRecord = Selectable<MeetingsTable>;

export class MeetingStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async create(meeting: Omit<MeetingRecord, 'ended_at' | 'locked'>): Promise<void> {
    await this.#db.insertInto('meetings').values({ ...meeting, ended_at: null }).execute();
  }

  async end(id: string): Promise<void> {
    await this.#db.updateTable('meetings').set({ ended_at: Date.now() }).where('id', '=', id).where('ended_at', 'is', null).execute();
  }

  async saveSettings(id: string, settings: object): Promise<void> {
    await this.#db.updateTable('meetings').set({ settings: JSON.stringify(settings) }).where('id', '=', id).execute();
  }

  async saveLocked(id: string, locked: boolean): Promise<void> {
    await this.#db.updateTable('meetings').set({ locked: locked ? 1 : 0 }).where('id', '=', id).execute();
  }

  /**
   * Raises a meeting's class (the database refuses to lower it). `passcodeHash` becomes the
   * meeting's passcode only if it had none (a public meeting), in the same statement.
   */
  async saveSensitivity(id: string, sensitivity: Sensitivity, passcodeHash?: string): Promise<void> {
    await this.#db
      .updateTable('meetings')
      .set((eb) => ({ sensitivity, ...(passcodeHash ? { passcode_hash: eb.fn.coalesce('passcode_hash', eb.val(passcodeHash)) } : {}) }))
      .where('id', '=', id)
      .execute();
  }

  async hasPasscode(id: string): Promise<boolean> {
    const row = await this.#db.selectFrom('meetings').select('passcode_hash').where('id', '=', id).executeTakeFirst();
    return typeof row?.passcode_hash === 'string';
  }

  async find(id: string): Promise<MeetingRecord | undefined> {
    return this.#db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
