/** The user_identities table's one owner: which account an (issuer, subject) pair at an OpenID Provider signs in. */
import type { Db } from '../storage/db.js';
import type { UserIdentitiesTable } from '../storage/schema.js';

export type UserIdentity = UserIdentitiesTable;

export class UserIdentityStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async find(issuer: string, subject: string): Promise<UserIdentity | undefined> {
    return this.#db.selectFrom('user_identities').selectAll().where('issuer', '=', issuer).where('subject', '=', subject).executeTakeFirst();
  }

  /** The identities of one account at one issuer (an account has at most one per issuer). */
  async forUser(userId: string, issuer: string): Promise<UserIdentity[]> {
    return this.#db.selectFrom('user_identities').selectAll().where('user_id', '=', userId).where('issuer', '=', issuer).execute();
  }

  async link(input: { issuer: string; subject: string; userId: string; email: string | null }): Promise<void> {
    const now = Date.now();
    await this.#db
      .insertInto('user_identities')
      .values({ issuer: input.issuer, subject: input.subject, user_id: input.userId, email: input.email, created_at: now, last_used_at: now })
      .execute();
  }

  async touch(issuer: string, subject: string): Promise<void> {
    await this.#db.updateTable('user_identities').set({ last_used_at: Date.now() }).where('issuer', '=', issuer).where('subject', '=', subject).execute();
  }
}
