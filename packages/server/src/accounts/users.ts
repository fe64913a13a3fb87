/** The users table's one owner: local accounts of the organization (and external users it invites). */
import type { OrgRole, UserInfo } from '@parley/protocol';
import type { Db } from '../storage/db.js';
import type { UsersTable } from '../storage/schema.js';
import { lockForTransaction } from '../storage/dialect.js';
import { hashSecret, newOpaqueId } from '../util/secrets.js';

export type UserRecord = UsersTable;

export function userInfo(user: UserRecord): UserInfo {
  return { id: user.id, email: user.email, displayName: user.display_name, orgRole: user.org_role };
}

export class UserStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async create(input: { email: string; displayName: string; password: string; orgRole: OrgRole }): Promise<UserRecord> {
    const user = await this.#record(input);
    await this.#db.insertInto('users').values(user).execute();
    return user;
  }

  /**
   * The first administrator, only while there is no account at all: null if one exists. Checked and
   * inserted in one transaction under a lock, so two setups at once (two nodes, two tabs) make one.
   */
  async createFirstAdmin(input: { email: string; displayName: string; password: string }): Promise<UserRecord | null> {
    const user = await this.#record({ ...input, orgRole: 'admin' });
    return this.#db.transaction().execute(async (trx) => {
      await lockForTransaction(trx, 'firstAdmin');
      const row = await trx.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      if (Number(row.n) > 0) return null;
      await trx.insertInto('users').values(user).execute();
      return user;
    });
  }

  async #record(input: { email: string; displayName: string; password: string; orgRole: OrgRole }): Promise<UserRecord> {
    return {
      id: newOpaqueId(),
      email: input.email.trim().toLowerCase(),
      display_name: input.displayName,
      password_hash: await hashSecret(input.password),
      org_role: input.orgRole,
      created_at: Date.now(),
      disabled: 0,
    };
  }

  async findByEmail(email: string): Promise<UserRecord | undefined> {
    return this.#db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase()).executeTakeFirst();
  }

  async findById(id: string): Promise<UserRecord | undefined> {
    return this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async count(): Promise<number> {
    const row = await this.#db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
