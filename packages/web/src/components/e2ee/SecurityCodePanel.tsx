/**
 * The Security code panel of an end-to-end encrypted meeting: the code everyone compares (the MLS
 * epoch authenticator as 30 digits), the members of the encrypted group with a "Mark verified"
 * toggle each, warnings when the group and the participant list disagree, and the media worker's
 * frame counters (refreshed every 2 s). It stays in the page while closed (hidden), so the code and
 * the counters can be read, by tests too, without opening it.
 */
import { useEffect, useState, type ReactElement } from 'react';
import type { ParticipantInfo } from '@parley/protocol';
import type { TransformCounters } from '@parley/e2ee/sframe';
import type { E2eeState } from '../../lib/meetingState.js';
import { e2eeStatusText } from './E2eeStatus.js';

const STATS_EVERY_MS = 2000;

export function countersText(c: TransformCounters): string {
  const last = c.lastErrorCode ? ` · last drop: ${c.lastErrorCode}` : '';
  return `frames encrypted ${c.encrypted} · decrypted ${c.decrypted} · dropped ${c.dropped}${last}`;
}

function useCounters(stats: () => Promise<TransformCounters | null>): TransformCounters | null {
  const [counters, setCounters] = useState<TransformCounters | null>(null);
  useEffect(() => {
    let live = true;
    const poll = (): void => {
      void stats().then((c) => {
        if (live && c) setCounters(c);
      });
    };
    poll();
    const timer = setInterval(poll, STATS_EVERY_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [stats]);
  return counters;
}

export function SecurityCodePanel({
  open,
  e2ee,
  participants,
  selfId,
  onVerify,
  stats,
  onClose,
}: {
  open: boolean;
  e2ee: E2eeState;
  /** Everyone the participant list shows, oneself included. */
  participants: ParticipantInfo[];
  selfId: string | null;
  onVerify: (participantId: string, verified: boolean) => void;
  stats: () => Promise<TransformCounters | null>;
  onClose: () => void;
}): ReactElement {
  const counters = useCounters(stats);
  const visible = new Map(participants.map((p) => [p.id, p]));
  const inGroup = new Set(e2ee.members.map((m) => m.participantId));
  const strangers = e2ee.members.filter((m) => !visible.has(m.participantId));
  const outside = e2ee.status === 'encrypted' ? participants.filter((p) => !inGroup.has(p.id)) : [];
  return (
    <aside className="panel security-code-panel" aria-label="Security code" data-testid="security-code" hidden={!open}>
      <header className="panel-header">
        <h2>Security code</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close security code">
          ✕
        </button>
      </header>
      <div className="e2ee-panel-body">
        <p className="small" data-testid="e2ee-panel-status" data-status={e2ee.status}>
          {e2eeStatusText(e2ee)}
          {e2ee.status === 'failed' && e2ee.error ? `: ${e2ee.error}. Leave and rejoin to try again.` : ''}
        </p>
        {e2ee.securityCode ? (
          <p className="security-code mono" aria-label="Security code">
            <span data-testid="security-code-digits">{e2ee.securityCode}</span>
          </p>
        ) : (
          <p className="muted small">The code appears once encryption is in place.</p>
        )}
        <p className="muted small">
          Compare this code with the others, out loud or in person. Everyone in the meeting sees the same code; it changes when someone joins or
          leaves.
        </p>
        {strangers.length > 0 && (
          <p className="error-text small" role="alert" data-testid="e2ee-unknown-member">
            Warning: {strangers.map((m) => m.displayName).join(', ')} {strangers.length === 1 ? 'is' : 'are'} in the encrypted group but not in
            the participant list. Someone may be listening in: compare the security code before saying anything sensitive.
          </p>
        )}
        {outside.length > 0 && (
          <p className="muted small" data-testid="e2ee-not-in-group">
            Not in the encrypted group yet (they cannot see, hear or read you until they are): {outside.map((p) => p.displayName).join(', ')}.
          </p>
        )}
        <h3 className="small">In the encrypted group ({e2ee.members.length})</h3>
        <ul className="plain-list e2ee-members" data-testid="e2ee-members">
          {e2ee.members.map((m) => {
            const self = m.participantId === selfId;
            const verified = e2ee.verified[m.participantId] === true;
            const shown = visible.get(m.participantId);
            return (
              <li key={m.participantId} className="e2ee-member" data-testid="e2ee-member" data-participant-id={m.participantId}>
                <span className="e2ee-member-name">
                  {m.displayName}
                  {self && <span className="muted small"> (you)</span>}
                  {shown && shown.displayName !== m.displayName && <span className="muted small"> (now “{shown.displayName}”)</span>}
                </span>
                {!self && (
                  <button
                    type="button"
                    className={`btn btn-small${verified ? ' btn-verified' : ''}`}
                    aria-pressed={verified}
                    onClick={() => onVerify(m.participantId, !verified)}
                    data-testid={`verify-${m.participantId}`}
                  >
                    {verified ? '✓ Verified' : 'Mark verified'}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
        <details className="small muted e2ee-counters" data-testid="e2ee-counters">
          <summary>Media encryption details</summary>
          <span data-testid="e2ee-counters-text">{counters ? countersText(counters) : 'Asking the media worker…'}</span>
          {e2ee.epoch !== null && <span> · epoch {e2ee.epoch}</span>}
        </details>
      </div>
    </aside>
  );
}
