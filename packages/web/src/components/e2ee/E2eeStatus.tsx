/** The meeting header's word on end-to-end encryption: set up, in place, or failed. A button: it opens the Security code panel. */
import type { ReactElement } from 'react';
import type { E2eeState } from '../../lib/meetingState.js';
import { LockIcon } from '../Icons.js';

export function e2eeStatusText(e2ee: E2eeState): string {
  switch (e2ee.status) {
    case 'encrypted':
      return 'End-to-end encrypted';
    case 'joining':
      return e2ee.error ? 'Setting up encryption… (trying again)' : 'Setting up encryption…';
    case 'failed':
      return 'Encryption failed: your audio, video and chat are not being sent';
  }
}

export function E2eeStatus({ e2ee, open, onToggle }: { e2ee: E2eeState; open: boolean; onToggle: () => void }): ReactElement {
  const title =
    e2ee.status === 'failed'
      ? `End-to-end encryption could not be set up (${e2ee.error ?? 'unknown error'}). Leave and rejoin to try again.`
      : 'Media and chat are encrypted in the browsers; the server never holds the keys. Open to compare the security code.';
  return (
    <button
      type="button"
      className={`e2ee-pill e2ee-${e2ee.status}`}
      onClick={onToggle}
      aria-pressed={open}
      title={title}
      data-testid="e2ee-status"
      data-status={e2ee.status}
    >
      <LockIcon className="icon icon-small" /> {e2eeStatusText(e2ee)}
    </button>
  );
}

/** What the pre-join and waiting screens say about an end-to-end encrypted meeting. */
export function E2eeNote(): ReactElement {
  return (
    <p className="e2ee-note small" data-testid="e2ee-note">
      <LockIcon className="icon icon-small" /> This meeting is end-to-end encrypted: audio, video and chat are encrypted in the participants’
      browsers, and the server cannot read them.
    </p>
  );
}
