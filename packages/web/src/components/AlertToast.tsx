/**
 * A security alert for moderators (control C6): who did what, how often, whether the meeting locked
 * itself, and a one-click Remove for the person named. After ALERT_TOAST_MS (not while pointed at or
 * focused), or when dismissed, it collapses into the Activity list (ActivityMenu), actions and all.
 */
import { useEffect, useState, type ReactElement } from 'react';
import { ALERT_TITLE, ALERT_TOAST_MS, ATTEMPT_LABEL, type MeetingAlert } from '../lib/alerts.js';

export function AlertToast({
  alert,
  canRemove,
  onRemove,
  onDismiss,
}: {
  alert: MeetingAlert;
  /** The person named is still here and within this moderator's reach. */
  canRemove: boolean;
  onRemove: () => void;
  onDismiss: () => void;
}): ReactElement {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (held) return;
    const timer = setTimeout(onDismiss, ALERT_TOAST_MS);
    return () => clearTimeout(timer);
    // One timer per alert (a repeat starts it again), whatever the parent re-renders.
  }, [alert.id, alert.count, held]);
  return (
    <div
      className="toast toast-alert"
      role="alert"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
      data-testid="alert"
      data-kind={alert.kind}
      data-attempted={alert.attempted ?? undefined}
      data-participant-id={alert.participantId ?? undefined}
    >
      <span className="toast-text alert-body">
        <strong className="toast-title">{ALERT_TITLE[alert.kind]}</strong>
        <span className="alert-what">
          {alert.participantName && (
            <span className="alert-who" data-testid="alert-who">
              {alert.participantName}
            </span>
          )}
          {alert.attempted && <span>{ATTEMPT_LABEL[alert.attempted]}</span>}
          {alert.count > 1 && <span className="alert-count">×{alert.count}</span>}
        </span>
        <span className="small alert-message" data-testid="alert-message">
          {alert.message}
        </span>
        {alert.locked && <span className="small alert-locked">The meeting was locked automatically.</span>}
      </span>
      <span className="toast-actions">
        {alert.removed ? (
          <span className="muted small" data-testid="alert-removed">
            Removed
          </span>
        ) : (
          canRemove && (
            <button type="button" className="btn btn-small btn-danger" onClick={onRemove} data-testid="alert-remove">
              Remove
            </button>
          )
        )}
        <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss} aria-label="Dismiss alert (it stays in Activity)" title="Move to Activity" data-testid="alert-dismiss">
          ✕
        </button>
      </span>
    </div>
  );
}
