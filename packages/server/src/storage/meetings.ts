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

  /**
   * Replaces a meeting's passcode hash (a host re-issued its passcode): the old passcode stops working
   * at once. Only a meeting that has a passcode and has not ended; false otherwise.
   */
  async replacePasscodeHash(id: string, passcodeHash: string): Promise<boolean> {
    const result = await this.#db
      .updateTable('meetings')
      .set({ passcode_hash: passcodeHash })
      .where('id', '=', id)
      .where('passcode_hash', 'is not', null)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** The meetings `hostUserId` hosts, newest first: not ended, or ended since `endedSince`. */
  async hostedBy(hostUserId: string, endedSince: number, limit: number): Promise<{ upcoming: MeetingRecord[]; recent: MeetingRecord[] }> {
    const mine = this.#db.selectFrom('meetings').selectAll().where('host_user_id', '=', hostUserId).orderBy('created_at', 'desc').orderBy('id').limit(limit);
    const [upcoming, recent] = await Promise.all([
      mine.where('ended_at', 'is', null).execute(),
      mine.where('ended_at', '>=', endedSince).execute(),
    ]);
    return { upcoming, recent };
  }

  async find(id: string): Promise<MeetingRecord | undefined> {
    return this.#db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  }
}
