/**
 * First start: create the first administrator with the one-time token from the link the server
 * printed (`/setup#token=…`; the App took the token out of the address bar and keeps it in memory).
 */
import { useState, type FormEvent, type ReactElement } from 'react';
import { DisplayName, Email, Password } from '@parley/protocol';
import { AccountBar } from '../components/AccountBar.js';
import { Link } from '../components/Link.js';
import { useAccount } from '../lib/account.js';
import { ApiRequestError } from '../lib/api.js';
import { useNavigate } from '../lib/nav.js';

function problem(fields: { email: string; name: string; password: string; again: string }): string | null {
  if (!Email.safeParse(fields.email).success) return 'Enter a valid email address.';
  if (!DisplayName.safeParse(fields.name).success) return 'Enter your name (up to 64 characters).';
  const pw = Password.safeParse(fields.password);
  if (!pw.success) return pw.error.issues[0]?.message ?? 'Choose a longer password.';
  if (fields.password !== fields.again) return 'The two passwords differ.';
  return null;
}

export function Setup({ token }: { token: string | null }): ReactElement {
  const { account, state } = useAccount();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const invalid = problem({ email, name, password, again });
    if (invalid) return setError(invalid);
    if (!token) return;
    setBusy(true);
    setError(null);
    try {
      await account.setup({ token, email: email.trim(), displayName: name.trim(), password });
      navigate({ page: 'home' });
    } catch (err) {
      setError(
        err instanceof ApiRequestError && err.code === 'forbidden'
          ? 'This setup link is no longer valid (setup is done, or the server restarted and printed a new link).'
          : err instanceof Error
            ? err.message
            : 'Setup failed.',
      );
    } finally {
      setBusy(false);
    }
  };

  const body = (): ReactElement => {
    if (state.status === 'loading') return <p className="muted">Checking…</p>;
    if (!state.setupRequired) {
      return (
        <p data-testid="setup-done">
          Parley is already set up. <Link to={{ page: 'signin', next: '/' }}>Sign in</Link> with your account.
        </p>
      );
    }
    if (!token) {
      return (
        <p data-testid="setup-no-token">
          Open the one-time setup link printed in the server's console when it started (it ends in <span className="mono">/setup#token=…</span>).
        </p>
      );
    }
    return (
      <form className="stack" onSubmit={(e) => void submit(e)}>
        <p className="muted">Create the first administrator. Administrators create the other accounts.</p>
        <label className="field">
          <span className="field-label">Email</span>
          <input className="input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="username" required data-testid="setup-email" />
        </label>
        <label className="field">
          <span className="field-label">Your name</span>
          <input className="input" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} autoComplete="name" required data-testid="setup-name" />
        </label>
        <label className="field">
          <span className="field-label">Password (at least 10 characters)</span>
          <input className="input" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required data-testid="setup-password" />
        </label>
        <label className="field">
          <span className="field-label">Password again</span>
          <input className="input" type="password" value={again} onChange={(e) => setAgain(e.target.value)} autoComplete="new-password" required data-testid="setup-password2" />
        </label>
        {error && (
          <p className="error-text" role="alert" data-testid="setup-error">
            {error}
          </p>
        )}
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="setup-submit">
          {busy ? 'Creating…' : 'Create administrator'}
        </button>
      </form>
    );
  };

  return (
    <div className="page">
      <AccountBar here={{ page: 'setup' }} />
      <main className="narrow">
        <section className="card stack">
          <h1>Set up Parley</h1>
          {body()}
        </section>
      </main>
    </div>
  );
}
