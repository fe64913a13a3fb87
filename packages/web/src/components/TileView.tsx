/**
 * One tile of the meeting: a participant's camera (or avatar) or a screen share, with a name plate
 * (name, badge, role, raised hand), a highlight while they speak, "Reconnecting…" while their
 * connection is down, a Pin button, and, for a few seconds after someone reacts, their emoji.
 */
import type { ReactElement } from 'react';
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
        <VideoView track={video} mirrored={isSelf && source === 'camera'} fit={source === 'screen' ? 'contain' : 'cover'} />
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
          <span className="nameplate-muted" title="Microphone off" aria-label="Microphone off">
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
