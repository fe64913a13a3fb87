/**
 * The console's Policy section (C10): for every meeting setting and collaboration switch, the default
 * for new meetings and whether hosts may change it (Lock); what sensitive meetings add to their
 * built-in minimum; whether guests may moderate; the IT support contact; which client builds and
 * browsers are current enough; how people sign in. Saved whole; the server refuses a contradictory
 * policy and audits every change with before and after.
 */
import { useEffect, useState, type ReactElement } from 'react';
import type { AdminPolicyView, BrowserMinimums, MeetingSettings, OrgPolicy } from '@parley/protocol';
import { useAccount } from '../../lib/account.js';
import { ApiRequestError } from '../../lib/api.js';
import { loadPolicy, savePolicy } from '../../lib/admin/policyApi.js';
import { safeValue, sensitiveSets, settingOf, withSensitive, withSetting, type SettingName } from '../../lib/admin/policyDraft.js';

type Control = { kind: 'boolean' } | { kind: 'choice'; options: readonly { value: string; label: string }[] } | { kind: 'list' };

interface Row {
  name: SettingName;
  label: string;
  control: Control;
}

const BOOL: Control = { kind: 'boolean' };

const MEETING_ROWS: Row[] = [
  { name: 'lobby', label: 'Waiting room', control: BOOL },
  { name: 'joinBeforeHost', label: 'Joining before the host', control: BOOL },
  { name: 'membersSkipLobby', label: 'Members skip the waiting room', control: BOOL },
  { name: 'public', label: 'Public meetings (no passcode)', control: BOOL },
  {
    name: 'access',
    label: 'Who can join',
    control: {
      kind: 'choice',
      options: [
        { value: 'anyone', label: 'Anyone with the link and passcode' },
        { value: 'signed-in', label: 'Signed-in users only' },
        { value: 'organization', label: 'Organization members only' },
      ],
    },
  },
  {
    name: 'linkPolicy',
    label: 'Links in chat',
    control: {
      kind: 'choice',
      options: [
        { value: 'block', label: 'Blocked' },
        { value: 'hold', label: 'Held for a moderator' },
        { value: 'allow', label: 'Allowed (listed domains clickable)' },
      ],
    },
  },
  { name: 'linkAllowList', label: 'Domains whose links are clickable (under “Allowed”)', control: { kind: 'list' } },
  { name: 'autoLockOnDisruption', label: 'Lock on disruption', control: BOOL },
];

const FEATURE_ROWS: Row[] = [
  { name: 'features.chat', label: 'Chat', control: BOOL },
  { name: 'features.privateChat', label: 'Private chat', control: BOOL },
  {
    name: 'features.screenShare',
    label: 'Share screen',
    control: {
      kind: 'choice',
      options: [
        { value: 'hosts', label: 'Hosts only' },
        { value: 'everyone', label: 'Everyone' },
      ],
    },
  },
  { name: 'features.fileSharing', label: 'Send files', control: BOOL },
  { name: 'features.reactions', label: 'Reactions', control: BOOL },
  { name: 'features.raiseHand', label: 'Raise hand', control: BOOL },
  { name: 'features.renameSelf', label: 'Rename themselves', control: BOOL },
  { name: 'features.unmuteSelf', label: 'Unmute themselves', control: BOOL },
  { name: 'features.startVideo', label: 'Start video', control: BOOL },
];

function describe(value: unknown): string {
  if (value === true) return 'on';
  if (value === false) return 'off';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return String(value);
}

/** A comma-separated list, kept as typed until it loses focus (the server validates each domain). */
function ListInput({ value, onChange, testId, label }: { value: string[]; onChange: (list: string[]) => void; testId: string; label: string }): ReactElement {
  const joined = value.join(', ');
  const [text, setText] = useState(joined);
  useEffect(() => setText(joined), [joined]);
  const commit = (): void =>
    onChange(
      text
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
    );
  return <input className="input mono" value={text} onChange={(e) => setText(e.target.value)} onBlur={commit} placeholder="example.org, intranet.example.org" aria-label={label} data-testid={testId} />;
}

function SettingRow({ row, policy, safe, onChange }: { row: Row; policy: OrgPolicy; safe: MeetingSettings; onChange: (next: OrgPolicy) => void }): ReactElement {
  const { value, locked } = settingOf(policy, safe, row.name);
  const set = (v: unknown, lock: boolean): void => onChange(withSetting(policy, safe, row.name, v, lock));
  return (
    <tr data-testid={`policy-row-${row.name}`}>
      <th scope="row">{row.label}</th>
      <td>
        {row.control.kind === 'boolean' ? (
          <label className="choice">
            <input type="checkbox" checked={value === true} onChange={(e) => set(e.target.checked, locked)} data-testid={`policy-value-${row.name}`} />
            <span>{value === true ? 'On' : 'Off'}</span>
          </label>
        ) : row.control.kind === 'list' ? (
          <ListInput value={Array.isArray(value) ? value.map(String) : []} onChange={(list) => set(list, locked)} testId={`policy-value-${row.name}`} label={row.label} />
        ) : (
          <select className="input" value={String(value)} onChange={(e) => set(e.target.value, locked)} data-testid={`policy-value-${row.name}`} aria-label={row.label}>
            {row.control.options.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </select>
        )}
      </td>
      <td>
        <label className="choice">
          <input type="checkbox" checked={locked} onChange={(e) => set(value, e.target.checked)} data-testid={`policy-lock-${row.name}`} />
          <span>Lock</span>
        </label>
      </td>
      <td className="muted small">Parley’s default: {describe(safeValue(safe, row.name))}</td>
    </tr>
  );
}

function SettingsTable({ title, rows, view, policy, onChange }: { title: string; rows: Row[]; view: AdminPolicyView; policy: OrgPolicy; onChange: (next: OrgPolicy) => void }): ReactElement {
  return (
    <table className="policy-table">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Setting</th>
          <th scope="col">Default for new meetings</th>
          <th scope="col">Hosts may not change it</th>
          <th scope="col">
            <span className="visually-hidden">Parley’s default</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <SettingRow key={row.name} row={row} policy={policy} safe={view.safeDefaults} onChange={onChange} />
        ))}
      </tbody>
    </table>
  );
}

/** What a sensitive meeting may be made to do beyond its built-in minimum, besides switching things off. */
const SENSITIVE_EXTRAS: { name: SettingName; value: unknown; label: string }[] = [
  { name: 'linkPolicy', value: 'block', label: 'Links in chat blocked' },
  { name: 'autoLockOnDisruption', value: true, label: 'Lock on disruption' },
];

function SensitiveClass({ view, policy, onChange }: { view: AdminPolicyView; policy: OrgPolicy; onChange: (next: OrgPolicy) => void }): ReactElement {
  const minimum = view.sensitiveMinimum;
  const fixed = [
    ...Object.entries(minimum)
      .filter(([key]) => key !== 'features')
      .map(([key, value]) => `${key}: ${describe(value)}`),
    ...Object.entries(minimum.features ?? {}).map(([key, value]) => `features.${key}: ${describe(value)}`),
    'end-to-end encryption: on',
  ];
  const switches = FEATURE_ROWS.filter((r) => r.control.kind === 'boolean' && (minimum.features as Record<string, unknown> | undefined)?.[r.name.slice(9)] === undefined);
  return (
    <fieldset className="stack policy-group" data-testid="policy-sensitive">
      <legend>Sensitive meetings</legend>
      <p className="muted small">Always (built in, cannot be relaxed): {fixed.join('; ')}.</p>
      <p className="small">Also in sensitive meetings:</p>
      <div className="policy-checks">
        {SENSITIVE_EXTRAS.map((extra) => (
          <label key={extra.name} className="choice">
            <input
              type="checkbox"
              checked={sensitiveSets(policy, extra.name, extra.value)}
              onChange={(e) => onChange(withSensitive(policy, extra.name, e.target.checked, extra.value))}
              data-testid={`policy-sensitive-${extra.name}`}
            />
            <span>{extra.label}</span>
          </label>
        ))}
      </div>
      <p className="small">Switch off in sensitive meetings:</p>
      <div className="policy-checks">
        {switches.map((row) => (
          <label key={row.name} className="choice">
            <input
              type="checkbox"
              checked={sensitiveSets(policy, row.name)}
              onChange={(e) => onChange(withSensitive(policy, row.name, e.target.checked))}
              data-testid={`policy-sensitive-${row.name}`}
            />
            <span>{row.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

const FAMILIES: { key: keyof BrowserMinimums; label: string }[] = [
  { key: 'chromium', label: 'Chromium (Chrome, Edge, Opera)' },
  { key: 'firefox', label: 'Firefox' },
  { key: 'safari', label: 'Safari (and every browser on iOS)' },
];

function withMinimum(policy: OrgPolicy, key: keyof BrowserMinimums, text: string): OrgPolicy {
  const minimumBrowsers = { ...policy.minimumBrowsers };
  const n = Number.parseInt(text, 10);
  if (text.trim() === '' || !Number.isFinite(n)) delete minimumBrowsers[key];
  else minimumBrowsers[key] = n;
  return { ...policy, minimumBrowsers };
}

function Others({ view, policy, onChange }: { view: AdminPolicyView; policy: OrgPolicy; onChange: (next: OrgPolicy) => void }): ReactElement {
  const servedVersion = view.servedBuild.split('+')[0] ?? view.servedBuild;
  return (
    <>
      <fieldset className="stack policy-group">
        <legend>People</legend>
        <label className="choice">
          <input type="checkbox" checked={policy.guestsMayModerate} onChange={(e) => onChange({ ...policy, guestsMayModerate: e.target.checked })} data-testid="policy-guests-moderate" />
          <span>Guests (not signed in) may be made co-hosts</span>
        </label>
        <label className="field">
          <span className="field-label">IT support contact (shown to users on the outdated-browser screen)</span>
          <input className="input" value={policy.supportContact} maxLength={200} onChange={(e) => onChange({ ...policy, supportContact: e.target.value })} data-testid="policy-support-contact" />
        </label>
      </fieldset>
      <fieldset className="stack policy-group">
        <legend>Current clients</legend>
        <label className="field">
          <span className="field-label">Minimum client build (empty: the build this server serves, now {servedVersion})</span>
          <input
            className="input mono"
            value={policy.minimumClientBuild ?? ''}
            placeholder={servedVersion}
            maxLength={64}
            onChange={(e) => onChange({ ...policy, minimumClientBuild: e.target.value.trim() === '' ? null : e.target.value.trim() })}
            data-testid="policy-minimum-build"
          />
        </label>
        {FAMILIES.map((f) => (
          <label key={f.key} className="field">
            <span className="field-label">Minimum {f.label} version (empty: any)</span>
            <input
              className="input"
              type="number"
              min={1}
              max={10000}
              value={policy.minimumBrowsers[f.key] ?? ''}
              onChange={(e) => onChange(withMinimum(policy, f.key, e.target.value))}
              data-testid={`policy-minimum-${f.key}`}
            />
          </label>
        ))}
      </fieldset>
      <fieldset className="stack policy-group">
        <legend>Signing in</legend>
        <label className="choice">
          <input
            type="checkbox"
            checked={policy.localPasswords}
            disabled={!view.ssoConfigured && policy.localPasswords}
            onChange={(e) => onChange({ ...policy, localPasswords: e.target.checked })}
            data-testid="policy-local-passwords"
          />
          <span>Local passwords may be used to sign in</span>
        </label>
        {!view.ssoConfigured && <p className="muted small">Single sign-on is not configured: local passwords stay on (nobody could sign in otherwise).</p>}
        <label className="choice">
          <input type="checkbox" checked={policy.ssoCreatesAccounts} onChange={(e) => onChange({ ...policy, ssoCreatesAccounts: e.target.checked })} data-testid="policy-sso-creates" />
          <span>A first single sign-on creates a member account (off: only accounts an administrator created)</span>
        </label>
      </fieldset>
    </>
  );
}

export function PolicySection(): ReactElement {
  const { account } = useAccount();
  const [view, setView] = useState<AdminPolicyView | null>(null);
  const [draft, setDraft] = useState<OrgPolicy | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    let live = true;
    loadPolicy(account.api).then(
      (v) => {
        if (!live) return;
        setView(v);
        setDraft(v.policy);
      },
      (err: unknown) => {
        account.noteFailure(err);
        if (live) setError(err instanceof ApiRequestError ? err.message : 'The policy could not be loaded.');
      },
    );
    return () => {
      live = false;
    };
  }, [account]);

  const change = (next: OrgPolicy): void => {
    setDraft(next);
    setSaved(false);
  };

  const save = async (): Promise<void> => {
    if (!draft) return;
    setBusy(true);
    setError(null);
    try {
      const v = await savePolicy(account.api, draft);
      setView(v);
      setDraft(v.policy);
      setSaved(true);
    } catch (err) {
      account.noteFailure(err);
      setError(err instanceof ApiRequestError ? err.message : 'The policy could not be saved.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card stack" aria-labelledby="admin-policy-title" data-testid="policy-section">
      <h2 id="admin-policy-title">Policy</h2>
      <p className="muted">Defaults apply to new meetings; hosts may change them unless locked. Locked settings are shown to hosts as locked, and the server refuses any other value.</p>
      {!view || !draft ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <SettingsTable title="Meeting settings" rows={MEETING_ROWS} view={view} policy={draft} onChange={change} />
          <SettingsTable title="Allow participants to" rows={FEATURE_ROWS} view={view} policy={draft} onChange={change} />
          <SensitiveClass view={view} policy={draft} onChange={change} />
          <Others view={view} policy={draft} onChange={change} />
          <div className="row">
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void save()} data-testid="policy-save">
              {busy ? 'Saving…' : 'Save policy'}
            </button>
            {saved && (
              <span className="muted" role="status" data-testid="policy-saved">
                Saved. Running meetings follow it now.
              </span>
            )}
          </div>
        </>
      )}
      {error && (
        <p className="error-text" role="alert" data-testid="policy-error">
          {error}
        </p>
      )}
    </section>
  );
}
