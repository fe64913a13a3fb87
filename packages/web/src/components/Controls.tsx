/** The meeting's control bar. */
import type { ReactElement } from 'react';
import { CamIcon, CamOffIcon, LeaveIcon, MicIcon, MicOffIcon, PeopleIcon, ScreenIcon } from './Icons.js';

export interface ControlsProps {
  micOn: boolean;
  camOn: boolean;
  screenOn: boolean;
  canShareScreen: boolean;
  peopleOpen: boolean;
  peopleCount: number;
  onMic: () => void;
  onCamera: () => void;
  onScreen: () => void;
  onPeople: () => void;
  onLeave: () => void;
}

export function Controls(p: ControlsProps): ReactElement {
  return (
    <nav className="controls" aria-label="Meeting controls">
      <button
        type="button"
        className={`ctl${p.micOn ? '' : ' ctl-off'}`}
        onClick={p.onMic}
        aria-pressed={!p.micOn}
        data-testid="toggle-mic"
        title={p.micOn ? 'Mute microphone' : 'Unmute microphone'}
      >
        {p.micOn ? <MicIcon /> : <MicOffIcon />}
        <span className="ctl-label">{p.micOn ? 'Mute' : 'Unmute'}</span>
      </button>
      <button
        type="button"
        className={`ctl${p.camOn ? '' : ' ctl-off'}`}
        onClick={p.onCamera}
        aria-pressed={!p.camOn}
        data-testid="toggle-camera"
        title={p.camOn ? 'Turn camera off' : 'Turn camera on'}
      >
        {p.camOn ? <CamIcon /> : <CamOffIcon />}
        <span className="ctl-label">{p.camOn ? 'Stop video' : 'Start video'}</span>
      </button>
      {p.canShareScreen && (
        <button
          type="button"
          className={`ctl${p.screenOn ? ' ctl-active' : ''}`}
          onClick={p.onScreen}
          aria-pressed={p.screenOn}
          data-testid="toggle-screen"
          title={p.screenOn ? 'Stop sharing' : 'Share screen'}
        >
          <ScreenIcon />
          <span className="ctl-label">{p.screenOn ? 'Stop share' : 'Share'}</span>
        </button>
      )}
      <button
        type="button"
        className={`ctl${p.peopleOpen ? ' ctl-active' : ''}`}
        onClick={p.onPeople}
        aria-pressed={p.peopleOpen}
        data-testid="toggle-people"
        title="Participants"
      >
        <PeopleIcon />
        <span className="ctl-label">People · {p.peopleCount}</span>
      </button>
      <button type="button" className="ctl ctl-leave" onClick={p.onLeave} data-testid="leave" title="Leave meeting">
        <LeaveIcon />
        <span className="ctl-label">Leave</span>
      </button>
    </nav>
  );
}
