/**
 * Accounts: sign-in (throttled, constant-time whether or not the email exists), sessions, account
 * creation, and the one-time setup of the first administrator on a fresh install.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { ParleyError, type OrgRole } from '@parley/protocol';
import type { AuditLog } from '../storage/audit.js';
import { UntrustedAudit } from '../storage/untrusted-audit.js';
import { localThrottles, SIGNIN_ACCOUNT_GLOBAL_POLICY, SIGNIN_ACCOUNT_POLICY, SIGNIN_ADDRESS_POLICY, type GuessThrottle, type ThrottleFactory, type Turn } from '../util/failure-throttle.js';
import { addressKey } from '../util/address.js';
import { decoyHash, verifySecret } from '../util/secrets.js';
import { NO_METRICS, type Metrics, type ThrottleScope } from '../metrics/metrics.js';
import { fixedPolicy, type PolicySource } from '../policy/policy-store.js';
import type { SessionStore} from './sessions.js';
import { type Session } from './sessions.js';
import type { UserStore} from './users.js';
import { type UserRecord } from './users.js';

export class Accounts {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  readonly #audit: AuditLog;
  /** Where anonymous failures and throttled attempts go: bounded and aggregated. */
  readonly #untrusted: UntrustedAudit;
  /** Lock the guesser, not the account: per address, per account from one address, and a slowdown per account. */
  readonly #byAddress: GuessThrottle;
  readonly #byAccountAtAddress: GuessThrottle;
  readonly #byAccount: GuessThrottle;
  readonly #metrics: Pick<Metrics, 'throttled' | 'guessFailed'>;
  /** The organization's policy: whether local passwords may sign in at all. */
  readonly #policy: PolicySource;
  readonly #setupToken: () => string;

  constructor(
    users: UserStore,
    sessions: SessionStore,
    audit: AuditLog,
    untrusted: UntrustedAudit = new UntrustedAudit(audit),
    metrics: Pick<Metrics, 'throttled' | 'guessFailed'> = NO_METRICS,
    policy: PolicySource = fixedPolicy(),
    throttles: ThrottleFactory = localThrottles,
    setupToken: () => string = oneSetupToken(),
  ) {
    this.#setupToken = setupToken;
    this.#byAddress = throttles('signin-address', SIGNIN_ADDRESS_POLICY);
    this.#byAccountAtAddress = throttles('signin-account-address', SIGNIN_ACCOUNT_POLICY);
    this.#byAccount = throttles('signin-account', SIGNIN_ACCOUNT_GLOBAL_POLICY);
    this.users = users;
    this.sessions = sessions;
    this.#audit = audit;
    this.#untrusted = untrusted;
    this.#metrics = metrics;
    this.#policy = policy;
  }

  /** On a fresh install (no accounts), a one-time token that lets the first administrator be created. */
  async setupToken(): Promise<string | undefined> {
    if ((await this.users.count()) > 0) return undefined;
    return this.#setupToken();
  }

  async setupRequired(): Promise<boolean> {
    return (await this.users.count()) === 0;
  }

  async setup(token: string, input: { email: string; displayName: string; password: string }, clientAddress: string): Promise<UserRecord> {
    const expected = await this.setupToken();
    const given = Buffer.from(token);
    if (!expected || given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
      await this.#untrusted.repeat({ action: 'setup.denied', clientAddress });
      throw new ParleyError('forbidden', 'setup is closed or the token is wrong');
    }
    // Another setup at the same moment (another tab, another node) may have won: one first administrator.
    const user = await this.users.createFirstAdmin(input);
    if (!user) throw new ParleyError('forbidden', 'setup is closed or the token is wrong');
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
    if (!this.#policy.current().localPasswords) {
      // Refused before any password is checked: with passwords off, a password proves nothing here.
      await this.#untrusted.append({ action: 'signin.refused', clientAddress, details: { email, reason: 'local_passwords_off' } });
      throw new ParleyError('forbidden', 'password sign-in is turned off by the organization; use single sign-on');
    }
    const account = email.trim().toLowerCase();
    const from = addressKey(clientAddress);
    const gates: [GuessThrottle, string, ThrottleScope][] = [
      [this.#byAddress, from, 'address'],
      [this.#byAccountAtAddress, `${account}\n${from}`, 'account_address'],
      [this.#byAccount, account, 'account'],
    ];
    const tickets: { throttle: GuessThrottle; turn: Extract<Turn, { ok: true }> }[] = [];
    for (const [throttle, key, scope] of gates) {
      const turn = await throttle.acquire(key);
      if (!turn.ok) {
        for (const t of tickets) await t.throttle.settle(t.turn.ticket, false);
        this.#metrics.throttled('signin', scope);
        await this.#untrusted.repeat({ action: 'signin.throttled', clientAddress, details: { email } });
        throw new ParleyError('rate_limited', `too many failed sign-ins; your password was not checked; retry in ${Math.ceil(turn.retryAfterMs / 1000)} s`);
      }
      tickets.push({ throttle, turn });
    }
    let user: UserRecord | undefined;
    let ok = false;
    try {
      user = await this.users.findByEmail(email);
      ok = (await verifySecret(password, user?.password_hash ?? (await decoyHash()))) && user !== undefined && !user.disabled;
    } finally {
      for (const t of tickets) await t.throttle.settle(t.turn.ticket, !ok);
    }
    if (!user || !ok) {
      this.#metrics.guessFailed('signin');
      await this.#untrusted.append({ action: 'signin.failed', target: user?.id ?? null, clientAddress, details: { email } });
      throw new ParleyError('invalid_credentials');
    }
    const session = await this.sessions.create(user.id, 'password');
    await this.#audit.append({ action: 'signin', actor: user.id, clientAddress, details: { method: 'password' } });
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

/** One random first-administrator token for the life of this process (a single node). */
function oneSetupToken(): () => string {
  const token = randomBytes(24).toString('base64url');
  return () => token;
}
