/**
 * Notices over the meeting: security alerts for moderators first (until they collapse into the
 * Activity list, with a one-click Remove), then someone knocking (with a shortcut to the waiting room), role changes,
 * moderators' actions on this person, and failed requests with their code.
 */
import { useEffect, type ReactElement } from 'react';
import { toastAlerts, type MeetingAlert } from '../lib/alerts.js';
import type { Notice } from '../lib/meetingState.js';
import { AlertToast } from './AlertToast.js';

const LIFETIME_MS: Record<Notice['kind'], number> = { knock: 10_000, info: 8_000, error: 10_000 };

function Toast({ notice, onDismiss, onOpenLobby }: { notice: Notice; onDismiss: () => void; onOpenLobby: () => void }): ReactElement {
  useEffect(() => {
    const timer = setTimeout(onDismiss, LIFETIME_MS[notice.kind]);
    return () => clearTimeout(timer);
    // One timer per notice, whatever the parent re-renders.
  }, [notice.id]);
  return (
    <div className={`toast toast-${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="toast" data-kind={notice.kind} data-code={notice.code}>
      <span className="toast-text">
        {notice.text}
        {notice.code && <span className="toast-code mono">{notice.code}</span>}
      </span>
      <span className="toast-actions">
        {notice.kind === 'knock' && (
          <button
            type="button"
            className="btn btn-small btn-primary"
            onClick={() => {
              onOpenLobby();
              onDismiss();
            }}
            data-testid="toast-open-lobby"
          >
            View
          </button>
        )}
        <button type="button" className="btn btn-small btn-ghost" onClick={onDismiss} aria-label="Dismiss" data-testid="toast-dismiss">
          ✕
        </button>
      </span>
    </div>
  );
}

export interface ToastsProps {
  notices: Notice[];
  alerts: MeetingAlert[];
  /** Whom this person may remove with one click (present, and within their reach). */
  removable: (participantId: string) => boolean;
  onDismiss: (id: number) => void;
  onDismissAlert: (id: number) => void;
  onRemove: (participantId: string) => void;
  onOpenLobby: () => void;
}

export function Toasts(p: ToastsProps): ReactElement {
  return (
    <div className="toasts" data-testid="toasts">
      {toastAlerts(p.alerts).map((a) => (
        <AlertToast
          key={a.id}
          alert={a}
          canRemove={a.participantId !== null && p.removable(a.participantId)}
          onRemove={() => a.participantId && p.onRemove(a.participantId)}
          onDismiss={() => p.onDismissAlert(a.id)}
        />
      ))}
      {p.notices.map((n) => (
        <Toast key={n.id} notice={n} onDismiss={() => p.onDismiss(n.id)} onOpenLobby={p.onOpenLobby} />
      ))}
    </div>
  );
}
