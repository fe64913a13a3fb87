/**
 * Single sign-ons in progress. Each is a row keyed by the SHA-256 of a random handle that lives only
 * in the browser that started it (an HttpOnly cookie), holding the state, nonce and PKCE verifier.
 * A row is taken (deleted) by the first callback that presents its handle, so it works once, in
 * that browser, within its lifetime.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../storage/db.js';
import type { OidcLoginsTable } from '../storage/schema.js';

export const OIDC_LOGIN_TTL_MS = 10 * 60_000;
/** Sign-ins in progress, all together; beyond this, new ones wait for old ones to expire. */
export const MAX_PENDING_LOGINS = 5_000;

export type PendingLogin = Omit<OidcLoginsTable, 'handle_hash' | 'expires_at'>;

function digest(handle: string): string {
  return createHash('sha256').update(handle).digest('base64url');
}

export class OidcLoginStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Stores a sign-in in progress and returns its handle (for the browser's cookie), or null when too many are pending. */
  async create(login: PendingLogin): Promise<string | null> {
    const now = Date.now();
    await this.#db.deleteFrom('oidc_logins').where('expires_at', '<', now).execute();
    const pending = await this.#db.selectFrom('oidc_logins').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(pending.n) >= MAX_PENDING_LOGINS) return null;
    const handle = randomBytes(32).toString('base64url');
    await this.#db
      .insertInto('oidc_logins')
      .values({ ...login, handle_hash: digest(handle), expires_at: now + OIDC_LOGIN_TTL_MS })
      .execute();
    return handle;
  }

  /** The sign-in a handle started, removed so it cannot be used again; undefined if unknown, used or expired. */
  async take(handle: string): Promise<PendingLogin | undefined> {
    const row = await this.#db.deleteFrom('oidc_logins').where('handle_hash', '=', digest(handle)).returningAll().executeTakeFirst();
    if (!row || row.expires_at < Date.now()) return undefined;
    const { handle_hash: _hash, expires_at: _expires, ...login } = row;
    return login;
  }
}
