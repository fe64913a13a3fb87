/** The page header: the brand, and who is signed in (name, organization role, how they signed in, Sign out) or a Sign in link. */
import { useState, type ReactElement } from 'react';
import { ORG_ROLE_LABEL, useAccount } from '../lib/account.js';
import { useNavigate } from '../lib/nav.js';
import { pathOf, safeNext, type Route } from '../lib/route.js';
import { Link } from './Link.js';

export function AccountBar({ here }: { here: Route }): ReactElement {
  const { account, state } = useAccount();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const { user } = state;

  const signOut = async (): Promise<void> => {
    setBusy(true);
    try {
      await account.signOut();
    } catch {
      // The session is refreshed either way; what it says is what the header shows.
    } finally {
      setBusy(false);
    }
    navigate({ page: 'home' });
  };

  return (
    <header className="appbar">
      <Link to={{ page: 'home' }} className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Parley</span>
      </Link>
      <nav className="appbar-account" aria-label="Account">
        {user ? (
          <>
            {user.orgRole === 'admin' && (
              <Link to={{ page: 'admin', section: 'people' }} className="btn btn-ghost btn-small" testId="admin-link">
                People
              </Link>
            )}
            <span className="account-who">
              <span className="account-name" data-testid="account-name">
                {user.displayName}
              </span>
              <span className={`org-role org-role-${user.orgRole}`} data-testid="account-role" data-org-role={user.orgRole}>
                {ORG_ROLE_LABEL[user.orgRole]}
              </span>
              {state.authMethod && (
                <span className="auth-method muted small" data-testid="auth-method" data-auth-method={state.authMethod}>
                  {state.authMethod === 'oidc' ? `via ${state.authProvider ?? 'single sign-on'}` : 'via password'}
                </span>
              )}
            </span>
            <button type="button" className="btn btn-small" onClick={() => void signOut()} disabled={busy} data-testid="sign-out">
              Sign out
            </button>
          </>
        ) : (
          state.status !== 'loading' &&
          here.page !== 'signin' && (
            <Link to={{ page: 'signin', next: safeNext(pathOf(here)) }} className="btn btn-small" testId="sign-in-link">
              Sign in
            </Link>
          )
        )}
      </nav>
    </header>
  );
}

