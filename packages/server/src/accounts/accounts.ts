/**
 * Accounts: sign-in (throttled, constant-time whether or not the email exists), sessions, account
 * creation, and the one-time setup of the first administrator on a fresh install.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ParleyError, type OrgRole } from '@parley/protocol';
import type { AuditLog } from '../storage/audit.js';
import { ADDRESS_POLICY, FailureThrottle } from '../util/failure-throttle.js';
import { decoyHash, verifySecret } from '../util/secrets.js';
import type { SessionStore} from './sessions.js';
import { type Session } from './sessions.js';
import type { UserStore} from './users.js';
import { type UserRecord } from './users.js';

export class Accounts {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly #audit: AuditLog;
  readonly #byAddress = new FailureThrottle(ADDRESS_POLICY);
  readonly #byEmail = new FailureThrottle({ ...ADDRESS_POLICY, freeFailures: 10 });
  #setupToken: string | undefined;

  constructor(users: UserStore, sessions: SessionStore, audit: AuditLog) {
    this.users = users;
    this.sessions = sessions;
    this.#audit = audit;
  }

  /** On a fresh install (no accounts), a one-time token that lets the first administrator be created. */
  async setupToken(): Promise<string | undefined> {
    if ((await this.users.count()) > 0) return undefined;
    this.#setupToken ??= randomBytes(24).toString('base64url');
    return this.#setupToken;
  }

  async setupRequired(): Promise<boolean> {
    return (await this.users.count()) === 0;
  }

  async setup(token: string, input: { email: string; displayName: string; password: string }, clientAddress: string): Promise<UserRecord> {
    const expected = await this.setupToken();
    const given = Buffer.from(token);
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
      await this.#audit.append({ action: 'setup.denied', clientAddress });
      throw new ParleyError('forbidden', 'setup is closed or the token is wrong');
    }
    this.#setupToken = undefined;
    const user = await this.users.create({ ...input, orgRole: 'admin' });
    await this.#audit.append({ action: 'account.created', actor: user.id, target: user.id, clientAddress, details: { orgRole: 'admin', via: 'setup' } });
    return user;
  }

  async createUser(
    actor: UserRecord | null,
    input: { email: string; displayName: string; password: string; orgRole: OrgRole },
    clientAddress: string | null,
  ): Promise<UserRecord> {
    if (await this.users.findByEmail(input.email)) throw new ParleyError('bad_request', 'an account with this email exists');
    const user = await this.users.create(input);
    await this.#audit.append({
      action: 'account.created',
      actor: actor?.id ?? 'cli',
      target: user.id,
      clientAddress,
      details: { orgRole: input.orgRole, email: user.email },
    });
    return user;
  }

  async signIn(email: string, password: string, clientAddress: string): Promise<{ user: UserRecord; token: string; csrfToken: string }> {
    const wait = Math.max(this.#byAddress.retryAfter(clientAddress), this.#byEmail.retryAfter(email));
    if (wait > 0) {
      await this.#audit.append({ action: 'signin.throttled', clientAddress, details: { email } });
      throw new ParleyError('rate_limited', `too many failed sign-ins; retry in ${Math.ceil(wait / 1000)} s`);
    }
    const addressAttempt = this.#byAddress.begin(clientAddress);
    const emailAttempt = this.#byEmail.begin(email);
    const user = await this.users.findByEmail(email);
    const ok = await verifySecret(password, user?.password_hash ?? (await decoyHash()));
    if (!user || !ok || user.disabled) {
      await this.#audit.append({ action: 'signin.failed', target: user?.id ?? null, clientAddress, details: { email } });
      throw new ParleyError('invalid_credentials');
    }
    this.#byAddress.succeeded(clientAddress, addressAttempt);
    this.#byEmail.succeeded(email, emailAttempt);
    const session = await this.sessions.create(user.id);
    await this.#audit.append({ action: 'signin', actor: user.id, clientAddress });
    return { user, ...session };
  }

  async session(token: string | undefined): Promise<Session | undefined> {
    return token ? this.sessions.find(token) : undefined;
  }

  async signOut(token: string, clientAddress: string): Promise<void> {
    const session = await this.sessions.find(token);
    await this.sessions.delete(token);
    if (session) await this.#audit.append({ action: 'signout', actor: session.user.id, clientAddress });
  }
}
