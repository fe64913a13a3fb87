/**
 * The console's Clients section (C1): who is connected now with which build and browser (outdated
 * ones flagged: below the minimum build or the organization's minimum browser version), and the
 * counts over time (a sample a minute, kept 30 days) as a plain bar chart: all clients, outdated ones.
 * On several servers it lists every server's clients, says how many each has, and says so when the
 * list may be incomplete (the other servers' lists could not be read).
 */
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { AdminClientsView, ClientSample, ClientsNode } from '@parley/protocol';
import { useAccount } from '../../lib/account.js';
import { ApiRequestError } from '../../lib/api.js';
import { loadClients } from '../../lib/admin/policyApi.js';

const SPANS = [
  { hours: 1, label: 'Last hour' },
  { hours: 24, label: 'Last day' },
  { hours: 24 * 7, label: 'Last week' },
  { hours: 24 * 30, label: 'Last 30 days' },
] as const;

function time(at: number): string {
  return new Date(at).toLocaleString();
}

/** Bars of the total (light) with the outdated part (dark) of each sample. */
function Chart({ samples }: { samples: ClientSample[] }): ReactElement {
  if (samples.length === 0) return <p className="muted small">No samples yet (one is taken every minute).</p>;
  const width = 720;
  const height = 160;
  const max = Math.max(1, ...samples.map((s) => s.total));
  const bar = width / samples.length;
  const first = samples[0];
  const last = samples.at(-1);
  return (
    <figure className="clients-chart">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`Connected clients over time: at most ${max}`} data-testid="clients-chart">
        {samples.map((s, i) => {
          const total = (s.total / max) * (height - 10);
          const outdated = (s.outdated / max) * (height - 10);
          return (
            <g key={s.at}>
              <title>{`${time(s.at)}: ${s.total} connected, ${s.outdated} outdated`}</title>
              <rect className="bar-total" x={i * bar} y={height - total} width={Math.max(1, bar - 1)} height={total} />
              <rect className="bar-outdated" x={i * bar} y={height - outdated} width={Math.max(1, bar - 1)} height={outdated} />
            </g>
          );
        })}
      </svg>
      <figcaption className="muted small">
        {first && last ? `${time(first.at)} – ${time(last.at)}` : ''} · highest {max} · <span className="legend-total">connected</span> <span className="legend-outdated">outdated</span>
      </figcaption>
    </figure>
  );
}

function Counts({ title, counts }: { title: string; counts: Record<string, number> }): ReactElement {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1]);
  return (
    <table className="policy-table">
      <caption>{title}</caption>
      <tbody>
        {rows.length === 0 ? (
          <tr>
            <td className="muted">None</td>
          </tr>
        ) : (
          rows.map(([key, n]) => (
            <tr key={key}>
              <th scope="row" className="mono">
                {key}
              </th>
              <td>{n}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}

/** Which servers the list covers (several servers only), and a warning when it may be incomplete. */
function Coverage({ nodes, partial }: { nodes: ClientsNode[]; partial: boolean }): ReactElement | null {
  const omitted = nodes.reduce((n, node) => n + node.omitted, 0);
  return (
    <>
      {nodes.length > 1 && (
        <p className="muted small" data-testid="clients-nodes">
          Clients of {nodes.length} servers: {nodes.map((n) => `${n.node} (${n.listed})`).join(', ')}.
        </p>
      )}
      {partial && (
        <p className="error-text" role="status" data-testid="clients-partial">
          {omitted > 0
            ? `This list is incomplete: ${omitted} more ${omitted === 1 ? 'client is' : 'clients are'} connected than the servers share.`
            : 'This list may be incomplete: only the clients of the server that answered are shown, as it cannot reach the other servers right now.'}
        </p>
      )}
    </>
  );
}

export function ClientsSection(): ReactElement {
  const { account } = useAccount();
  const [hours, setHours] = useState<number>(24);
  const [view, setView] = useState<AdminClientsView | null>(null);
  const [error, setError] = useState<string | null>(null);

  const refresh = useCallback(() => {
    loadClients(account.api, hours).then(
      (v) => {
        setView(v);
        setError(null);
      },
      (err: unknown) => {
        account.noteFailure(err);
        setError(err instanceof ApiRequestError ? err.message : 'The clients could not be loaded.');
      },
    );
  }, [account, hours]);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 30_000);
    return () => clearInterval(timer);
  }, [refresh]);

  const latest = view?.samples.at(-1);
  const outdated = view?.connected.filter((c) => c.outdated).length ?? 0;
  return (
    <section className="card stack" aria-labelledby="admin-clients-title" data-testid="clients-section">
      <h2 id="admin-clients-title">Clients</h2>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {view && (
        <>
          <p className="muted">
            Serving build <span className="mono">{view.servedBuild}</span>; the minimum accepted is <span className="mono">{view.minimumBuild}</span>. {view.connected.length} connected,{' '}
            <strong data-testid="clients-outdated-count">{outdated}</strong> outdated.
          </p>
          <Coverage nodes={view.nodes} partial={view.partial} />
          <table className="policy-table" data-testid="clients-table">
            <caption>Connected now</caption>
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">Meeting</th>
                <th scope="col">Build</th>
                <th scope="col">Browser</th>
                <th scope="col">Connected since</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {view.connected.map((c, i) => (
                <tr key={`${c.connectedAt}-${i}`} className={c.outdated ? 'client-outdated' : undefined} data-outdated={c.outdated ? 'true' : undefined}>
                  <td>{c.displayName ?? <span className="muted">not in a meeting</span>}</td>
                  <td className="mono">{c.meetingId ?? '—'}</td>
                  <td className="mono">{c.build}</td>
                  <td>{c.browser}</td>
                  <td>{time(c.connectedAt)}</td>
                  <td>{c.outdated ? <strong className="error-text">Outdated</strong> : 'Current'}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="row">
            {SPANS.map((s) => (
              <button key={s.hours} type="button" className={`btn btn-small${s.hours === hours ? ' btn-primary' : ''}`} onClick={() => setHours(s.hours)} aria-pressed={s.hours === hours}>
                {s.label}
              </button>
            ))}
            <button type="button" className="btn btn-small" onClick={refresh}>
              Refresh
            </button>
          </div>
          <Chart samples={view.samples} />
          {latest && (
            <div className="row clients-counts">
              <Counts title={`By build (${time(latest.at)})`} counts={latest.byBuild} />
              <Counts title="By browser" counts={latest.byBrowser} />
            </div>
          )}
        </>
      )}
    </section>
  );
}
