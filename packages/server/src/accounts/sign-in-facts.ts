/**
 * What the administrators' People list says about how accounts sign in: the last sign-in (time and
 * method) as the audit log recorded it (`signin` events: the log is the one record that is never
 * rewritten or pruned), and whether the account is linked to a single sign-on identity.
 */
import type { Db } from '../storage/db.js';

export type SignInMethod = 'password' | 'oidc';

export interface SignInFacts {
  lastSignInAt: number | null;
  lastSignInMethod: SignInMethod | null;
  /** Linked to an identity at the organization's provider (signs in through it). */
  sso: boolean;
}

export const NO_SIGN_IN: SignInFacts = { lastSignInAt: null, lastSignInMethod: null, sso: false };

function methodOf(details: string): SignInMethod | null {
  try {
    const method: unknown = (JSON.parse(details) as { method?: unknown }).method;
    return method === 'password' || method === 'oidc' ? method : null;
  } catch {
    return null;
  }
}

/** The facts of each account of `ids` (one page of the list: two queries, whatever its length). */
export async function signInFacts(db: Db, ids: readonly string[]): Promise<Map<string, SignInFacts>> {
  const facts = new Map<string, SignInFacts>();
  if (ids.length === 0) return facts;
  const latest = db.selectFrom('audit_events').select((eb) => eb.fn.max('seq').as('seq')).where('action', '=', 'signin').where('actor', 'in', [...ids]).groupBy('actor');
  const [signIns, linked] = await Promise.all([
    db.selectFrom('audit_events').select(['actor', 'at', 'details']).where('seq', 'in', latest).execute(),
    db.selectFrom('user_identities').select('user_id').distinct().where('user_id', 'in', [...ids]).execute(),
  ]);
  for (const id of ids) facts.set(id, { ...NO_SIGN_IN });
  for (const row of signIns) {
    const f = row.actor === null ? undefined : facts.get(row.actor);
    if (f) Object.assign(f, { lastSignInAt: row.at, lastSignInMethod: methodOf(row.details) });
  }
  for (const row of linked) {
    const f = facts.get(row.user_id);
    if (f) f.sso = true;
  }
  return facts;
}
