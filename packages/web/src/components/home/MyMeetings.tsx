/**
 * My meetings on the home page, for members who host: the meetings they host that can still be
 * joined ("Upcoming") and those ended lately ("Recent"), each with when, its class and a summary of
 * its settings. From here a host copies an invite (the passcode only where this tab knows it) or
 * issues a new passcode and link (the server keeps only a hash, so a lost passcode cannot be shown
 * again; the old one stops working at once, people already inside stay).
 */
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import type { MyMeeting, MyMeetingsResponse } from '@parley/protocol';
import { useAccount } from '../../lib/account.js';
import { ApiRequestError } from '../../lib/api.js';
import { copyText, inviteText, knownPasscode, onMeetingsChanged, type InviteFacts } from '../../lib/invite.js';
import { listMyMeetings, reissuePasscode } from '../../lib/meetings/myMeetingsApi.js';
import type { OnJoin } from '../../lib/route.js';
import { ConfirmDialog } from '../ConfirmDialog.js';
import { CopyIcon } from '../Icons.js';
import { SensitivityBadge } from '../SensitivityBadge.js';

function when(m: MyMeeting): string {
  const format = (at: number): string => new Date(at).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  if (m.endedAt !== null) return `Ended ${format(m.endedAt)}`;
  return m.live ? `In progress · created ${format(m.createdAt)}` : `Created ${format(m.createdAt)}`;
}

/** Waiting room, passcode, who may join, E2EE: what a security office asks first. */
export function settingsSummary(m: MyMeeting): string {
  const s = m.settings;
  return [
    s.lobby ? 'waiting room' : 'no waiting room',
    m.hasPasscode ? 'passcode' : 'public (no passcode)',
    s.access === 'anyone' ? 'guests allowed' : s.access === 'signed-in' ? 'signed-in users only' : 'organization only',
    ...(s.e2ee ? ['end-to-end encrypted'] : []),
  ].join(' · ');
}

function factsOf(m: MyMeeting): InviteFacts {
  return { origin: window.location.origin, meetingId: m.id, title: m.title, sensitive: m.sensitivity === 'sensitive', hasPasscode: m.hasPasscode, passcode: knownPasscode(m.id) };
}

function MeetingRow({ meeting, onJoin, onReissued }: { meeting: MyMeeting; onJoin: OnJoin; onReissued: () => void }): ReactElement {
  const { account } = useAccount();
  const [confirming, setConfirming] = useState(false);
  const [issued, setIssued] = useState<{ passcode: string; joinUrl: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const ended = meeting.endedAt !== null;
  const facts = factsOf(meeting);

  const copy = async (): Promise<void> => {
    setError(null);
    const ok = await copyText(inviteText(facts));
    setNote(ok ? (facts.passcode === null && meeting.hasPasscode ? 'Invite copied, without the passcode (only its hash is kept).' : 'Invite copied.') : null);
    if (!ok) setError('Copying was blocked by the browser.');
  };
  const reissue = async (): Promise<void> => {
    setConfirming(false);
    setError(null);
    setNote(null);
    try {
      const fresh = await reissuePasscode(account.api, meeting.id);
      setIssued({ passcode: fresh.passcode, joinUrl: fresh.joinUrl });
      onReissued();
    } catch (err) {
      account.noteFailure(err);
      setError(err instanceof ApiRequestError ? err.message : 'A new passcode could not be issued.');
    }
  };

  return (
    <li className="my-meeting" data-testid="my-meeting" data-meeting-id={meeting.id}>
      <div className="my-meeting-head">
        <span className="my-meeting-title" data-testid="my-meeting-title">
          {meeting.title || 'Meeting'}
        </span>
        <SensitivityBadge sensitivity={meeting.sensitivity} />
        {meeting.live && <span className="live-pill">Live</span>}
      </div>
      <span className="muted small">
        {when(meeting)} · <span className="mono">{meeting.id}</span>
      </span>
      <span className="muted small" data-testid="my-meeting-settings">
        {meeting.sensitivity === 'sensitive' ? 'Sensitive' : 'Standard'} · {settingsSummary(meeting)}
      </span>
      {!ended && (
        <div className="row my-meeting-actions">
          <button type="button" className="btn btn-small" onClick={() => onJoin(meeting.id, facts.passcode, !meeting.hasPasscode, facts.sensitive)} data-testid="my-meeting-join">
            Join
          </button>
          <button type="button" className="btn btn-small" onClick={() => void copy()} data-testid="my-meeting-copy">
            <CopyIcon className="icon icon-small" /> Copy invite
          </button>
          {meeting.hasPasscode && (
            <button type="button" className="btn btn-small" onClick={() => setConfirming(true)} data-testid="my-meeting-reissue">
              New passcode and link
            </button>
          )}
        </div>
      )}
      {issued && (
        <div className="stack my-meeting-issued" aria-live="polite" data-testid="my-meeting-issued">
          <span className="field-label">New link (the old passcode no longer gets in):</span>
          <input className="input mono" readOnly value={issued.joinUrl} onFocus={(e) => e.target.select()} aria-label="New join link" data-testid="my-meeting-link" />
          <span className="muted small">
            Passcode{' '}
            <span className="mono" data-testid="my-meeting-passcode">
              {issued.passcode}
            </span>
          </span>
        </div>
      )}
      {note && (
        <p className="muted small" role="status">
          {note}
        </p>
      )}
      {error && (
        <p className="error-text small" role="alert">
          {error}
        </p>
      )}
      {confirming && (
        <ConfirmDialog title="Issue a new passcode?" confirmLabel="Issue new passcode" onConfirm={() => void reissue()} onCancel={() => setConfirming(false)} testId="reissue-confirm">
          The current passcode and link stop working at once; people already in the meeting stay. Share the new link with everyone still to join.
        </ConfirmDialog>
      )}
    </li>
  );
}

export function MyMeetings({ onJoin }: { onJoin: OnJoin }): ReactElement {
  const { account } = useAccount();
  const [list, setList] = useState<MyMeetingsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    listMyMeetings(account.api).then(
      (l) => {
        setList(l);
        setError(null);
      },
      (err: unknown) => {
        account.noteFailure(err);
        setError(err instanceof ApiRequestError ? err.message : 'Your meetings could not be loaded.');
      },
    );
  }, [account]);
  // A meeting created (or re-issued) in this tab shows at once.
  useEffect(() => {
    load();
    return onMeetingsChanged(load);
  }, [load]);

  const section = (title: string, items: MyMeeting[], testId: string, empty: string): ReactElement => (
    <div className="stack" data-testid={testId}>
      <h2 className="my-meetings-heading">{title}</h2>
      {items.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="plain-list my-meetings-list">
          {items.map((m) => (
            <MeetingRow key={m.id} meeting={m} onJoin={onJoin} onReissued={load} />
          ))}
        </ul>
      )}
    </div>
  );
  return (
    <section className="card stack my-meetings" aria-labelledby="my-meetings-title" data-testid="my-meetings">
      <div className="row my-meetings-top">
        <h1 id="my-meetings-title">My meetings</h1>
        <button type="button" className="btn btn-small btn-ghost" onClick={load} data-testid="my-meetings-refresh">
          Refresh
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {!list && !error && <p className="muted">Loading…</p>}
      {list && (
        <>
          {section('Upcoming', list.upcoming, 'my-meetings-upcoming', 'No meetings yet: start one above.')}
          {section('Recent', list.recent, 'my-meetings-recent', 'No meeting ended in the last 30 days.')}
        </>
      )}
    </section>
  );
}
