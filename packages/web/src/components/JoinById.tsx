/** Join a meeting by its ID (or a pasted link) and passcode. */
import { useState, type FormEvent, type ReactElement } from 'react';
import { parseJoinInput, type OnJoin } from '../lib/route.js';

export function JoinById({ onJoin }: { onJoin: OnJoin }): ReactElement {
  const [joinId, setJoinId] = useState('');
  const [passcode, setPasscode] = useState('');
  const [error, setError] = useState<string | null>(null);

  const join = (e: FormEvent): void => {
    e.preventDefault();
    const parsed = parseJoinInput(joinId);
    if (!parsed) return setError('That is not a meeting ID (it looks like k7qm-x2hd-9tfa-wr3p).');
    onJoin(parsed.meetingId, passcode.trim() || parsed.passcode, parsed.isPublic, parsed.sensitive);
  };

  return (
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
              setError(null);
            }}
            placeholder="k7qm-x2hd-9tfa-wr3p"
            autoComplete="off"
            spellCheck={false}
            data-testid="join-id"
          />
        </label>
        <label className="field">
          <span className="field-label">Passcode</span>
          <input className="input mono" type="password" value={passcode} onChange={(e) => setPasscode(e.target.value)} autoComplete="off" data-testid="join-passcode" />
        </label>
        {error && (
          <p className="error-text" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="btn" data-testid="join-by-id">
          Join
        </button>
      </form>
    </section>
  );
}
