/**
 * The console's Audit section: the tamper-evident audit log, filtered by meeting, person, action and
 * day, newest first, with "Older" paging; and a status line saying whether the hash chain and its
 * signed checkpoints verify.
 */
import { useCallback, useEffect, useState, type FormEvent, type ReactElement } from 'react';
import type { AuditEventView, AuditStatusView } from '@parley/protocol';
import { useAccount } from '../../lib/account.js';
import { ApiRequestError } from '../../lib/api.js';
import { fetchAuditPage, fetchAuditStatus, NO_FILTERS, type AuditFilters } from '../../lib/admin/auditApi.js';

function errorText(err: unknown): string {
  if (err instanceof ApiRequestError) return err.code === 'bad_request' ? `Check the filters: ${err.message}` : err.message;
  return 'The audit log could not be read.';
}

function StatusLine({ status, error }: { status: AuditStatusView | null; error: string | null }): ReactElement {
  if (error) return <p className="error-text" data-testid="audit-status" data-verified="unknown">Verification could not run: {error}</p>;
  if (!status) return <p className="muted" data-testid="audit-status" data-verified="unknown">Verifying the chain…</p>;
  const checkpoint = status.lastCheckpoint
    ? `last signed checkpoint covers ${status.lastCheckpoint.treeSize} records (${new Date(status.lastCheckpoint.at).toLocaleString()})`
    : 'no signed checkpoint yet';
  return (
    <p className={status.verified ? 'audit-status-good' : 'audit-status-bad'} role="status" data-testid="audit-status" data-verified={String(status.verified)}>
      {status.verified ? `Chain verifies: ${status.records} records; ${checkpoint}.` : `Chain does NOT verify: ${status.firstProblem ?? 'unknown problem'}. ${status.records} records; ${checkpoint}.`}
    </p>
  );
}

function Row({ event }: { event: AuditEventView }): ReactElement {
  const details = JSON.stringify(event.details);
  return (
    <tr data-testid="audit-row" data-seq={event.seq}>
      <td className="mono small">{event.seq}</td>
      <td className="small">{new Date(event.at).toLocaleString()}</td>
      <td className="mono small">{event.action}</td>
      <td className="mono small">{event.actorEmail ?? event.actor ?? ''}</td>
      <td className="mono small">{event.targetEmail ?? event.target ?? ''}</td>
      <td className="mono small">{event.meetingId ?? ''}</td>
      <td className="mono small">{event.clientAddress ?? ''}</td>
      <td className="mono small audit-details" title={details}>{details === '{}' ? '' : details}</td>
    </tr>
  );
}

export function AuditSection(): ReactElement {
  const { account } = useAccount();
  const api = account.api;
  const [draft, setDraft] = useState<AuditFilters>(NO_FILTERS);
  const [filters, setFilters] = useState<AuditFilters>(NO_FILTERS);
  const [events, setEvents] = useState<AuditEventView[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<AuditStatusView | null>(null);
  const [statusError, setStatusError] = useState<string | null>(null);

  const load = useCallback(
    async (applied: AuditFilters, before: number | null): Promise<void> => {
      setBusy(true);
      setError(null);
      try {
        const page = await fetchAuditPage(api, applied, before);
        setEvents((shown) => (before === null ? page.events : [...shown, ...page.events]));
        setNext(page.next);
      } catch (err) {
        setError(errorText(err));
      } finally {
        setBusy(false);
      }
    },
    [api],
  );

  useEffect(() => {
    void load(filters, null);
  }, [filters, load]);

  useEffect(() => {
    let live = true;
    fetchAuditStatus(api).then(
      (s) => live && setStatus(s),
      (err: unknown) => live && setStatusError(errorText(err)),
    );
    return () => {
      live = false;
    };
  }, [api]);

  const apply = (e: FormEvent): void => {
    e.preventDefault();
    setFilters({ ...draft });
  };
  const field = (key: keyof AuditFilters, label: string, props: { type?: string; placeholder?: string; testid: string }): ReactElement => (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        className="input"
        type={props.type ?? 'text'}
        value={draft[key]}
        placeholder={props.placeholder}
        maxLength={320}
        onChange={(e) => setDraft({ ...draft, [key]: e.target.value })}
        data-testid={props.testid}
      />
    </label>
  );

  return (
    <section className="card stack" aria-labelledby="admin-audit-title">
      <h2 id="admin-audit-title">Audit</h2>
      <StatusLine status={status} error={statusError} />
      <form className="audit-filters" onSubmit={apply}>
        {field('meetingId', 'Meeting ID', { placeholder: 'abc-defg-hij', testid: 'audit-filter-meeting' })}
        {field('person', 'Person (email or account ID)', { placeholder: 'name@example.org', testid: 'audit-filter-person' })}
        {field('action', 'Action', { placeholder: 'signin.failed', testid: 'audit-filter-action' })}
        {field('fromDate', 'From', { type: 'date', testid: 'audit-filter-from' })}
        {field('toDate', 'To', { type: 'date', testid: 'audit-filter-to' })}
        <div className="row audit-filter-buttons">
          <button type="submit" className="btn btn-primary" disabled={busy} data-testid="audit-apply">
            Filter
          </button>
          <button
            type="button"
            className="btn"
            disabled={busy}
            onClick={() => {
              setDraft(NO_FILTERS);
              setFilters(NO_FILTERS);
            }}
          >
            Clear
          </button>
        </div>
      </form>
      {error && (
        <p className="error-text" role="alert" data-testid="audit-error">
          {error}
        </p>
      )}
      <div className="audit-table-wrap" role="region" aria-label="Audit records" tabIndex={0}>
        <table className="audit-table">
          <thead>
            <tr>
              <th>#</th>
              <th>When</th>
              <th>Action</th>
              <th>Person</th>
              <th>Target</th>
              <th>Meeting</th>
              <th>Address</th>
              <th>Details</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <Row key={event.seq} event={event} />
            ))}
          </tbody>
        </table>
      </div>
      {events.length === 0 && !busy && !error && <p className="muted">No events match.</p>}
      {next !== null && (
        <button type="button" className="btn" disabled={busy} onClick={() => void load(filters, next)} data-testid="audit-older">
          {busy ? 'Loading…' : 'Older'}
        </button>
      )}
    </section>
  );
}
