/**
 * What an administrator does to an account: disable (its sessions end at once and the person is
 * moved out of every live meeting), enable, reset the password (its sessions end), change the role.
 * An administrator cannot disable or demote themself, and the last active administrator can never
 * be disabled or demoted. Every change is audited with the account before and after.
 */
import { ParleyError, type AdminUser, type AdminUsersQuery, type OrgRole } from '@parley/protocol';
import type { AuditLog } from '../storage/audit.js';
import type { SessionStore } from './sessions.js';
import { NO_SIGN_IN, type SignInFacts } from './sign-in-facts.js';
import type { UserDirectory } from './user-directory.js';
import type { UserRecord } from './users.js';

/** Moves a person (by account) out of every live meeting and closes their open sockets; how many. */
export type DisconnectUser = (userId: string) => Promise<number>;

export interface AdminActor {
  user: UserRecord;
  clientAddress: string;
}

export function adminUser(user: UserRecord, facts: SignInFacts = NO_SIGN_IN): AdminUser {
  return { id: user.id, email: user.email, displayName: user.display_name, orgRole: user.org_role, disabled: user.disabled !== 0, createdAt: user.created_at, ...facts };
}

/** What the audit log keeps of an account's state (never its password hash). */
function state(user: UserRecord): { orgRole: OrgRole; disabled: boolean } {
  return { orgRole: user.org_role, disabled: user.disabled !== 0 };
}

export class AccountAdmin {
  readonly #directory: UserDirectory;
  readonly #sessions: SessionStore;
  readonly #audit: AuditLog;
  readonly #disconnect: DisconnectUser;

  constructor(deps: { directory: UserDirectory; sessions: SessionStore; audit: AuditLog; disconnect: DisconnectUser }) {
    this.#directory = deps.directory;
    this.#sessions = deps.sessions;
    this.#audit = deps.audit;
    this.#disconnect = deps.disconnect;
  }

  async list(query: AdminUsersQuery): Promise<{ users: AdminUser[]; nextCursor: string | null }> {
    const page = await this.#directory.search(query);
    const facts = await this.#directory.signInFacts(page.users.map((u) => u.id));
    return { users: page.users.map((u) => adminUser(u, facts.get(u.id))), nextCursor: page.nextCursor };
  }

  /** The account as the list shows it (with its sign-in facts), after a change. */
  async #shown(user: UserRecord): Promise<AdminUser> {
    return adminUser(user, (await this.#directory.signInFacts([user.id])).get(user.id));
  }

  async disable(actor: AdminActor, id: string): Promise<{ user: AdminUser; sessionsEnded: number; disconnected: number }> {
    const { before, after } = await this.#refusalsAudited(actor, id, 'account.disabled', () => {
      if (id === actor.user.id) throw new ParleyError('forbidden', 'you cannot disable your own account');
      return this.#directory.setDisabled(id, true);
    });
    // The database says disabled first (no session of theirs is valid from here), then the sessions go,
    // then their sockets: a request with an old cookie is signed out, and they are out of every meeting.
    const sessionsEnded = await this.#sessions.deleteForUser(id);
    const disconnected = await this.#disconnect(id);
    await this.#audit.append({
      action: 'account.disabled',
      actor: actor.user.id,
      target: id,
      clientAddress: actor.clientAddress,
      details: { email: after.email, before: state(before), after: state(after), sessionsEnded, disconnected },
    });
    return { user: await this.#shown(after), sessionsEnded, disconnected };
  }

  async enable(actor: AdminActor, id: string): Promise<{ user: AdminUser }> {
    const { before, after } = await this.#directory.setDisabled(id, false);
    await this.#audit.append({
      action: 'account.enabled',
      actor: actor.user.id,
      target: id,
      clientAddress: actor.clientAddress,
      details: { email: after.email, before: state(before), after: state(after) },
    });
    return { user: await this.#shown(after) };
  }

  async changeRole(actor: AdminActor, id: string, orgRole: OrgRole): Promise<{ user: AdminUser }> {
    const { before, after } = await this.#refusalsAudited(actor, id, 'account.role-changed', () => {
      if (id === actor.user.id && orgRole !== 'admin') throw new ParleyError('forbidden', 'you cannot demote yourself');
      return this.#directory.setRole(id, orgRole);
    });
    await this.#audit.append({
      action: 'account.role-changed',
      actor: actor.user.id,
      target: id,
      clientAddress: actor.clientAddress,
      details: { email: after.email, before: state(before), after: state(after) },
    });
    return { user: await this.#shown(after) };
  }

  /** A new initial password (already checked against the creation rules); every session of the account ends. */
  async resetPassword(actor: AdminActor, id: string, password: string): Promise<{ user: AdminUser; sessionsEnded: number }> {
    const user = await this.#directory.setPassword(id, password);
    const sessionsEnded = await this.#sessions.deleteForUser(id);
    await this.#audit.append({
      action: 'account.password-reset',
      actor: actor.user.id,
      target: id,
      clientAddress: actor.clientAddress,
      details: { email: user.email, sessionsEnded },
    });
    return { user: await this.#shown(user), sessionsEnded };
  }

  /** Runs a change; a refusal (last administrator) is audited as a refused attempt and rethrown. */
  async #refusalsAudited<T>(actor: AdminActor, id: string, action: string, change: () => Promise<T>): Promise<T> {
    try {
      return await change();
    } catch (err) {
      if (err instanceof ParleyError && err.code === 'forbidden') {
        await this.#audit.append({ action: `${action}-refused`, actor: actor.user.id, target: id, clientAddress: actor.clientAddress, details: { reason: err.message } });
      }
      throw err;
    }
  }
}
