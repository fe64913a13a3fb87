/**
 * Account owns who is signed in in this tab: the server's answer to `GET /api/session`, kept in a
 * store that components read through useAccount(), and the actions that change it (sign in, sign
 * out, first-start setup), each of which refreshes it. It also owns the ApiClient, which reads the
 * session's CSRF token from here.
 */
import { createContext, useContext } from 'react';
import type { AuthMethod, OrgRole, SessionInfo, UserInfo } from '@parley/protocol';
import { ApiClient, ApiRequestError, type SetupFields } from './api.js';
import { Store, useStoreState } from './store.js';

export interface AccountState {
  /** `loading` until the first answer; `error` if the server could not be asked. */
  status: 'loading' | 'ready' | 'error';
  user: UserInfo | null;
  csrfToken: string | null;
  setupRequired: boolean;
  /** How this session was made (password or single sign-on), and for single sign-on the provider's name. */
  authMethod: AuthMethod | null;
  authProvider: string | null;
}

type AccountAction = { type: 'session'; info: SessionInfo } | { type: 'failed' };

function reduce(state: AccountState, action: AccountAction): AccountState {
  switch (action.type) {
    case 'session':
      return { status: 'ready', ...action.info };
    case 'failed':
      return { ...state, status: state.status === 'ready' ? 'ready' : 'error' };
  }
}

const INITIAL: AccountState = { status: 'loading', user: null, csrfToken: null, setupRequired: false, authMethod: null, authProvider: null };

export class Account {
  readonly store = new Store(reduce, INITIAL);
  readonly api = new ApiClient(() => this.store.getState().csrfToken);

  /** Asks the server who we are. Never throws; a failure leaves the state (or marks it `error`). */
  async refresh(): Promise<void> {
    try {
      this.store.dispatch({ type: 'session', info: await this.api.session() });
    } catch {
      this.store.dispatch({ type: 'failed' });
    }
  }

  /** Throws ApiRequestError (invalid_credentials, rate_limited, …). */
  async signIn(email: string, password: string): Promise<void> {
    this.store.dispatch({ type: 'session', info: await this.api.signIn(email, password) });
  }

  async signOut(): Promise<void> {
    try {
      await this.api.signOut();
    } finally {
      await this.refresh();
    }
  }

  async setup(fields: SetupFields): Promise<void> {
    this.store.dispatch({ type: 'session', info: await this.api.setup(fields) });
  }

  /**
   * An API call failed in a way that says our idea of the session is stale (signed out in another
   * tab, session expired): ask again.
   */
  noteFailure(err: unknown): void {
    if (err instanceof ApiRequestError && (err.code === 'sign_in_required' || err.code === 'csrf')) void this.refresh();
  }
}

export const AccountContext = createContext<Account | null>(null);

export function useAccount(): { account: Account; state: AccountState } {
  const account = useContext(AccountContext);
  if (!account) throw new Error('useAccount outside <AccountContext>');
  return { account, state: useStoreState(account.store) };
}

export const ORG_ROLE_LABEL: Record<OrgRole, string> = {
  admin: 'Administrator',
  member: 'Member',
  external: 'External',
};

/** Organization members (and administrators) host meetings; external accounts only join. */
export function canHost(user: UserInfo | null): boolean {
  return user !== null && user.orgRole !== 'external';
}
