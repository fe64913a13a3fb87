/** The end of a session or a refusal: a coded reason in plain words, and what the person can do next. */
import type { ReactElement } from 'react';

const COPY: Record<string, { title: string; text?: string }> = {
  meeting_access_denied: { title: 'Meeting not found or wrong passcode', text: 'Check the link or the passcode and try again.' },
  update_required: { title: 'A new version of Parley is available — reload', text: 'This page is out of date.' },
  connection_lost: { title: 'Connection lost', text: 'Your connection to the meeting was interrupted.' },
  left: { title: 'You left the meeting' },
  replaced: { title: 'You joined from another window', text: 'This window has left the meeting.' },
  shutting_down: { title: 'The server is restarting', text: 'Please rejoin in a moment.' },
  meeting_full: { title: 'This meeting is full' },
  rate_limited: { title: 'Too many attempts', text: 'Please wait a minute before trying again.' },
  forbidden: { title: 'You are not allowed to do that' },
  'bad-link': { title: 'This is not a valid meeting link', text: 'Check that you copied the whole link.' },
};

export function ErrorScreen({
  code,
  message,
  onRejoin,
  onHome,
}: {
  code: string;
  message?: string;
  onRejoin?: () => void;
  onHome: () => void;
}): ReactElement {
  const copy = COPY[code] ?? { title: 'Something went wrong', text: message };
  const reload = code === 'update_required';
  return (
    <main className="center-screen">
      <section className="card end-card" data-testid="error-screen" data-code={code} role={code === 'left' ? 'status' : 'alert'}>
        <h1>{copy.title}</h1>
        {copy.text && <p className="muted">{copy.text}</p>}
        <div className="row">
          {reload ? (
            <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
              Reload
            </button>
          ) : (
            onRejoin && (
              <button type="button" className="btn btn-primary" onClick={onRejoin} data-testid="rejoin">
                {code === 'left' ? 'Rejoin' : code === 'meeting_access_denied' ? 'Try again' : 'Rejoin'}
              </button>
            )
          )}
          <button type="button" className="btn" onClick={onHome}>
            Home
          </button>
        </div>
        <p className="code-note">Code: {code}</p>
      </section>
    </main>
  );
}
