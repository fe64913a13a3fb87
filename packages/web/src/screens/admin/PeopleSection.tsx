/** The console's People section: the accounts list (search, disable, reset, role) and creating accounts. */
import { useState, type FormEvent, type ReactElement } from 'react';
import { DisplayName, Email, Password, type OrgRole, type UserInfo } from '@parley/protocol';
import { ORG_ROLE_LABEL, useAccount } from '../../lib/account.js';
import { ApiRequestError } from '../../lib/api.js';
import { PeopleList } from './PeopleList.js';

type NewRole = Exclude<OrgRole, 'admin'>;

function problem(email: string, name: string, password: string): string | null {
  if (!Email.safeParse(email).success) return 'Enter a valid email address.';
  if (!DisplayName.safeParse(name).success) return 'Enter a name (up to 64 characters).';
  const pw = Password.safeParse(password);
  return pw.success ? null : (pw.error.issues[0]?.message ?? 'Choose a longer password.');
}

function CreateAccountForm({ onCreated }: { onCreated: (user: UserInfo) => void }): ReactElement {
  const { account } = useAccount();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<NewRole>('member');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const invalid = problem(email, name, password);
    if (invalid) return setError(invalid);
    setBusy(true);
    setError(null);
    try {
      onCreated(await account.api.createUser({ email: email.trim(), displayName: name.trim(), password, orgRole: role }));
      setEmail('');
      setName('');
      setPassword('');
    } catch (err) {
      account.noteFailure(err);
      setError(err instanceof ApiRequestError ? err.message : 'The account could not be created.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="stack" onSubmit={(e) => void submit(e)}>
      <label className="field">
        <span className="field-label">Email</span>
        <input className="input" type="email" value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" required data-testid="admin-email" />
      </label>
      <label className="field">
        <span className="field-label">Name</span>
        <input className="input" value={name} maxLength={64} onChange={(e) => setName(e.target.value)} autoComplete="off" required data-testid="admin-name" />
      </label>
      <label className="field">
        <span className="field-label">Initial password (at least 10 characters; share it privately)</span>
        <input className="input" type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required data-testid="admin-password" />
      </label>
      <fieldset className="field choice-group">
        <legend className="field-label">Account type</legend>
        <label className="choice">
          <input type="radio" name="org-role" checked={role === 'member'} onChange={() => setRole('member')} data-testid="admin-role-member" />
          <span>
            Member <span className="muted small">— of the organization; can host meetings</span>
          </span>
        </label>
        <label className="choice">
          <input type="radio" name="org-role" checked={role === 'external'} onChange={() => setRole('external')} data-testid="admin-role-external" />
          <span>
            External <span className="muted small">— a known person from outside; joins, never hosts</span>
          </span>
        </label>
      </fieldset>
      {error && (
        <p className="error-text" role="alert" data-testid="admin-error">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="admin-create">
        {busy ? 'Creating…' : 'Create account'}
      </button>
    </form>
  );
}

/** People: accounts of the organization's members and known external people. */
export function PeopleSection(): ReactElement {
  const [created, setCreated] = useState<UserInfo[]>([]);
  return (
    <>
      <section className="card stack" aria-labelledby="admin-accounts-title">
        <h2 id="admin-accounts-title">Accounts</h2>
        <PeopleList refreshKey={created.length} />
      </section>
      <section className="card stack" aria-labelledby="admin-people-title">
        <h2 id="admin-people-title">Create an account</h2>
        <CreateAccountForm onCreated={(user) => setCreated((list) => [user, ...list])} />
        {created.length > 0 && (
          <div className="stack created">
            <h3>Created just now</h3>
            <ul className="plain-list" data-testid="admin-created">
              {created.map((u) => (
                <li key={u.id} data-testid="admin-created-user" data-email={u.email}>
                  <span>{u.displayName}</span> <span className="muted mono small">{u.email}</span>{' '}
                  <span className={`org-role org-role-${u.orgRole}`}>{ORG_ROLE_LABEL[u.orgRole]}</span>
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
    </>
  );
}
