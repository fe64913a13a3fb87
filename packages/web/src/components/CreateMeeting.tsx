/** For organization members: create a meeting with its security options, then share its link and passcode. */
import { useEffect, useState, type FormEvent, type ReactElement } from 'react';
import type { CreateMeetingResponse, MeetingSettings } from '@parley/protocol';
import { useAccount } from '../lib/account.js';
import { ApiRequestError } from '../lib/api.js';
import type { OnJoin } from '../lib/route.js';
import { CopyIcon, LockIcon } from './Icons.js';
import { SAFE_CHOICES, SecurityOptions, passcodeProblem, settingsPatch, withLocks, type SecurityChoices } from './SecurityOptions.js';
import { usePublicPolicy } from '../lib/publicPolicy.js';
import { meetingsChanged, rememberPasscode } from '../lib/invite.js';
import { SensitivityBadge } from './SensitivityBadge.js';

/** The link to share: the server's, marked `#public` when there is no passcode (so nobody is asked for one). */
export function shareLink(created: CreateMeetingResponse): string {
  return created.passcode === null && !created.joinUrl.includes('#') ? `${created.joinUrl}#public` : created.joinUrl;
}

function summary(s: MeetingSettings): string {
  const parts = [
    s.public ? 'public (view-only newcomers)' : 'passcode required',
    s.lobby ? (s.membersSkipLobby ? 'waiting room (members skip it)' : 'waiting room') : 'no waiting room',
    s.joinBeforeHost ? 'may start without the host' : 'starts when the host joins',
    s.access === 'anyone' ? 'guests allowed' : s.access === 'signed-in' ? 'signed-in users only' : 'organization only',
  ];
  return parts.join(' · ');
}

export function CreateMeeting({ onJoin }: { onJoin: OnJoin }): ReactElement {
  const { account } = useAccount();
  const [title, setTitle] = useState('');
  const [choices, setChoices] = useState<SecurityChoices>(SAFE_CHOICES);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreateMeetingResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const problem = passcodeProblem(choices);
  // What the organization locks is shown locked, at its locked value (the server refuses any other).
  const locked = usePublicPolicy()?.locked;
  useEffect(() => {
    if (locked) setChoices((c) => withLocks(c, locked));
  }, [locked]);

  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    if (problem) return;
    setBusy(true);
    setError(null);
    try {
      const patch = settingsPatch(choices);
      const meeting = await account.api.createMeeting({
        ...(title.trim() ? { title: title.trim() } : {}),
        ...(choices.passcode && !choices.public ? { passcode: choices.passcode } : {}),
        ...(Object.keys(patch).length > 0 ? { settings: patch } : {}),
        ...(choices.sensitive ? { sensitivity: 'sensitive' as const } : {}),
      });
      // Known in this tab from now on (Copy invite, My meetings), in memory only.
      if (meeting.passcode !== null) rememberPasscode(meeting.id, meeting.passcode);
      else meetingsChanged();
      setCreated(meeting);
      setCopied(false);
    } catch (err) {
      account.noteFailure(err);
      setError(err instanceof ApiRequestError ? err.message : 'The meeting could not be created.');
    } finally {
      setBusy(false);
    }
  };

  const copy = async (link: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      setError('Copying was blocked by the browser; select the link and copy it.');
    }
  };

  const link = created ? shareLink(created) : '';
  return (
    <section className="card">
      <h1>Start a meeting</h1>
      <p className="muted">
        <LockIcon className="icon icon-small" /> Every meeting gets a strong passcode; it travels only in the link.
      </p>
      <form onSubmit={(e) => void create(e)} className="stack">
        <label className="field">
          <span className="field-label">Title (optional)</span>
          <input className="input" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} placeholder="Weekly sync" data-testid="create-title" />
        </label>
        <SecurityOptions value={choices} onChange={(next) => setChoices(locked ? withLocks(next, locked) : next)} {...(locked ? { locked } : {})} />
        <button type="submit" className="btn btn-primary" disabled={busy || problem !== null} data-testid="create-meeting">
          {busy ? 'Creating…' : 'New meeting'}
        </button>
      </form>
      {error && (
        <p className="error-text" role="alert" data-testid="create-error">
          {error}
        </p>
      )}
      {created && (
        <div className="created stack" aria-live="polite" data-testid="created">
          <span className="field-label">{created.title ? `“${created.title}” is ready. Share this link:` : 'Share this link:'}</span>
          <div className="row">
            <input className="input mono" readOnly value={link} onFocus={(e) => e.target.select()} data-testid="join-link" aria-label="Join link" />
            <button type="button" className="btn" onClick={() => void copy(link)} data-testid="copy-link">
              <CopyIcon className="icon icon-small" /> {copied ? 'Copied' : 'Copy'}
            </button>
          </div>
          <p className="muted small">
            Meeting ID <span className="mono">{created.id}</span>
            {created.passcode !== null && (
              <>
                {' '}
                · Passcode{' '}
                <span className="mono" data-testid="created-passcode">
                  {created.passcode}
                </span>
              </>
            )}
          </p>
          {created.settings.sensitivity === 'sensitive' && (
            <p className="sensitivity-note">
              <SensitivityBadge sensitivity={created.settings.sensitivity} />
            </p>
          )}
          <p className="muted small" data-testid="created-settings">
            {summary(created.settings)}
          </p>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => onJoin(created.id, created.passcode, created.passcode === null, created.settings.sensitivity === 'sensitive')}
            data-testid="join-now"
          >
            Join now
          </button>
        </div>
      )}
    </section>
  );
}
