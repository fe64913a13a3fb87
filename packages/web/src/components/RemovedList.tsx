/** Moderators: people removed from the meeting, who stay out until someone lets them back. */
import type { ReactElement } from 'react';
import type { RemovedEntry } from '@parley/protocol';
import { IdentityBadge } from './Badge.js';

export function RemovedList({ entries, onAllowBack }: { entries: RemovedEntry[]; onAllowBack: (removedId: string) => void }): ReactElement {
  return (
    <section className="menu-section" aria-labelledby="removed-title" data-testid="removed-list">
      <h3 className="menu-section-title" id="removed-title">
        Removed ({entries.length})
      </h3>
      {entries.length === 0 ? (
        <p className="muted small menu-section-note">Nobody has been removed.</p>
      ) : (
        <ul className="removed">
          {entries.map((e) => (
            <li key={e.id} className="removed-entry" data-testid="removed-entry" data-name={e.displayName}>
              <span className="person-name">{e.displayName}</span>
              <IdentityBadge identity={e.identity} />
              <button type="button" className="btn btn-small" onClick={() => onAllowBack(e.id)} data-testid="allow-back">
                Allow back
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
