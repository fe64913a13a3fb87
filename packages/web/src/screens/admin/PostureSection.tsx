/**
 * The console's Posture section: the security office's report for a period (the policy and its
 * locks, meeting coverage by class, moderation and access events, outdated clients, the build and
 * its SBOM, the audit chain), as a page, a printable view (the print stylesheet keeps only the
 * report) and the JSON download. Parts another component provides may say they are not available.
 */
import { useCallback, useEffect, useState, type ReactElement, type ReactNode } from 'react';
import type { ClassCoverage, PostureReport } from '@parley/protocol';
import { useAccount } from '../../lib/account.js';
import { ApiRequestError } from '../../lib/api.js';
import { downloadPosture, fetchPosture } from '../../lib/admin/postureApi.js';

const DAY = 24 * 60 * 60_000;
const PRESETS = [7, 30, 90] as const;

const dateInput = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const parseDate = (text: string): number | null => {
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(ms) ? ms : null;
};
const pct = (part: number, whole: number): string => (whole === 0 ? '—' : `${Math.round((part / whole) * 100)} %`);

function Figure({ label, value, testId }: { label: string; value: ReactNode; testId?: string }): ReactElement {
  return (
    <div className="posture-figure" data-testid={testId}>
      <span className="posture-value">{value}</span>
      <span className="muted small">{label}</span>
    </div>
  );
}

function Part({ title, children }: { title: string; children: ReactNode }): ReactElement {
  return (
    <section className="posture-part stack">
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function Coverage({ name, c }: { name: string; c: ClassCoverage }): ReactElement {
  return (
    <tr data-testid={`posture-class-${name.toLowerCase()}`}>
      <th scope="row">{name}</th>
      <td>{c.meetings}</td>
      <td>
        {c.withPasscode} <span className="muted small">({pct(c.withPasscode, c.meetings)})</span>
      </td>
      <td>
        {c.withWaitingRoom} <span className="muted small">({pct(c.withWaitingRoom, c.meetings)})</span>
      </td>
      <td>
        {c.withE2ee} <span className="muted small">({pct(c.withE2ee, c.meetings)})</span>
      </td>
    </tr>
  );
}

function Report({ report }: { report: PostureReport }): ReactElement {
  const { meetings, moderation, access, audit, outdatedClients, build, policy } = report;
  return (
    <div className="stack posture-report" data-testid="posture-report">
      <p className="muted small">
        {new Date(report.period.from).toLocaleString()} – {new Date(report.period.to).toLocaleString()} · generated {new Date(report.generatedAt).toLocaleString()}
      </p>
      <Part title="Policy">
        <p className="small">
          Locked settings (hosts cannot change them):{' '}
          {policy.lockedSettings.length === 0 ? <span className="muted">none beyond Parley’s safe defaults</span> : <span className="mono">{policy.lockedSettings.join(', ')}</span>}
        </p>
        <p className="small">
          Local passwords {policy.current.localPasswords ? 'allowed' : 'off (single sign-on only)'} · minimum client build {policy.current.minimumClientBuild ?? 'this server’s'} · guests may moderate:{' '}
          {policy.current.guestsMayModerate ? 'yes' : 'no'}
        </p>
      </Part>
      <Part title="Meetings created">
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">Meetings</th>
              <th scope="col">Passcode</th>
              <th scope="col">Waiting room</th>
              <th scope="col">End-to-end encrypted</th>
            </tr>
          </thead>
          <tbody>
            <Coverage name="Standard" c={meetings.byClass.standard} />
            <Coverage name="Sensitive" c={meetings.byClass.sensitive} />
          </tbody>
        </table>
        <p className="muted small">Coverage from each meeting’s settings resolved with the current policy.</p>
      </Part>
      <Part title="Moderation">
        <div className="posture-figures">
          <Figure label="alerts (untrusted activity, automatic locks)" value={moderation.alerts.total} testId="posture-alerts" />
          <Figure label="removals" value={moderation.removals} testId="posture-removals" />
          <Figure label="suspends" value={moderation.suspends} />
          <Figure label="locks / auto-locks" value={`${moderation.locks.locked} / ${moderation.locks.autoLocked}`} />
          <Figure label="reports filed (open now)" value={`${moderation.reports.filed} (${moderation.reports.open})`} />
        </div>
      </Part>
      <Part title="Access">
        <div className="posture-figures">
          <Figure label="failed sign-ins" value={access.failedSignIns} testId="posture-failed-signins" />
          <Figure label="throttled sign-ins" value={access.throttledSignIns} />
          <Figure label="wrong passcodes" value={access.failedPasscodes} />
          <Figure label="throttled passcodes" value={access.throttledPasscodes} />
          <Figure label="guessing lockouts" value={access.guessingLockouts} />
        </div>
        <p className="muted small">{access.note}</p>
      </Part>
      <Part title="Outdated clients seen">
        {outdatedClients.available ? (
          <p data-testid="posture-outdated">
            {outdatedClients.total} —{' '}
            {Object.entries(outdatedClients.byBrowser)
              .map(([browser, n]) => `${browser}: ${n}`)
              .join(', ') || 'none'}
          </p>
        ) : (
          <p className="muted" data-testid="posture-outdated">
            Not available: {outdatedClients.reason}
          </p>
        )}
      </Part>
      <Part title="Build">
        <p className="small">
          Server <span className="mono">{build.server}</span> ·{' '}
          {build.sbom.available ? (
            <>
              SBOM ({build.sbom.bomFormat} {build.sbom.specVersion}) lists {build.sbom.componentCount} components; top level:{' '}
              <span className="mono">{build.sbom.topLevel.map((c) => `${c.name}@${c.version}`).join(', ')}</span>
            </>
          ) : (
            <span className="muted">SBOM not available: {build.sbom.reason}</span>
          )}
        </p>
      </Part>
      <Part title="Audit log">
        {audit.available ? (
          <p data-testid="posture-audit">
            {audit.records} records · last checkpoint {audit.lastCheckpoint ? `at ${audit.lastCheckpoint.treeSize} records, ${new Date(audit.lastCheckpoint.at).toLocaleString()}` : 'none yet'} ·{' '}
            {audit.verified ? <strong>the chain verifies</strong> : <strong className="error-text">the chain does not verify: {audit.firstProblem}</strong>}
          </p>
        ) : (
          <p className="muted" data-testid="posture-audit">
            Not available: {audit.reason}
          </p>
        )}
      </Part>
    </div>
  );
}

export function PostureSection(): ReactElement {
  const { account } = useAccount();
  const [to, setTo] = useState(() => Date.now());
  const [from, setFrom] = useState(() => Date.now() - 30 * DAY);
  const [report, setReport] = useState<PostureReport | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async (): Promise<void> => {
    try {
      setReport(await fetchPosture(account.api, from, to));
      setError(null);
    } catch (err) {
      account.noteFailure(err);
      setError(err instanceof ApiRequestError ? err.message : 'The report could not be made.');
    }
  }, [account, from, to]);

  useEffect(() => {
    void load();
  }, [load]);

  const preset = (days: number): void => {
    const now = Date.now();
    setTo(now);
    setFrom(now - days * DAY);
  };

  return (
    <section className="card stack posture" aria-labelledby="admin-posture-title">
      <h2 id="admin-posture-title">Posture report</h2>
      <div className="row posture-controls" data-testid="posture-controls">
        {PRESETS.map((days) => (
          <button key={days} type="button" className="btn btn-small" onClick={() => preset(days)} data-testid={`posture-last-${days}`}>
            Last {days} days
          </button>
        ))}
        <label className="row small">
          From
          <input
            className="input input-small"
            type="date"
            value={dateInput(from)}
            onChange={(e) => {
              const ms = parseDate(e.target.value);
              if (ms !== null && ms < to) setFrom(ms);
            }}
            data-testid="posture-from"
          />
        </label>
        <label className="row small">
          To
          <input
            className="input input-small"
            type="date"
            value={dateInput(to)}
            onChange={(e) => {
              const ms = parseDate(e.target.value);
              // The whole day chosen, up to its end.
              if (ms !== null && ms + DAY - 1 > from) setTo(ms + DAY - 1);
            }}
            data-testid="posture-to"
          />
        </label>
        <button type="button" className="btn btn-small" onClick={() => window.print()} disabled={!report} data-testid="posture-print">
          Printable view
        </button>
        <button type="button" className="btn btn-small btn-primary" onClick={() => report && downloadPosture(report)} disabled={!report} data-testid="posture-download">
          Download JSON
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {report ? <Report report={report} /> : !error && <p className="muted">Making the report…</p>}
    </section>
  );
}
