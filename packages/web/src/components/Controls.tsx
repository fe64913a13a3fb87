/**
 * The meeting's control bar. A control the person may not use shows disabled with the reason as its
 * tooltip (view-only attendees; switches the host turned off); hosts and co-hosts also get the
 * Security menu and the Waiting room (with a count of who waits), and a count of raised hands on
 * People. The view button switches
 * between the grid and the speaker view.
 */
import type { ReactElement, ReactNode } from 'react';
import {
  CamIcon,
  CamOffIcon,
  ChatIcon,
  GridIcon,
  HandIcon,
  LeaveIcon,
  MicIcon,
  MicOffIcon,
  PeopleIcon,
  ScreenIcon,
  ShieldIcon,
  SpeakerViewIcon,
  WaitingIcon,
} from './Icons.js';
import { ReactionsButton, type Emoji } from './ReactionsButton.js';
import { GearIcon } from './meeting/icons.js';

export const VIEW_ONLY_HINT = 'View-only: a host can allow you to speak';

export interface ModeratorControls {
  lobbyCount: number;
  lobbyOpen: boolean;
  securityOpen: boolean;
  onLobby: () => void;
  onSecurity: () => void;
}

export interface ControlsProps {
  micOn: boolean;
  camOn: boolean;
  screenOn: boolean;
  canShareScreen: boolean;
  /** False for view-only attendees. */
  canPublish: boolean;
  /** Why each source may not be turned on now (a switch is off), or null. */
  blocked: { mic: string | null; camera: string | null; screen: string | null };
  peopleOpen: boolean;
  peopleCount: number;
  /** Moderators: how many hands are up (a badge on People); 0 for everyone else. */
  handsRaised: number;
  viewMode: 'grid' | 'speaker';
  chat: { open: boolean; unread: number; offReason: string | null };
  hand: { raised: boolean; offReason: string | null };
  /** Null when reactions are off for this person. */
  onReact: ((emoji: Emoji) => void) | null;
  moderator: ModeratorControls | null;
  onMic: () => void;
  onCamera: () => void;
  onScreen: () => void;
  onPeople: () => void;
  onView: () => void;
  onChat: () => void;
  onHand: () => void;
  onLeave: () => void;
  /** Opens the device settings (camera, microphone, speaker). */
  onDeviceSettings?: () => void;
}

function Ctl(p: {
  testId: string;
  label: string;
  title: string;
  icon: ReactNode;
  onClick: () => void;
  pressed?: boolean;
  tone?: 'off' | 'active' | 'leave' | null;
  disabled?: boolean;
  haspopup?: boolean;
  /** Its keyboard shortcut (lib/shortcuts.ts presses the button that declares it). */
  keys?: string;
}): ReactElement {
  return (
    <button
      type="button"
      className={`ctl${p.tone ? ` ctl-${p.tone}` : ''}`}
      onClick={p.onClick}
      aria-pressed={p.pressed}
      aria-haspopup={p.haspopup ? 'true' : undefined}
      aria-keyshortcuts={p.keys}
      disabled={p.disabled}
      data-testid={p.testId}
      title={p.title}
    >
      {p.icon}
      <span className="ctl-label">{p.label}</span>
    </button>
  );
}

function Counted({ icon, count, testId, label }: { icon: ReactNode; count: number; testId: string; label: string }): ReactElement {
  return (
    <span className="ctl-icon">
      {icon}
      {count > 0 && (
        <span className="count-badge" data-testid={testId} aria-label={label}>
          {count > 99 ? '99+' : count}
        </span>
      )}
    </span>
  );
}

export function Controls(p: ControlsProps): ReactElement {
  const viewOnly = !p.canPublish;
  const m = p.moderator;
  // Turning a source off is always possible; turning it on may be blocked.
  const micBlock = viewOnly ? VIEW_ONLY_HINT : p.micOn ? null : p.blocked.mic;
  const camBlock = viewOnly ? VIEW_ONLY_HINT : p.camOn ? null : p.blocked.camera;
  const screenBlock = viewOnly ? VIEW_ONLY_HINT : p.screenOn ? null : p.blocked.screen;
  return (
    <nav className="controls" aria-label="Meeting controls">
      {viewOnly && (
        <p className="view-only-note" data-testid="view-only-note" role="status">
          {VIEW_ONLY_HINT}
        </p>
      )}
      <Ctl
        testId="toggle-mic"
        keys="M"
        label={p.micOn ? 'Mute' : 'Unmute'}
        title={micBlock ?? (p.micOn ? 'Mute microphone' : 'Unmute microphone')}
        icon={p.micOn ? <MicIcon /> : <MicOffIcon />}
        tone={p.micOn ? null : 'off'}
        pressed={!p.micOn}
        disabled={micBlock !== null}
        onClick={p.onMic}
      />
      <Ctl
        testId="toggle-camera"
        keys="V"
        label={p.camOn ? 'Stop video' : 'Start video'}
        title={camBlock ?? (p.camOn ? 'Turn camera off' : 'Turn camera on')}
        icon={p.camOn ? <CamIcon /> : <CamOffIcon />}
        tone={p.camOn ? null : 'off'}
        pressed={!p.camOn}
        disabled={camBlock !== null}
        onClick={p.onCamera}
      />
      {p.canShareScreen && (
        <Ctl
          testId="toggle-screen"
          label={p.screenOn ? 'Stop share' : 'Share'}
          title={screenBlock ?? (p.screenOn ? 'Stop sharing' : 'Share screen')}
          icon={<ScreenIcon />}
          tone={p.screenOn ? 'active' : null}
          pressed={p.screenOn}
          disabled={screenBlock !== null}
          onClick={p.onScreen}
        />
      )}
      <Ctl
        testId="toggle-view"
        label={p.viewMode === 'speaker' ? 'Grid view' : 'Speaker view'}
        title={p.viewMode === 'speaker' ? 'Show everyone in a grid' : 'Show the speaker large'}
        icon={p.viewMode === 'speaker' ? <GridIcon /> : <SpeakerViewIcon />}
        pressed={p.viewMode === 'speaker'}
        onClick={p.onView}
      />
      <Ctl
        testId="toggle-people"
        keys="P"
        label={`People · ${p.peopleCount}`}
        title={p.handsRaised > 0 ? `Participants: ${p.handsRaised} raised ${p.handsRaised === 1 ? 'hand' : 'hands'}` : 'Participants'}
        icon={<Counted icon={<PeopleIcon />} count={p.handsRaised} testId="hands-count" label={`${p.handsRaised} raised ${p.handsRaised === 1 ? 'hand' : 'hands'}`} />}
        tone={p.peopleOpen ? 'active' : null}
        pressed={p.peopleOpen}
        onClick={p.onPeople}
      />
      <Ctl
        testId="toggle-chat"
        keys="C"
        label="Chat"
        title={p.chat.offReason ?? 'Chat'}
        icon={<Counted icon={<ChatIcon />} count={p.chat.unread} testId="chat-unread" label={`${p.chat.unread} unread`} />}
        tone={p.chat.open ? 'active' : null}
        pressed={p.chat.open}
        disabled={p.chat.offReason !== null && !p.chat.open}
        onClick={p.onChat}
      />
      {!viewOnly && (
        <Ctl
          testId="raise-hand"
          keys="H"
          label={p.hand.raised ? 'Lower hand' : 'Raise hand'}
          title={p.hand.offReason ?? (p.hand.raised ? 'Lower your hand' : 'Raise your hand')}
          icon={<HandIcon />}
          tone={p.hand.raised ? 'active' : null}
          pressed={p.hand.raised}
          disabled={p.hand.offReason !== null}
          onClick={p.onHand}
        />
      )}
      {p.onReact && <ReactionsButton onReact={p.onReact} />}
      {m && (
        <>
          <Ctl
            testId="toggle-lobby"
            label="Waiting room"
            title="Waiting room"
            icon={<Counted icon={<WaitingIcon />} count={m.lobbyCount} testId="lobby-count" label={`${m.lobbyCount} waiting`} />}
            tone={m.lobbyOpen ? 'active' : null}
            pressed={m.lobbyOpen}
            onClick={m.onLobby}
          />
          <Ctl
            testId="toggle-security"
            label="Security"
            title="Security"
            icon={<ShieldIcon />}
            tone={m.securityOpen ? 'active' : null}
            pressed={m.securityOpen}
            haspopup
            onClick={m.onSecurity}
          />
        </>
      )}
      {p.onDeviceSettings && (
        <Ctl testId="device-settings-button" label="Settings" title="Audio and video settings" icon={<GearIcon />} haspopup onClick={p.onDeviceSettings} />
      )}
      <Ctl testId="leave" label="Leave" title="Leave meeting" icon={<LeaveIcon />} tone="leave" onClick={p.onLeave} />
    </nav>
  );
}
