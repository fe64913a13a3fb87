/**
 * The waiting screens: until a host arrives, or until a host lets you in. The lobby learns nothing
 * about the meeting (no title, no names, no count), so this screen shows nothing of it either:
 * only your own camera, to check it while you wait, and the meeting's class when it is sensitive.
 */
import type { ReactElement } from 'react';
import type { Sensitivity } from '@parley/protocol';
import { SensitivityBadge } from '../components/SensitivityBadge.js';
import { E2eeNote } from '../components/e2ee/E2eeStatus.js';
import { VideoView } from '../components/VideoView.js';
import type { WaitingStatus } from '../lib/meetingState.js';

const COPY: Record<WaitingStatus, { title: string; text: string }> = {
  'waiting-for-host': {
    title: 'Waiting for the host to start this meeting',
    text: 'You will move on automatically when the host joins. Keep this page open.',
  },
  waiting: {
    title: 'Please wait, the host will let you in soon',
    text: 'You are in the waiting room. The host has been told you are here.',
  },
};

export function Lobby({
  status,
  sensitivity,
  camera,
  e2ee = false,
  onLeave,
}: {
  status: WaitingStatus;
  sensitivity: Sensitivity | null;
  camera: MediaStreamTrack | null;
  /** The meeting is end-to-end encrypted (when the client knows before admission). */
  e2ee?: boolean;
  onLeave: () => void;
}): ReactElement {
  const copy = COPY[status];
  return (
    <main className="center-screen">
      <section className="card lobby-card" data-testid="lobby-screen" data-status={status} aria-live="polite">
        <div className="lobby-preview">
          {camera ? <VideoView track={camera} mirrored testId="lobby-preview" /> : <div className="preview-off">Camera is off</div>}
        </div>
        <div className="lobby-text">
          <span className="spinner" aria-hidden="true" />
          <h1 data-testid="lobby-title">{copy.title}</h1>
          <p className="muted">{copy.text}</p>
          {sensitivity === 'sensitive' && (
            <p className="sensitivity-note">
              <SensitivityBadge sensitivity={sensitivity} />
              <span className="muted small">Only signed-in members of the organization attend this meeting.</span>
            </p>
          )}
          {e2ee && <E2eeNote />}
        </div>
        <div className="row">
          <button type="button" className="btn" onClick={onLeave} data-testid="lobby-leave">
            Leave
          </button>
        </div>
      </section>
    </main>
  );
}
