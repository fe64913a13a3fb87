/**
 * Moderators' Activity list: every security alert of this meeting once its toast has collapsed
 * (see lib/alerts.ts), newest first, each with its time, who did what, how often, and the actions
 * the toast offered (Remove the person, Lock the meeting). The button's badge counts alerts not
 * yet seen here. Not a live region: each alert was announced once, as its toast.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { activityList, ALERT_TITLE, alertVersion, ATTEMPT_LABEL, type MeetingAlert } from '../lib/alerts.js';
import { useDismiss } from '../lib/useDismiss.js';

export interface ActivityMenuProps {
  alerts: readonly MeetingAlert[];
  /** Whom this moderator may remove (present, and within their reach). */
  removable: (participantId: string) => boolean;
  locked: boolean;
  onRemove: (participantId: string) => void;
  onLock: () => void;
}

function timeOf(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

function ActivityItem({ alert, canRemove, locked, onRemove, onLock }: { alert: MeetingAlert; canRemove: boolean; locked: boolean; onRemove: () => void; onLock: () => void }): ReactElement {
  return (
    <li
      className="activity-item"
      data-testid="activity-item"
      data-kind={alert.kind}
      data-attempted={alert.attempted ?? undefined}
      data-participant-id={alert.participantId ?? undefined}
    >
      <div className="activity-head">
        <strong>{ALERT_TITLE[alert.kind]}</strong>
        <time className="muted small mono" dateTime={new Date(alert.at).toISOString()} data-testid="activity-time">
          {timeOf(alert.at)}
        </time>
      </div>
      <div className="activity-what">
        {alert.participantName && (
          <span className="alert-who" data-testid="activity-who">
            {alert.participantName}
          </span>
        )}
        {alert.attempted && <span>{ATTEMPT_LABEL[alert.attempted]}</span>}
        {alert.count > 1 && <span className="alert-count">×{alert.count}</span>}
      </div>
      <div className="small">{alert.message}</div>
      {alert.locked && <div className="small muted">The meeting was locked automatically.</div>}
      <div className="activity-actions">
        {alert.removed ? (
          <span className="muted small" data-testid="activity-removed">
            Removed
          </span>
        ) : (
          canRemove && (
            <button type="button" className="btn btn-small btn-danger" onClick={onRemove} data-testid="activity-remove">
              Remove {alert.participantName ?? ''}
            </button>
          )
        )}
        {!locked && (
          <button type="button" className="btn btn-small" onClick={onLock} data-testid="activity-lock">
            Lock meeting
          </button>
        )}
      </div>
    </li>
  );
}

export function ActivityMenu({ alerts, removable, locked, onRemove, onLock }: ActivityMenuProps): ReactElement {
  const [open, setOpen] = useState(false);
  const [seen, setSeen] = useState<ReadonlySet<string>>(() => new Set());
  const list = useMemo(() => activityList(alerts), [alerts]);
  const unseen = list.filter((a) => !seen.has(alertVersion(a))).length;
  // What is on screen while the list is open has been seen.
  useEffect(() => {
    if (open && unseen > 0) setSeen((s) => new Set([...s, ...list.map(alertVersion)]));
  }, [open, unseen, list]);
  const panel = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const close = useCallback(() => setOpen(false), []);
  const keep = useCallback((target: Node) => button.current?.contains(target) ?? false, []);
  useDismiss(panel, open, close, keep);
  return (
    <span className="activity">
      <button
        ref={button}
        type="button"
        className={`btn btn-small btn-ghost activity-button${unseen > 0 ? ' activity-button-new' : ''}`}
        aria-expanded={open}
        aria-haspopup="dialog"
        aria-label={unseen > 0 ? `Activity, ${unseen} new` : 'Activity'}
        onClick={() => setOpen((o) => !o)}
        data-testid="activity-button"
      >
        <svg className="icon icon-small" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
          <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9M10.3 21a1.9 1.9 0 0 0 3.4 0" />
        </svg>
        <span className="activity-label">Activity</span>
        {unseen > 0 && (
          <span className="count-badge activity-count" aria-hidden="true" data-testid="activity-count">
            {unseen}
          </span>
        )}
      </button>
      {open && (
        <div ref={panel} className="card activity-menu" role="dialog" aria-label="Activity" data-testid="activity-list">
          <h2 className="activity-title">Activity</h2>
          {list.length === 0 ? (
            <p className="muted small" data-testid="activity-empty">
              No security alerts. An alert shows here, with its actions, once its notice closes.
            </p>
          ) : (
            <ul className="plain-list activity-items">
              {list.map((a) => (
                <ActivityItem
                  key={a.id}
                  alert={a}
                  canRemove={a.participantId !== null && removable(a.participantId)}
                  locked={locked}
                  onRemove={() => a.participantId && onRemove(a.participantId)}
                  onLock={onLock}
                />
              ))}
            </ul>
          )}
        </div>
      )}
    </span>
  );
}
