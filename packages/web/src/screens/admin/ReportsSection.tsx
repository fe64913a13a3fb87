/**
 * The console's Reports section: participants reported in meetings, with the reporter's note, the
 * meeting's audit events around the report (expandable) and whether the person was removed; an
 * administrator closes a report with a resolution. Notes are shown as text, never as markup.
 */
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { AdminReport } from '@parley/protocol';
import { PromptDialog } from '../../components/PromptDialog.js';
import { useAccount } from '../../lib/account.js';
import { ApiRequestError } from '../../lib/api.js';
import { closeReport, listReports } from '../../lib/admin/reportsApi.js';

const time = (ms: number): string => new Date(ms).toLocaleString();

function ContextList({ report }: { report: AdminReport }): ReactElement {
  const { events, truncated, windowMs, target } = report.context;
  return (
    <div className="stack report-context" data-testid="report-context">
      <p className="small">
        Reported person: {target.removed ? (target.banned ? 'removed from the meeting and still kept out' : 'removed, then allowed back') : 'not removed'}
        {target.matchedBy === 'name' && <span className="muted"> (a guest: matched by name)</span>}
      </p>
      <p className="muted small">
        The meeting’s audit events from {windowMs / 60_000} minutes before to {windowMs / 60_000} minutes after the report{truncated ? ' (the first ones only)' : ''}:
      </p>
      <ol className="plain-list report-events">
        {events.map((e) => (
          <li key={e.seq} className={e.at === report.at ? 'report-event-now' : undefined}>
            <span className="mono small">{new Date(e.at).toLocaleTimeString()}</span> <strong>{e.action}</strong>{' '}
            <span className="muted small">{e.actorLabel ? `by ${e.actorLabel}` : e.actor === 'system' ? 'by Parley' : ''}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function ReportItem({ report, onClose }: { report: AdminReport; onClose: (report: AdminReport) => void }): ReactElement {
  const [open, setOpen] = useState(false);
  return (
    <li className="card stack report-item" data-testid="report-row" data-report={report.id}>
      <div className="row report-head">
        <strong>{report.targetName}</strong>
        <span className="muted small">
          in {report.meetingTitle ?? report.meetingId} · {time(report.at)} · reported by {report.reporterLabel}
        </span>
      </div>
      <blockquote className="report-note" data-testid="report-note">
        {report.note}
      </blockquote>
      {report.closed ? (
        <p className="small" data-testid="report-resolution">
          Closed {time(report.closed.at)} by {report.closed.byLabel}: {report.closed.resolution}
        </p>
      ) : null}
      <div className="row">
        <button type="button" className="btn btn-small" aria-expanded={open} onClick={() => setOpen((v) => !v)} data-testid="report-expand">
          {open ? 'Hide audit context' : `Audit context (${report.context.events.length})`}
        </button>
        {!report.closed && (
          <button type="button" className="btn btn-small btn-primary" onClick={() => onClose(report)} data-testid="report-close">
            Close…
          </button>
        )}
      </div>
      {open && <ContextList report={report} />}
    </li>
  );
}

export function ReportsSection(): ReactElement {
  const { account } = useAccount();
  const [status, setStatus] = useState<'open' | 'closed'>('open');
  const [reports, setReports] = useState<AdminReport[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [closing, setClosing] = useState<AdminReport | null>(null);

  const load = useCallback(async (): Promise<void> => {
    try {
      setReports((await listReports(account.api, status)).reports);
      setError(null);
    } catch (err) {
      account.noteFailure(err);
      setError(err instanceof ApiRequestError ? err.message : 'The reports could not be loaded.');
    }
  }, [account, status]);

  useEffect(() => {
    setReports(null);
    void load();
  }, [load]);

  const close = async (report: AdminReport, resolution: string): Promise<void> => {
    setClosing(null);
    try {
      await closeReport(account.api, report.id, resolution);
      setReports((list) => list?.filter((r) => r.id !== report.id) ?? null);
    } catch (err) {
      account.noteFailure(err);
      setError(err instanceof ApiRequestError ? err.message : 'The report could not be closed.');
    }
  };

  return (
    <section className="card stack" aria-labelledby="admin-reports-title">
      <div className="row report-toolbar">
        <h2 id="admin-reports-title">Reports</h2>
        <label className="row small">
          <input type="checkbox" checked={status === 'closed'} onChange={(e) => setStatus(e.target.checked ? 'closed' : 'open')} data-testid="reports-show-closed" />
          Show closed reports
        </label>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {reports === null ? (
        <p className="muted">Loading…</p>
      ) : reports.length === 0 ? (
        <p className="muted" data-testid="reports-empty">
          {status === 'open' ? 'No open reports.' : 'No closed reports.'}
        </p>
      ) : (
        <ul className="plain-list stack" data-testid="reports-list">
          {reports.map((r) => (
            <ReportItem key={r.id} report={r} onClose={setClosing} />
          ))}
        </ul>
      )}
      {closing && (
        <PromptDialog
          title={`Close the report about ${closing.targetName}`}
          label="Resolution (kept with the report and in the audit log)"
          maxLength={2000}
          multiline
          confirmLabel="Close report"
          testId="report-close-dialog"
          onCancel={() => setClosing(null)}
          onConfirm={(resolution) => void close(closing, resolution)}
        />
      )}
    </section>
  );
}
