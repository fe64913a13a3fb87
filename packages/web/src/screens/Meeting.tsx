/** The meeting screen: the stage of tiles, the people panel, the control bar and remote audio. */
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import { Controls } from '../components/Controls.js';
import { ParticipantList } from '../components/ParticipantList.js';
import { RemoteAudio } from '../components/RemoteAudio.js';
import { Stage } from '../components/Stage.js';
import { tilesOf } from '../lib/meetingState.js';
import type { MeetingSession } from '../lib/session.js';
import { useStoreState } from '../lib/store.js';
import { ErrorScreen } from './ErrorScreen.js';

export function Meeting({
  session,
  onRejoin,
  onHome,
}: {
  session: MeetingSession;
  onRejoin: () => void;
  onHome: () => void;
}): ReactElement {
  const state = useStoreState(session.store);
  const [peopleOpen, setPeopleOpen] = useState(() => window.innerWidth >= 1000);
  const { cameras, screens } = useMemo(() => tilesOf(state), [state]);
  const sharing = useMemo(() => new Set(screens.map((s) => s.participant.id)), [screens]);
  const title = state.meeting?.title;
  useEffect(() => {
    document.title = title ? `${title} · Parley` : 'Parley';
    return () => {
      document.title = 'Parley';
    };
  }, [title]);

  if (state.phase === 'ended' && state.ending) {
    return <ErrorScreen code={state.ending.code} message={state.ending.message} onRejoin={onRejoin} onHome={onHome} />;
  }
  if (state.phase === 'connecting') {
    return (
      <main className="center-screen">
        <div className="joining" role="status">
          <span className="spinner" aria-hidden="true" /> Joining…
        </div>
      </main>
    );
  }

  const audio = Object.values(state.tracks).filter((t) => t.kind === 'audio' && t.participantId !== state.selfId);
  const { local } = state;
  return (
    <main className="meeting">
      <header className="topbar">
        <span className="brand-mark brand-mark-small" aria-hidden="true" />
        <span className="topbar-title">{state.meeting?.title || 'Meeting'}</span>
        <span className="topbar-id mono">{state.meeting?.id}</span>
        <span hidden data-testid="self-id">
          {state.selfId}
        </span>
      </header>
      <div className="meeting-body">
        <Stage cameras={cameras} screens={screens} />
        {peopleOpen && <ParticipantList cameras={cameras} sharing={sharing} onClose={() => setPeopleOpen(false)} />}
      </div>
      {local.deviceError && (
        <div className="toast" role="alert">
          {local.deviceError}
        </div>
      )}
      <Controls
        micOn={local.micOn}
        camOn={local.camOn}
        screenOn={local.screenOn}
        canShareScreen={typeof navigator.mediaDevices?.getDisplayMedia === 'function'}
        peopleOpen={peopleOpen}
        peopleCount={state.participants.length}
        onMic={() => session.toggleMic()}
        onCamera={() => void session.toggleCamera()}
        onScreen={() => void session.toggleScreen()}
        onPeople={() => setPeopleOpen((v) => !v)}
        onLeave={() => void session.leave()}
      />
      <div className="audio-sinks" aria-hidden="true">
        {audio.map((t) => {
          const track = state.media[t.id];
          return track ? <RemoteAudio key={t.id} trackId={t.id} track={track} speakerId={local.speakerId} /> : null;
        })}
      </div>
    </main>
  );
}
