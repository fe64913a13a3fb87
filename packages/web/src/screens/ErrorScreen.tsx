/** The end of a session or a refusal: a coded reason in plain words, and what the person can do next. */
import { useEffect, type ReactElement } from 'react';
import { reloadForUpdate } from '../lib/clientBuild.js';
import { E2EE_UNSUPPORTED_TEXT } from '../lib/e2ee/support.js';

interface Copy {
  title: string;
  text?: string;
  /** Show the server's own message (it carries specifics: retry time, which restriction). */
  showMessage?: boolean;
  /** The label of the button that tries again, if trying again makes sense. */
  retry?: string;
}

const COPY: Record<string, Copy> = {
  meeting_access_denied: { title: 'Meeting not found or wrong passcode', text: 'Check the link or the passcode and try again.', retry: 'Try again' },
  update_required: { title: 'A new version of Parley is available — reloading', text: 'This page is out of date; it reloads by itself (a meeting you were in resumes).' },
  browser_outdated: { title: 'Your browser is out of date', showMessage: true },
  connection_lost: { title: 'Connection lost', text: 'Your connection to the meeting was interrupted.', retry: 'Rejoin' },
  resume_expired: { title: 'You were disconnected', text: 'Your connection to the meeting could not be restored in time.', retry: 'Rejoin' },
  media_failed: { title: 'Audio and video could not start', text: 'Your browser could not connect to the meeting’s media.', showMessage: true, retry: 'Rejoin' },
  e2ee_unsupported: { title: 'This browser cannot join this meeting', text: E2EE_UNSUPPORTED_TEXT },
  left: { title: 'You left the meeting', retry: 'Rejoin' },
  replaced: { title: 'You joined from another window', text: 'This window has left the meeting.', retry: 'Rejoin' },
  shutting_down: { title: 'The server is restarting', text: 'Please rejoin in a moment.', retry: 'Rejoin' },
  meeting_full: { title: 'This meeting is full', retry: 'Try again' },
  rate_limited: { title: 'Too many attempts', text: 'Wait a little before trying again.', showMessage: true, retry: 'Try again' },
  forbidden: { title: 'You cannot join this meeting', showMessage: true },
  meeting_locked: { title: 'The meeting is locked', text: 'The host is not letting anyone new in. Ask the host to unlock it, then try again.', retry: 'Try again' },
  sign_in_required: { title: 'Sign in to join this meeting', text: 'The host allows only signed-in people in this meeting.', showMessage: true },
  meeting_ended: { title: 'The meeting has ended', showMessage: true },
  denied: { title: 'The host did not let you in' },
  removed: { title: 'You were removed from this meeting', text: 'A host removed you. You cannot rejoin unless a host allows you back.' },
  sensitivity_raised: {
    title: 'This meeting is now sensitive',
    text: 'Only signed-in members of the organization may attend. Sign in with your organization account to join again.',
  },
  account_disabled: {
    title: 'Your account was disabled',
    text: 'An administrator of your organization disabled your account and signed you out. Ask them if you think this is a mistake.',
  },
  'bad-link': { title: 'This is not a valid meeting link', text: 'Check that you copied the whole link.' },
};

export function ErrorScreen({
  code,
  message,
  onRejoin,
  onHome,
  onSignIn,
}: {
  code: string;
  message?: string;
  onRejoin?: () => void;
  onHome: () => void;
  /** Offered when signing in would help (sign_in_required, or a meeting that became sensitive). */
  onSignIn?: () => void;
}): ReactElement {
  const copy = COPY[code] ?? { title: 'Something went wrong', text: message, retry: 'Rejoin' };
  const reload = code === 'update_required';
  // An outdated build reloads by itself (once in a while at most: see clientBuild.ts).
  useEffect(() => {
    if (reload) reloadForUpdate();
  }, [reload]);
  const signIn = (code === 'sign_in_required' || code === 'sensitivity_raised') && onSignIn;
  const denied = code === 'denied';
  // The server's message when it adds something (not just our title again).
  const detail = copy.showMessage && message && message.toLowerCase() !== copy.title.toLowerCase() ? message : null;
  return (
    <main className="center-screen">
      <section
        className="card end-card"
        data-testid={denied ? 'denied-screen' : 'error-screen'}
        data-code={code}
        role={code === 'left' ? 'status' : 'alert'}
      >
        <h1>{copy.title}</h1>
        {copy.text && <p className="muted">{copy.text}</p>}
        {detail && (
          <p className="muted" data-testid="error-detail">
            {capitalise(detail)}
          </p>
        )}
        {denied && message && (
          <blockquote className="host-message" data-testid="denied-message">
            <span className="field-label">Message from the host</span>
            <span>{message}</span>
          </blockquote>
        )}
        <div className="row">
          {reload ? (
            <button type="button" className="btn btn-primary" onClick={() => window.location.reload()}>
              Reload
            </button>
          ) : signIn ? (
            <button type="button" className="btn btn-primary" onClick={onSignIn} data-testid="error-sign-in">
              Sign in
            </button>
          ) : (
            onRejoin &&
            copy.retry && (
              <button type="button" className="btn btn-primary" onClick={onRejoin} data-testid="rejoin">
                {copy.retry}
              </button>
            )
          )}
          <button type="button" className="btn" onClick={onHome} data-testid="go-home">
            Home
          </button>
        </div>
        <p className="code-note">Code: {code}</p>
      </section>
    </main>
  );
}

function capitalise(text: string): string {
  const t = text.trim();
  return t ? t.charAt(0).toUpperCase() + t.slice(1) + (/[.!?]$/.test(t) ? '' : '.') : t;
}
