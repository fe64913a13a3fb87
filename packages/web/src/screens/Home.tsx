/** The start page: create a meeting (and share its link) or join one by ID and passcode. */
import { useState, type FormEvent, type ReactElement } from 'react';
import type { CreateMeetingResponse } from '@parley/protocol';
import { CopyIcon, LockIcon } from '../components/Icons.js';
import { ApiRequestError, createMeeting } from '../lib/api.js';
import { parseJoinInput } from '../lib/route.js';

export function Home({ onJoin }: { onJoin: (meetingId: string, passcode: string | null) => void }): ReactElement {
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreateMeetingResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [joinId, setJoinId] = useState('');
  const [joinPasscode, setJoinPasscode] = useState('');
  const [joinError, setJoinError] = useState<string | null>(null);

  const create = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setCreated(await createMeeting(title));
      setCopied(false);
    } catch (err) {
      setError(err instanceof ApiRequestError ? err.message : 'The meeting could not be created.');
    } finally {
      setBusy(false);
    }
  };

  const copy = async (): Promise<void> => {
    if (!created) return;
    try {
      await navigator.clipboard.writeText(created.joinUrl);
      setCopied(true);
    } catch {
      setError('Copying was blocked by the browser; select the link and copy it.');
    }
  };

  const join = (e: FormEvent): void => {
    e.preventDefault();
    const parsed = parseJoinInput(joinId);
    if (!parsed) return setJoinError('That is not a meeting ID (it looks like k7qm-x2hd-9tfa-wr3p).');
    onJoin(parsed.meetingId, joinPasscode.trim() || parsed.passcode);
  };

  return (
    <main className="home">
      <header className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Parley</span>
      </header>
      <div className="home-grid">
        <section className="card">
          <h1>Start a meeting</h1>
          <p className="muted">
            <LockIcon className="icon icon-small" /> Every meeting gets a strong passcode; it travels only in the link.
          </p>
          <form onSubmit={(e) => void create(e)} className="stack">
            <label className="field">
              <span className="field-label">Title (optional)</span>
              <input
                className="input"
                value={title}
                maxLength={200}
                onChange={(e) => setTitle(e.target.value)}
                placeholder="Weekly sync"
                data-testid="create-title"
              />
            </label>
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="create-meeting">
              {busy ? 'Creating…' : 'New meeting'}
            </button>
          </form>
          {error && <p className="error-text" role="alert">{error}</p>}
          {created && (
            <div className="created stack" aria-live="polite">
              <span className="field-label">{created.title ? `“${created.title}” is ready. Share this link:` : 'Share this link:'}</span>
              <div className="row">
                <input className="input mono" readOnly value={created.joinUrl} onFocus={(e) => e.target.select()} data-testid="join-link" aria-label="Join link" />
                <button type="button" className="btn" onClick={() => void copy()} data-testid="copy-link">
                  <CopyIcon className="icon icon-small" /> {copied ? 'Copied' : 'Copy'}
                </button>
              </div>
              <p className="muted small">
                Meeting ID <span className="mono">{created.id}</span> · Passcode <span className="mono">{created.passcode}</span>
              </p>
              <button type="button" className="btn btn-primary" onClick={() => onJoin(created.id, created.passcode)} data-testid="join-now">
                Join now
              </button>
            </div>
          )}
        </section>
        <section className="card">
          <h1>Join a meeting</h1>
          <form onSubmit={join} className="stack">
            <label className="field">
              <span className="field-label">Meeting ID or link</span>
              <input
                className="input mono"
                value={joinId}
                onChange={(e) => {
                  setJoinId(e.target.value);
                  setJoinError(null);
                }}
                placeholder="k7qm-x2hd-9tfa-wr3p"
                autoComplete="off"
                spellCheck={false}
                data-testid="join-id"
              />
            </label>
            <label className="field">
              <span className="field-label">Passcode</span>
              <input
                className="input mono"
                type="password"
                value={joinPasscode}
                onChange={(e) => setJoinPasscode(e.target.value)}
                autoComplete="off"
                data-testid="join-passcode"
              />
            </label>
            {joinError && <p className="error-text" role="alert">{joinError}</p>}
            <button type="submit" className="btn" data-testid="join-by-id">
              Join
            </button>
          </form>
        </section>
      </div>
    </main>
  );
}
