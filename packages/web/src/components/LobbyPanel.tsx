/**
 * The waiting room, for hosts and co-hosts: who is waiting, who they are (badge, and the account's
 * email for signed-in people), and Admit / Deny (with an optional message) / Admit all.
 */
import { useState, type FormEvent, type ReactElement } from 'react';
import type { LobbyEntry } from '@parley/protocol';
import { Avatar } from './Avatar.js';
import { IdentityBadge } from './Badge.js';

export interface LobbyActions {
  admit: (lobbyId: string) => void;
  deny: (lobbyId: string, message: string) => void;
  admitAll: () => void;
}

function since(ms: number, now: number): string {
  const minutes = Math.floor((now - ms) / 60_000);
  return minutes < 1 ? 'just now' : minutes === 1 ? '1 min' : `${minutes} min`;
}

function Entry({ entry, actions }: { entry: LobbyEntry; actions: LobbyActions }): ReactElement {
  const [denying, setDenying] = useState(false);
  const [message, setMessage] = useState('');
  const deny = (e: FormEvent): void => {
    e.preventDefault();
    actions.deny(entry.id, message.trim());
  };
  return (
    <li className="lobby-entry" data-testid="lobby-entry" data-lobby-id={entry.id} data-name={entry.displayName}>
      <div className="lobby-who">
        <Avatar id={entry.id} name={entry.displayName} size="small" />
        <span className="lobby-id">
          <span className="person-name" data-testid="lobby-entry-name">
            {entry.displayName}
          </span>
          {entry.email && (
            <span className="muted small mono" data-testid="lobby-entry-email">
              {entry.email}
            </span>
          )}
        </span>
        <IdentityBadge identity={entry.identity} />
      </div>
      <div className="lobby-meta muted small">Waiting {since(entry.since, Date.now())}</div>
      {denying ? (
        <form className="deny-form stack" onSubmit={deny}>
          <label className="field">
            <span className="field-label">Message to {entry.displayName} (optional)</span>
            <input
              className="input"
              value={message}
              maxLength={200}
              onChange={(e) => setMessage(e.target.value)}
              autoFocus
              placeholder="e.g. This meeting is for the project team only"
              data-testid="deny-message"
            />
          </label>
          <div className="row">
            <button type="submit" className="btn btn-danger btn-small" data-testid="deny-confirm">
              Deny entry
            </button>
            <button type="button" className="btn btn-small" onClick={() => setDenying(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <div className="row">
          <button type="button" className="btn btn-primary btn-small" onClick={() => actions.admit(entry.id)} data-testid="admit-button">
            Admit
          </button>
          <button type="button" className="btn btn-small" onClick={() => setDenying(true)} data-testid="deny-button">
            Deny
          </button>
        </div>
      )}
    </li>
  );
}

export function LobbyPanel({
  entries,
  lobbyOn,
  actions,
  onClose,
}: {
  entries: LobbyEntry[];
  lobbyOn: boolean;
  actions: LobbyActions;
  onClose: () => void;
}): ReactElement {
  return (
    <aside className="panel" aria-label="Waiting room" data-testid="lobby-panel">
      <header className="panel-header">
        <h2>Waiting room ({entries.length})</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close waiting room">
          ✕
        </button>
      </header>
      {!lobbyOn && <p className="panel-note muted small">The waiting room is off: people with the passcode come straight in.</p>}
      {entries.length > 0 && (
        <div className="panel-actions">
          <button type="button" className="btn btn-small" onClick={actions.admitAll} data-testid="admit-all">
            Admit all ({entries.length})
          </button>
        </div>
      )}
      {entries.length === 0 ? (
        <p className="panel-empty muted" data-testid="lobby-empty">
          Nobody is waiting.
        </p>
      ) : (
        <ul className="lobby-list">
          {entries.map((e) => (
            <Entry key={e.id} entry={e} actions={actions} />
          ))}
        </ul>
      )}
    </aside>
  );
}
