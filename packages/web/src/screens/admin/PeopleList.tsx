/**
 * The People section's accounts list (name, email, role, status, sign-in method, last sign-in): search by email or name, filter by role and status, page on,
 * and per account Disable/Enable, Reset password and Change role. The server decides every rule
 * (no self-disable, the last administrator stays); this list shows its answer.
 */
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactElement } from 'react';
import { Password, type AdminUser, type OrgRole } from '@parley/protocol';
import { ConfirmDialog } from '../../components/ConfirmDialog.js';
import { ORG_ROLE_LABEL, useAccount } from '../../lib/account.js';
import { ApiRequestError } from '../../lib/api.js';
import { changeRole, listUsers, resetPassword, setDisabled, type UsersFilter } from '../../lib/admin/peopleApi.js';

const PAGE = 25;
const ROLES: OrgRole[] = ['admin', 'member', 'external'];

/** When and how the account last signed in, as the audit log recorded it. */
function lastSignIn(u: AdminUser): string {
  if (u.lastSignInAt === null) return 'Never';
  const when = new Date(u.lastSignInAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return u.lastSignInMethod === 'oidc' ? `${when} (single sign-on)` : u.lastSignInMethod === 'password' ? `${when} (password)` : when;
}

function messageOf(err: unknown, fallback: string): string {
  return err instanceof ApiRequestError ? err.message : fallback;
}

function ResetPasswordDialog({ user, onDone, onCancel }: { user: AdminUser; onDone: (password: string) => Promise<void>; onCancel: () => void }): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const checked = Password.safeParse(password);
    if (!checked.success) return setError(checked.error.issues[0]?.message ?? 'Choose a longer password.');
    setBusy(true);
    try {
      await onDone(password);
    } catch (err) {
      setError(messageOf(err, 'The password could not be reset.'));
      setBusy(false);
    }
  };
  return (
    <dialog ref={ref} className="dialog" onCancel={onCancel} aria-labelledby="people-reset-title" data-testid="people-reset-dialog">
      <form onSubmit={(e) => void submit(e)}>
        <h2 id="people-reset-title">Reset password</h2>
        <p className="dialog-body">
          A new initial password for <strong>{user.displayName}</strong> ({user.email}). Every session of this account ends now; share the password privately.
        </p>
        <label className="field dialog-field">
          <span className="field-label">New initial password (at least 10 characters)</span>
          <input className="input" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} autoFocus data-testid="people-reset-input" />
        </label>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <div className="row dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="btn btn-primary" disabled={busy || !password} data-testid="people-reset-confirm">
            Reset password
          </button>
        </div>
      </form>
    </dialog>
  );
}

export function PeopleList({ refreshKey }: { refreshKey: number }): ReactElement {
  const { account, state } = useAccount();
  const selfId = state.user?.id ?? null;
  const [q, setQ] = useState('');
  const [role, setRole] = useState<UsersFilter['role']>('');
  const [status, setStatus] = useState<UsersFilter['disabled']>('');
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<AdminUser | null>(null);
  const [resetting, setResetting] = useState<AdminUser | null>(null);

  const load = useCallback(
    async (cursor: string | null): Promise<void> => {
      setLoading(true);
      try {
        const page = await listUsers(account.api, { q, role, disabled: status, cursor, limit: PAGE });
        setUsers((list) => (cursor ? [...list, ...page.users] : page.users));
        setNext(page.nextCursor);
        setError(null);
      } catch (err) {
        account.noteFailure(err);
        setError(messageOf(err, 'The accounts could not be loaded.'));
      } finally {
        setLoading(false);
      }
    },
    [account, q, role, status],
  );

  useEffect(() => {
    // Search as the administrator types, a moment after they stop.
    const timer = setTimeout(() => void load(null), 250);
    return () => clearTimeout(timer);
  }, [load, refreshKey]);

  const replace = (user: AdminUser): void => setUsers((list) => list.map((u) => (u.id === user.id ? user : u)));

  const act = async (what: () => Promise<{ user: AdminUser }>, done: (user: AdminUser) => string): Promise<void> => {
    setNotice(null);
    try {
      const result = await what();
      replace(result.user);
      setNotice(done(result.user));
      setError(null);
    } catch (err) {
      account.noteFailure(err);
      setError(messageOf(err, 'The change was refused.'));
    }
  };

  return (
    <div className="stack">
      <form className="row people-filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <input className="input" type="search" placeholder="Search by email or name" aria-label="Search accounts" value={q} maxLength={254} onChange={(e) => setQ(e.target.value)} data-testid="people-search" />
        <select className="input" aria-label="Role" value={role} onChange={(e) => setRole(e.target.value as UsersFilter['role'])}>
          <option value="">All roles</option>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {ORG_ROLE_LABEL[r]}
            </option>
          ))}
        </select>
        <select className="input" aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value as UsersFilter['disabled'])}>
          <option value="">Any status</option>
          <option value="false">Active</option>
          <option value="true">Disabled</option>
        </select>
      </form>
      {notice && (
        <p className="muted small" role="status" data-testid="people-notice">
          {notice}
        </p>
      )}
      {error && (
        <p className="error-text" role="alert" data-testid="people-error">
          {error}
        </p>
      )}
      <div className="admin-table-wrap">
        <table className="admin-table" data-testid="people-table">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Sign-in</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Created</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => {
              const self = u.id === selfId;
              return (
                <tr key={u.id} data-testid="people-row" data-email={u.email} className={u.disabled ? 'people-disabled' : undefined}>
                  <td>
                    {u.displayName} {self && <span className="muted small">(you)</span>}
                  </td>
                  <td className="mono small">{u.email}</td>
                  <td>
                    <select
                      className="input input-small"
                      aria-label={`Role of ${u.email}`}
                      value={u.orgRole}
                      disabled={self}
                      title={self ? 'You cannot change your own role' : undefined}
                      onChange={(e) => void act(() => changeRole(account.api, u.id, e.target.value as OrgRole), (user) => `${user.email} is now ${ORG_ROLE_LABEL[user.orgRole].toLowerCase()}.`)}
                      data-testid="people-role"
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {ORG_ROLE_LABEL[r]}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td>{u.disabled ? <span className="status-pill status-off">Disabled</span> : <span className="status-pill status-on">Active</span>}</td>
                  <td className="small" data-testid="people-auth">
                    {u.sso ? 'Single sign-on' : 'Password'}
                  </td>
                  <td className="small" data-testid="people-last-sign-in">
                    {lastSignIn(u)}
                  </td>
                  <td className="small">{new Date(u.createdAt).toLocaleDateString()}</td>
                  <td className="row">
                    <button
                      type="button"
                      className={`btn btn-small ${u.disabled ? '' : 'btn-danger'}`}
                      disabled={self}
                      title={self ? 'You cannot disable your own account' : undefined}
                      onClick={() => (u.disabled ? void act(() => setDisabled(account.api, u.id, false), (user) => `${user.email} is enabled again.`) : setConfirming(u))}
                      data-testid="people-disable"
                    >
                      {u.disabled ? 'Enable' : 'Disable'}
                    </button>
                    <button type="button" className="btn btn-small" onClick={() => setResetting(u)} data-testid="people-reset">
                      Reset password
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {!loading && users.length === 0 && <p className="muted">No accounts match.</p>}
      {next && (
        <button type="button" className="btn" disabled={loading} onClick={() => void load(next)} data-testid="people-more">
          {loading ? 'Loading…' : 'Show more'}
        </button>
      )}
      {confirming && (
        <ConfirmDialog
          title={`Disable ${confirming.displayName}?`}
          confirmLabel="Disable account"
          testId="people-disable-dialog"
          onCancel={() => setConfirming(null)}
          onConfirm={() => {
            const user = confirming;
            setConfirming(null);
            void act(
              () => setDisabled(account.api, user.id, true),
              (u) => `${u.email} is disabled: signed out everywhere and moved out of every meeting.`,
            );
          }}
        >
          They are signed out everywhere at once and moved out of every meeting they are in. They cannot sign in, and cannot host their meetings, until an administrator enables the account again.
        </ConfirmDialog>
      )}
      {resetting && (
        <ResetPasswordDialog
          user={resetting}
          onCancel={() => setResetting(null)}
          onDone={async (password) => {
            const result = await resetPassword(account.api, resetting.id, password);
            setResetting(null);
            replace(result.user);
            setNotice(`New initial password set for ${result.user.email}; ${result.sessionsEnded ?? 0} session(s) ended.`);
          }}
        />
      )}
    </div>
  );
}
