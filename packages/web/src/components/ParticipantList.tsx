/** The side panel listing everyone in the meeting with their microphone and camera state. */
import type { ReactElement } from 'react';
import type { Tile } from '../lib/meetingState.js';
import { Avatar } from './Avatar.js';
import { CamIcon, CamOffIcon, MicIcon, MicOffIcon, ScreenIcon } from './Icons.js';

export function ParticipantList({
  cameras,
  sharing,
  onClose,
}: {
  cameras: Tile[];
  sharing: Set<string>;
  onClose: () => void;
}): ReactElement {
  return (
    <aside className="panel" aria-label="Participants">
      <header className="panel-header">
        <h2>People ({cameras.length})</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close participants">
          ✕
        </button>
      </header>
      <ul className="people" data-testid="participant-list">
        {cameras.map(({ participant: p, isSelf, micMuted, video }) => (
          <li
            key={p.id}
            className="person"
            data-testid="participant-item"
            data-participant-id={p.id}
            data-self={isSelf ? 'true' : undefined}
            data-role={p.role}
          >
            <Avatar id={p.id} name={p.displayName} size="small" />
            {/* The element's text is exactly the name; "(you)" and "host" are drawn by CSS. */}
            <span className="person-name">{p.displayName}</span>
            <span className="person-tags" />
            <span className="person-icons" aria-hidden="true">
              {sharing.has(p.id) && <ScreenIcon className="icon icon-small icon-accent" />}
              {micMuted ? <MicOffIcon className="icon icon-small icon-muted" /> : <MicIcon className="icon icon-small" />}
              {video ? <CamIcon className="icon icon-small" /> : <CamOffIcon className="icon icon-small icon-muted" />}
            </span>
          </li>
        ))}
      </ul>
    </aside>
  );
}
