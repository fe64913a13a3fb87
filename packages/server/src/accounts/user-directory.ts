/**
 * The administrators' side of the users table: search and paging, and the changes an administrator
 * makes to an account (disabled, role, password). Each change that must not leave the organization
 * without an administrator checks and writes in one transaction, serialized with the others (on
 * PostgreSQL by an advisory lock), so two administrators acting at once cannot both pass the
 * "another active administrator remains" check.
 */
import { ParleyError, type AdminUsersQuery, type OrgRole } from '@parley/protocol';
import { sql } from 'kysely';
import type { Db } from '../storage/db.js';
import { lockForTransaction } from '../storage/dialect.js';
import { hashSecret } from '../util/secrets.js';
import { signInFacts, type SignInFacts } from './sign-in-facts.js';
import type { UserRecord } from './users.js';

export interface UsersPage {
  users: UserRecord[];
  nextCursor: string | null;
}

/** LIKE with the user's text taken literally (`%` and `_` are not wildcards). */
function likeLiteral(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class UserDirectory {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Newest first; the cursor is the last row's `created_at:id` (stable under inserts). */
  async search(query: AdminUsersQuery): Promise<UsersPage> {
    let select = this.#db.selectFrom('users').selectAll();
    if (query.q) {
      const pattern = likeLiteral(query.q);
      select = select.where(sql<boolean>`(lower(email) LIKE ${pattern} ESCAPE '\\' OR lower(display_name) LIKE ${pattern} ESCAPE '\\')`);
    }
    if (query.role) select = select.where('org_role', '=', query.role);
    if (query.disabled !== undefined) select = select.where('disabled', '=', query.disabled ? 1 : 0);
    if (query.cursor) {
      const [at, id] = query.cursor.split(':') as [string, string];
      const createdAt = Number(at);
      select = select.where((eb) => eb.or([eb('created_at', '<', createdAt), eb.and([eb('created_at', '=', createdAt), eb('id', '<', id)])]));
    }
    const rows = await select.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(query.limit + 1).execute();
    const users = rows.slice(0, query.limit);
    const last = users.at(-1);
    return { users, nextCursor: rows.length > query.limit && last ? `${last.created_at}:${last.id}` : null };
  }

  /** How the accounts of `ids` sign in (see sign-in-facts.ts). */
  signInFacts(ids: readonly string[]): Promise<Map<string, SignInFacts>> {
    return signInFacts(this.#db, ids);
  }

  async find(id: string): Promise<UserRecord | undefined> {
    return this.#db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Disables or enables an account; disabling the last active administrator is refused. Returns the
   * account before and after.
   */
  async setDisabled(id: string, disabled: boolean): Promise<{ before: UserRecord; after: UserRecord }> {
    return this.#db.transaction().execute(async (trx) => {
      await lockForTransaction(trx, 'adminChanges');
      const before = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) throw new ParleyError('not_found', 'no account with this ID');
      if (disabled && before.org_role === 'admin' && !before.disabled) await lastAdminGuard(trx, id);
      await trx.updateTable('users').set({ disabled: disabled ? 1 : 0 }).where('id', '=', id).execute();
      return { before, after: { ...before, disabled: disabled ? 1 : 0 } };
    });
  }

  /** Changes an account's role; demoting the last active administrator is refused. */
  async setRole(id: string, orgRole: OrgRole): Promise<{ before: UserRecord; after: UserRecord }> {
    return this.#db.transaction().execute(async (trx) => {
      await lockForTransaction(trx, 'adminChanges');
      const before = await trx.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) throw new ParleyError('not_found', 'no account with this ID');
      if (before.org_role === 'admin' && orgRole !== 'admin' && !before.disabled) await lastAdminGuard(trx, id);
      await trx.updateTable('users').set({ org_role: orgRole }).where('id', '=', id).execute();
      return { before, after: { ...before, org_role: orgRole } };
    });
  }

  async setPassword(id: string, password: string): Promise<UserRecord> {
    const hash = await hashSecret(password);
    const result = await this.#db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new ParleyError('not_found', 'no account with this ID');
    const user = await this.find(id);
    if (!user) throw new ParleyError('not_found', 'no account with this ID');
    return user;
  }
}

/** Refuses a change that would leave no active administrator besides `id`. */
async function lastAdminGuard(trx: Pick<Db, 'selectFrom'>, id: string): Promise<void> {
  const others = await trx
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('org_role', '=', 'admin')
    .where('disabled', '=', 0)
    .where('id', '<>', id)
    .executeTakeFirstOrThrow();
  if (Number(others.n) === 0) throw new ParleyError('forbidden', 'this is the last active administrator: make another administrator first');
}
