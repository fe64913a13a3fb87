/**
 * One tile of the meeting: a participant's camera (or avatar) or a screen share, with a name plate
 * (name, badge, role, raised hand), a highlight while they speak, "Reconnecting…" while their
 * connection is down, a Pin button, a Fill/Fit button (a camera shows whole, letterboxed, unless its
 * tile is set to fill), and, for a few seconds after someone reacts, their emoji.
 */
import { useState, type ReactElement } from 'react';
import type { Tile } from '../lib/tiles.js';
import { Avatar } from './Avatar.js';
import { IdentityBadge, RoleTag } from './Badge.js';
import { HandIcon, MicOffIcon, PinIcon } from './Icons.js';
import { VideoView } from './VideoView.js';

export function TileView({
  tile,
  variant = 'grid',
  onPin,
}: {
  tile: Tile;
  variant?: 'grid' | 'spotlight' | 'strip';
  /** Pins this tile (its key), or unpins with null. */
  onPin?: (key: string | null) => void;
}): ReactElement {
  const { participant, source, isSelf, video, micMuted, reaction, speaking, reconnecting, pinned } = tile;
  const hand = source === 'camera' && participant.handRaised;
  const label = source === 'screen' ? `${participant.displayName}’s screen` : participant.displayName;
  const highlight = speaking && source === 'camera';
  // Whole video by default (cropping cut up to 60 % of a camera's width); a person may fill one tile.
  const [fill, setFill] = useState(false);
  const fit = source === 'camera' && fill ? 'cover' : 'contain';
  return (
    <div
      className={`tile tile-${variant} tile-${source}${highlight ? ' tile-speaking' : ''}${reconnecting ? ' tile-reconnecting' : ''}`}
      role="group"
      aria-label={`${label}${highlight ? ', speaking' : ''}${reconnecting ? ', reconnecting' : ''}`}
      data-speaking={highlight ? 'true' : undefined}
      data-connection={participant.connection}
      data-pinned={pinned ? 'true' : undefined}
      data-testid="tile"
      data-participant-id={participant.id}
      data-source={source}
      data-name={participant.displayName}
      data-identity={participant.identity}
      data-role={participant.role}
      data-hand={hand ? 'raised' : undefined}
    >
      {video ? (
        <VideoView track={video} mirrored={isSelf && source === 'camera'} fit={fit} />
      ) : source === 'screen' ? (
        <div className="tile-placeholder">Waiting for the shared screen…</div>
      ) : (
        <div className="tile-placeholder">
          <Avatar id={participant.id} name={participant.displayName} />
        </div>
      )}
      {reconnecting && (
        <div className="tile-reconnecting-label" data-testid="tile-reconnecting" role="status">
          Reconnecting…
        </div>
      )}
      {onPin && (
        <button
          type="button"
          className={`tile-pin${pinned ? ' tile-pin-on' : ''}`}
          onClick={() => onPin(pinned ? null : tile.key)}
          aria-pressed={pinned}
          aria-label={pinned ? `Unpin ${label}` : `Pin ${label}`}
          title={pinned ? 'Unpin' : 'Pin'}
          data-testid="tile-pin"
        >
          <PinIcon className="icon icon-small" />
        </button>
      )}
      {video && source === 'camera' && (
        <button
          type="button"
          className={`tile-fit${fill ? ' tile-fit-on' : ''}`}
          onClick={() => setFill((on) => !on)}
          aria-pressed={fill}
          aria-label={fill ? `Show all of ${label}’s video` : `Fill the tile with ${label}’s video`}
          title={fill ? 'Show whole video' : 'Fill tile'}
          data-testid="tile-fit"
          data-fit={fit}
        >
          <svg className="icon icon-small" viewBox="0 0 24 24" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
            {fill ? <path d="M9 4v5H4M15 4v5h5M9 20v-5H4M15 20v-5h5" /> : <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />}
          </svg>
        </button>
      )}
      {hand && (
        <span className="tile-hand" title="Hand raised" data-testid="tile-hand">
          <HandIcon className="icon" />
          <span className="visually-hidden">Hand raised</span>
        </span>
      )}
      {reaction && (
        // Keyed by the reaction, so a new one starts the animation again.
        <span key={reaction.id} className="tile-reaction" data-testid="tile-reaction" role="img" aria-label={`${participant.displayName} reacted ${reaction.emoji}`}>
          {reaction.emoji}
        </span>
      )}
      <div className="nameplate">
        {source === 'camera' && micMuted && (
          <span className="nameplate-muted" title="Microphone off" role="img" aria-label="Microphone off">
            <MicOffIcon className="icon icon-small" />
          </span>
        )}
        <span className="nameplate-name">{label}</span>
        {isSelf && source === 'camera' && <span className="nameplate-you">(you)</span>}
        {source === 'camera' && (
          <>
            <IdentityBadge identity={participant.identity} />
            <RoleTag role={participant.role} />
          </>
        )}
      </div>
    </div>
  );
}
