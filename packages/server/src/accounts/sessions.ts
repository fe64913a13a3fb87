/**
 * Sign-in sessions. The browser holds a random 256-bit token in an HttpOnly cookie; the database
 * holds only its SHA-256 (a stolen database yields no usable session) and the session's CSRF token.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { AuthMethod } from '@parley/protocol';
import type { Db } from '../storage/db.js';
import type { UserRecord } from './users.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

function digest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export interface Session {
  user: UserRecord;
  csrfToken: string;
  /** How the session was made: a password, or single sign-on. */
  authMethod: AuthMethod;
}

export class SessionStore {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async create(userId: string, authMethod: AuthMethod = 'password'): Promise<{ token: string; csrfToken: string }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const now = Date.now();
    await this.#db
      .insertInto('sessions')
      .values({ token_hash: digest(token), user_id: userId, csrf_token: csrfToken, created_at: now, expires_at: now + SESSION_TTL_MS, auth_method: authMethod })
      .execute();
    return { token, csrfToken };
  }

  /** The live session of a token, if any; expired sessions and disabled users yield nothing. */
  async find(token: string): Promise<Session | undefined> {
    const row = await this.#db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .selectAll('users')
      .select(['sessions.csrf_token', 'sessions.expires_at', 'sessions.auth_method'])
      .where('sessions.token_hash', '=', digest(token))
      .executeTakeFirst();
    if (!row || row.expires_at < Date.now() || row.disabled) return undefined;
    const { csrf_token: csrfToken, expires_at: _expires, auth_method: authMethod, ...user } = row;
    return { user, csrfToken, authMethod };
  }

  async delete(token: string): Promise<void> {
    await this.#db.deleteFrom('sessions').where('token_hash', '=', digest(token)).execute();
  }

  /** Ends every session of an account at once (disabled, password reset); the number ended. */
  async deleteForUser(userId: string): Promise<number> {
    const result = await this.#db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteExpired(): Promise<void> {
    await this.#db.deleteFrom('sessions').where('expires_at', '<', Date.now()).execute();
  }
}
