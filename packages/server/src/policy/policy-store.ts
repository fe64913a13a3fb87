/**
 * The organization's policy: stored in the database, validated on the way in and out, held in
 * memory and reloaded only when it changes (never per message). Every change is audited with the
 * policy before and after, and announced to whoever applies it (rooms re-resolve their settings).
 */
import { DEFAULT_POLICY, OrgPolicy } from '@parley/protocol';
import type { AuditLog } from '../storage/audit.js';
import type { Db } from '../storage/db.js';
import { TypedEmitter } from '../util/typed-emitter.js';

/** What reads the policy: the current one, at the moment it is needed. */
export interface PolicySource {
  current(): OrgPolicy;
}

/** A fixed policy (tests, and tools that do not change it). */
export function fixedPolicy(policy: OrgPolicy = DEFAULT_POLICY): PolicySource {
  return { current: () => policy };
}

const KEY = 'org_policy';

interface PolicyEvents {
  /** `reloaded`: another node changed it (reload()), so it is news only to this node. */
  changed: [policy: OrgPolicy, before: OrgPolicy, reloaded?: boolean];
}

export class PolicyStore extends TypedEmitter<PolicyEvents> implements PolicySource {
  readonly #db: Db;
  readonly #audit: AuditLog;
  #current: OrgPolicy;

  private constructor(db: Db, audit: AuditLog, current: OrgPolicy) {
    super();
    this.#db = db;
    this.#audit = audit;
    this.#current = current;
  }

  /** Loads the stored policy; a stored policy that does not validate stops the server (it never falls back to a weaker one). */
  static async open(db: Db, audit: AuditLog): Promise<PolicyStore> {
    return new PolicyStore(db, audit, await PolicyStore.#load(db));
  }

  static async #load(db: Db): Promise<OrgPolicy> {
    const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
    if (!row) return DEFAULT_POLICY;
    const parsed = OrgPolicy.safeParse({ ...DEFAULT_POLICY, ...(JSON.parse(row.value) as object) });
    if (!parsed.success) throw new Error(`the stored organization policy is invalid: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
    return parsed.data;
  }

  /**
   * Several nodes: another node stored a new policy. Reads it again and announces it here (not
   * audited again: the node that changed it audited it). An invalid stored policy keeps the current one.
   */
  async reload(): Promise<void> {
    const next = await PolicyStore.#load(this.#db);
    const before = this.#current;
    if (JSON.stringify(next) === JSON.stringify(before)) return;
    this.#current = next;
    this.emit('changed', next, before, true);
  }

  current(): OrgPolicy {
    return this.#current;
  }

  /** Stores a new policy (already validated by the caller's schema), audits before and after, and announces it. */
  async update(next: OrgPolicy, by: { actor: string; clientAddress: string | null }): Promise<OrgPolicy> {
    const policy = OrgPolicy.parse(next);
    const before = this.#current;
    const value = JSON.stringify(policy);
    await this.#db
      .insertInto('settings')
      .values({ key: KEY, value })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
      .execute();
    this.#current = policy;
    await this.#audit.append({ actor: by.actor, action: 'policy.changed', clientAddress: by.clientAddress, details: { before, after: policy } });
    this.emit('changed', policy, before);
    return policy;
  }
}
