/**
 * Sign in with an organization account, then go back where the person came from (a meeting link,
 * whose passcode the App kept in memory; it never travels through this page's address).
 */
import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import type { AuthProviders } from '@parley/protocol';
import { AccountBar } from '../components/AccountBar.js';
import { useAccount } from '../lib/account.js';
import { ApiRequestError } from '../lib/api.js';
import { useNavigate } from '../lib/nav.js';
import { parseRoute, pathOf, type Route } from '../lib/route.js';
import { fetchProviders, ssoFailureOf, ssoStartHref } from '../lib/ssoApi.js';

function describe(err: unknown): string {
  if (!(err instanceof ApiRequestError)) return 'Signing in failed.';
  switch (err.code) {
    case 'invalid_credentials':
      return 'Wrong email or password.';
    case 'rate_limited':
      return `Too many failed attempts: ${err.message.replace(/^too many failed sign-ins; /, '')}.`;
    case 'csrf':
      return 'Your session changed in another tab. Reload the page and try again.';
    case 'bad_request':
      return 'Enter a valid email address and your password.';
    case 'network':
      return err.message;
    default:
      return `Signing in failed: ${err.message}`;
  }
}

export function SignIn({ next }: { next: string }): ReactElement {
  const { account, state } = useAccount();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ code: string; text: string } | null>(null);
  const here: Route = { page: 'signin', next };
  const goingToMeeting = next.startsWith('/m/');
  // Why the server sent the person back here from single sign-on, read once from the address.
  const [ssoFailure] = useState(() => ssoFailureOf(window.location.search));
  const [providers, setProviders] = useState<AuthProviders | null>(null);

  useEffect(() => {
    // The failure stays on screen, not in the address (a reload or a shared link should not repeat it).
    if (ssoFailureOf(window.location.search)) window.history.replaceState(window.history.state, '', pathOf(here));
    let live = true;
    fetchProviders(account.api).then(
      (p) => live && setProviders(p),
      // Without an answer, offer what every server has: passwords (the server still decides).
      () => live && setProviders({ sso: null, localPasswords: true }),
    );
    return () => {
      live = false;
    };
  }, [account]);
  const passwordsOn = providers?.localPasswords ?? true;

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await account.signIn(email.trim(), password);
      navigate(parseRoute(next));
    } catch (err) {
      setError({ code: err instanceof ApiRequestError ? err.code : 'internal', text: describe(err) });
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="page">
      <AccountBar here={here} />
      <main className="narrow">
        <section className="card stack">
          <h1>Sign in</h1>
          {goingToMeeting && <p className="muted">Sign in with your organization account to join the meeting.</p>}
          {state.user && (
            <p className="notice-text" role="status">
              You are signed in as {state.user.displayName}. Signing in again switches accounts.
            </p>
          )}
          {ssoFailure && (
            <p className="error-text" role="alert" data-testid="sso-error" data-code={ssoFailure.reason}>
              {ssoFailure.text}
            </p>
          )}
          {providers?.sso && (
            <a className="btn btn-primary sso-button" href={ssoStartHref(next)} data-testid="sso-sign-in">
              Sign in with {providers.sso.name}
            </a>
          )}
          {providers?.sso && passwordsOn && <p className="muted small sso-or">or with your Parley password:</p>}
          {!passwordsOn && !providers?.sso && (
            <p className="error-text" role="alert">
              Password sign-in is turned off and no single sign-on is configured. Ask your administrator.
            </p>
          )}
          {passwordsOn && (
            <form className="stack" onSubmit={(e) => void submit(e)}>
              <label className="field">
                <span className="field-label">Email</span>
                <input
                  className="input"
                  type="email"
                  value={email}
                  onChange={(e) => setEmail(e.target.value)}
                  autoComplete="username"
                  autoFocus
                  required
                  maxLength={254}
                  data-testid="signin-email"
                />
              </label>
              <label className="field">
                <span className="field-label">Password</span>
                <input
                  className="input"
                  type="password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  autoComplete="current-password"
                  required
                  maxLength={256}
                  data-testid="signin-password"
                />
              </label>
              {error && (
                <p className="error-text" role="alert" data-testid="signin-error" data-code={error.code}>
                  {error.text}
                </p>
              )}
              <button type="submit" className="btn btn-primary" disabled={busy || !email.trim() || !password} data-testid="signin-submit">
                {busy ? 'Signing in…' : 'Sign in'}
              </button>
            </form>
          )}
          {state.setupRequired && (
            <p className="muted small">
              No accounts exist yet: open the one-time setup link printed in the server's console to create the first administrator.
            </p>
          )}
        </section>
      </main>
    </div>
  );
}
