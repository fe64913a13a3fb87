/** One tile of the meeting: a participant's camera (or avatar) or a screen share, with a name plate. */
import type { ReactElement } from 'react';
import type { Tile } from '../lib/meetingState.js';
import { Avatar } from './Avatar.js';
import { MicOffIcon } from './Icons.js';
import { VideoView } from './VideoView.js';

export function TileView({ tile, variant = 'grid' }: { tile: Tile; variant?: 'grid' | 'spotlight' | 'strip' }): ReactElement {
  const { participant, source, isSelf, video, micMuted } = tile;
  const label = source === 'screen' ? `${participant.displayName}’s screen` : participant.displayName;
  return (
    <div
      className={`tile tile-${variant} tile-${source}`}
      data-testid="tile"
      data-participant-id={participant.id}
      data-source={source}
      data-name={participant.displayName}
    >
      {video ? (
        <VideoView track={video} mirrored={isSelf && source === 'camera'} fit={source === 'screen' ? 'contain' : 'cover'} />
      ) : source === 'screen' ? (
        <div className="tile-placeholder">Waiting for the shared screen…</div>
      ) : (
        <div className="tile-placeholder">
          <Avatar id={participant.id} name={participant.displayName} />
        </div>
      )}
      <div className="nameplate">
        {source === 'camera' && micMuted && (
          <span className="nameplate-muted" title="Microphone off" aria-label="Microphone off">
            <MicOffIcon className="icon icon-small" />
          </span>
        )}
        <span className="nameplate-name">{label}</span>
        {isSelf && source === 'camera' && <span className="nameplate-you">(you)</span>}
      </div>
    </div>
  );
}
