/**
 * The side panel listing everyone in the meeting: raised hands first (in the order they went up),
 * then everyone else in the order they joined; name, identity badge, role, microphone, camera and
 * sharing state, and a menu per person (roles and moderation, lowering a hand, for hosts and
 * co-hosts; reporting for everyone). Moderators also get "Lower all hands" while any is up.
 */
import type { ReactElement } from 'react';
import type { Role } from '@parley/protocol';
import { moderationFor, type Allowed } from '../lib/permissions.js';
import { usePublicPolicy } from '../lib/publicPolicy.js';
import { raisedFirst } from '../lib/people.js';
import { isModerator, roleActions } from '../lib/roles.js';
import type { Tile } from '../lib/tiles.js';
import { Avatar } from './Avatar.js';
import { IdentityBadge, RoleTag } from './Badge.js';
import { CamIcon, CamOffIcon, HandIcon, MicIcon, MicOffIcon, ScreenIcon } from './Icons.js';
import { PersonMenu, type PersonActions } from './PersonMenu.js';

export function ParticipantList({
  cameras,
  sharing,
  selfRole,
  allowed,
  actionsFor,
  onPin,
  onClose,
  onLowerAllHands,
  verified,
}: {
  cameras: Tile[];
  sharing: Set<string>;
  selfRole: Role | undefined;
  allowed: Allowed;
  /** The actions on one person's row (`isSelf`: renaming oneself). */
  actionsFor: (participantId: string, isSelf: boolean) => PersonActions;
  /** Pins a tile by key (null unpins). */
  onPin: (key: string | null) => void;
  onClose: () => void;
  /** Moderators: lower every raised hand. */
  onLowerAllHands: () => void;
  /** End-to-end encrypted meetings: the people this person marked verified (security code compared). */
  verified?: Record<string, true>;
}): ReactElement {
  const guestsMayModerate = usePublicPolicy()?.guestsMayModerate ?? false;
  const ordered = raisedFirst(cameras);
  const moderator = isModerator(selfRole);
  const hands = cameras.filter((t) => t.participant.handRaised).length;
  return (
    <aside className="panel" aria-label="Participants">
      <header className="panel-header">
        <h2>People ({cameras.length})</h2>
        {moderator && hands > 0 && (
          <button type="button" className="btn btn-small" onClick={onLowerAllHands} data-testid="people-lower-all-hands">
            Lower all hands
          </button>
        )}
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close participants">
          ✕
        </button>
      </header>
      <ul className="people" data-testid="participant-list">
        {ordered.map(({ key, pinned, participant: p, isSelf, micMuted, video, camOn }) => (
          <li
            key={p.id}
            className="person"
            data-testid="participant-item"
            data-participant-id={p.id}
            data-self={isSelf ? 'true' : undefined}
            data-role={p.role}
            data-identity={p.identity}
            data-hand={p.handRaised ? 'raised' : undefined}
          >
            <Avatar id={p.id} name={p.displayName} size="small" />
            <span className="person-main">
              <span className="person-line">
                <span className="person-name" data-testid="participant-name">
                  {p.displayName}
                </span>
                {isSelf && <span className="person-you">(you)</span>}
              </span>
              <span className="person-tags">
                <IdentityBadge identity={p.identity} />
                <RoleTag role={p.role} />
                {verified?.[p.id] && (
                  <span className="badge badge-verified" data-testid="verified-badge" title="You compared the security code with this person">
                    Verified
                  </span>
                )}
              </span>
            </span>
            <span className="person-icons">
              {p.handRaised && (
                <span className="hand" title="Hand raised" data-testid="hand-raised">
                  <HandIcon className="icon icon-small" />
                  <span className="visually-hidden">Hand raised</span>
                </span>
              )}
              {sharing.has(p.id) && <ScreenIcon className="icon icon-small icon-accent" />}
              {micMuted ? <MicOffIcon className="icon icon-small icon-muted" /> : <MicIcon className="icon icon-small" />}
              {video ? <CamIcon className="icon icon-small" /> : <CamOffIcon className="icon icon-small icon-muted" />}
            </span>
            <PersonMenu
              name={p.displayName}
              isSelf={isSelf}
              roles={roleActions(selfRole, p, isSelf, guestsMayModerate)}
              moderation={moderationFor(selfRole, p, isSelf, { micOn: !micMuted, camOn, sharing: sharing.has(p.id) }, allowed)}
              actions={actionsFor(p.id, isSelf)}
              lowerHand={moderator && p.handRaised}
              pin={{ pinned, toggle: () => onPin(pinned ? null : key) }}
            />
          </li>
        ))}
      </ul>
    </aside>
  );
}
