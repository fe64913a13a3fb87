/**
 * The meeting screen: the stage of tiles (grid or speaker view, paged), one side panel (people,
 * chat, or the waiting room for moderators), the control bar with the Security menu, alerts and
 * notices, a moderator's request to unmute, "Reconnecting…" while the connection is restored, and
 * remote audio. It tells the session which remote videos the stage shows, so only those are
 * forwarded. Before admission it is the waiting screen; after the end, the reason.
 */
import { useCallback, useEffect, useMemo, useState, type ReactElement } from 'react';
import { ActivityMenu } from '../components/ActivityMenu.js';
import { ChatPanel } from '../components/ChatPanel.js';
import { Controls } from '../components/Controls.js';
import { E2eeStatus } from '../components/e2ee/E2eeStatus.js';
import { SecurityCodePanel } from '../components/e2ee/SecurityCodePanel.js';
import { LockIcon } from '../components/Icons.js';
import { LeaveDialog } from '../components/LeaveDialog.js';
import { DeviceSettings } from '../components/meeting/DeviceSettings.js';
import { MeetingInfo } from '../components/meeting/MeetingInfo.js';
import { LiveAnnouncer } from '../components/LiveAnnouncer.js';
import { LobbyPanel } from '../components/LobbyPanel.js';
import { ParticipantList } from '../components/ParticipantList.js';
import { RemoteAudio } from '../components/RemoteAudio.js';
import { SecurityMenu } from '../components/SecurityMenu.js';
import { SensitivityBadge } from '../components/SensitivityBadge.js';
import { MeetingShortcuts } from '../components/ShortcutsOverlay.js';
import { Stage } from '../components/Stage.js';
import { Toasts } from '../components/Toasts.js';
import { UnmutePrompt } from '../components/UnmutePrompt.js';
import { e2eeLinkPolicy } from '../lib/e2ee/chat.js';
import { layoutOf, pageSizes, subscriptionNeeds } from '../lib/layout.js';
import { selfOf } from '../lib/meetingState.js';
import { handoverCandidates } from '../lib/people.js';
import { allowedFor, OFF_REASON } from '../lib/permissions.js';
import { usePublicPolicy } from '../lib/publicPolicy.js';
import { canPublish, isHost, isModerator } from '../lib/roles.js';
import type { MeetingSession } from '../lib/session.js';
import { useStoreState } from '../lib/store.js';
import { tilesOf } from '../lib/tiles.js';
import { useWindowWidth } from '../lib/useWidth.js';
import { ErrorScreen } from './ErrorScreen.js';
import { Lobby } from './Lobby.js';
import { useChatActions, useLobbyActions, usePersonActions, useSecurityActions } from './meetingActions.js';

type Panel = 'people' | 'chat' | 'lobby' | 'security-code' | null;

export function Meeting({
  session,
  onRejoin,
  onHome,
  onSignIn,
}: {
  session: MeetingSession;
  /** Back to the pre-join screen, told why the last attempt ended. */
  onRejoin: (code: string) => void;
  onHome: () => void;
  onSignIn: () => void;
}): ReactElement {
  const state = useStoreState(session.store);
  const [panel, setPanel] = useState<Panel>(() => (window.innerWidth >= 1000 ? 'people' : null));
  const [securityOpen, setSecurityOpen] = useState(false);
  const [leaving, setLeaving] = useState(false);
  const [devicesOpen, setDevicesOpen] = useState(false);
  const guestsMayModerate = usePublicPolicy()?.guestsMayModerate ?? false;
  const { cameras, screens } = useMemo(() => tilesOf(state), [state]);
  const sharing = useMemo(() => new Set(screens.map((s) => s.participant.id)), [screens]);
  const width = useWindowWidth();
  const layout = useMemo(() => layoutOf(cameras, screens, state.view, state.speakerFocus, pageSizes(width)), [cameras, screens, state.view, state.speakerFocus, width]);
  const { tracks, selfId } = state;
  // Only what the stage shows is forwarded to this client, at the layer its tile needs.
  useEffect(() => session.setNeeds(subscriptionNeeds(layout, tracks, selfId)), [session, layout, tracks, selfId]);
  const self = selfOf(state);
  const moderator = isModerator(self?.role);
  const e2ee = state.e2ee;
  const encrypted = e2ee !== null;
  // No private messages end to end: an MLS application message goes to the whole group.
  const allowed = useMemo(() => {
    const a = allowedFor(self?.role, state.settings);
    return encrypted ? { ...a, privateChat: false } : a;
  }, [self?.role, state.settings, encrypted]);
  const e2eeStats = useCallback(() => session.e2eeStats(), [session]);
  const title = state.meeting?.title;

  useEffect(() => {
    document.title = state.phase === 'waiting' ? 'Waiting · Parley' : title ? `${title} · Parley` : 'Parley';
    return () => {
      document.title = 'Parley';
    };
  }, [title, state.phase]);

  // Losing the moderator role closes what only moderators see.
  useEffect(() => {
    if (moderator) return;
    setSecurityOpen(false);
    setLeaving(false);
    setPanel((p) => (p === 'lobby' ? null : p));
  }, [moderator]);

  // Nothing is unread while the chat is open.
  useEffect(() => session.ui.setChatOpen(panel === 'chat'), [session, panel]);

  const lobbyActions = useLobbyActions(session);
  const securityActions = useSecurityActions(session);
  const personActions = usePersonActions(session);
  const chatActions = useChatActions(session);
  const closeSecurity = useCallback(() => setSecurityOpen(false), []);
  const toggle = (which: Exclude<Panel, null>) => () => setPanel((p) => (p === which ? null : which));

  if (state.phase === 'ended' && state.ending) {
    return <ErrorScreen code={state.ending.code} message={state.ending.message} onRejoin={() => onRejoin(state.ending?.code ?? '')} onHome={onHome} onSignIn={onSignIn} />;
  }
  if (state.phase === 'waiting' && state.waiting) {
    return <Lobby status={state.waiting} sensitivity={state.sensitivity} camera={state.local.camOn ? state.local.cameraTrack : null} e2ee={state.e2ee !== null || state.sensitivity === 'sensitive'} onLeave={() => void session.leave()} />;
  }
  if (state.phase !== 'joined') {
    return (
      <main className="center-screen">
        <div className="joining" role="status">
          <span className="spinner" aria-hidden="true" /> Joining…
        </div>
      </main>
    );
  }

  const audio = Object.values(state.tracks).filter((t) => t.kind === 'audio' && t.participantId !== state.selfId);
  const { local, settings, chat } = state;
  const viewOnly = !canPublish(self?.role);
  const hasChat = chat.messages.length > 0 || chat.files.length > 0;
  const chatOff = allowed.chat || hasChat ? null : viewOnly ? 'View-only attendees cannot chat' : OFF_REASON.chat;
  const others = state.participants.filter((p) => p.id !== state.selfId);
  // Moderators are asked on Leave (leave, or end for all; the only moderator picks who hosts next).
  const otherModerator = others.some((p) => isModerator(p.role));
  const lastModerator = isHost(self?.role) && !otherModerator;
  const candidates = lastModerator ? handoverCandidates(state.participants, state.selfId, guestsMayModerate) : [];
  const hands = moderator ? state.participants.filter((p) => p.handRaised).length : 0;
  const removable = (participantId: string): boolean => {
    const target = state.participants.find((p) => p.id === participantId);
    return moderator && !!target && target.role !== 'host' && (target.role !== 'cohost' || isHost(self?.role));
  };
  return (
    <main className="meeting">
      <header className="topbar">
        <span className="brand-mark brand-mark-small" aria-hidden="true" />
        <h1 className="topbar-title">{state.meeting?.title || 'Meeting'}</h1>
        <span className="topbar-id mono">{state.meeting?.id}</span>
        {state.meeting && settings && <MeetingInfo meeting={state.meeting} settings={settings} participants={state.participants} moderator={moderator} issuedPasscode={state.issuedPasscode} />}
        <SensitivityBadge sensitivity={settings?.sensitivity ?? null} />
        {e2ee && <E2eeStatus e2ee={e2ee} open={panel === 'security-code'} onToggle={toggle('security-code')} />}
        {settings?.locked && (
          <span className="locked-pill" data-testid="locked-indicator" title="Nobody new can join">
            <LockIcon className="icon icon-small" /> Locked
          </span>
        )}
        {moderator && (
          <ActivityMenu
            alerts={state.alerts}
            removable={removable}
            locked={settings?.locked ?? false}
            onRemove={(participantId) => void session.requests.act('remove', { participantId })}
            onLock={() => securityActions.lock(true)}
          />
        )}
        <span hidden data-testid="self-id">
          {state.selfId}
        </span>
      </header>
      <div className="meeting-body">
        <Stage layout={layout} onPin={session.ui.pin} onPage={session.ui.setPage} />
        {panel === 'people' && (
          <ParticipantList
            cameras={cameras}
            sharing={sharing}
            selfRole={self?.role}
            allowed={allowed}
            actionsFor={personActions}
            onPin={session.ui.pin}
            onClose={() => setPanel(null)}
            onLowerAllHands={securityActions.lowerAllHands}
            {...(e2ee ? { verified: e2ee.verified } : {})}
          />
        )}
        {e2ee && (
          <SecurityCodePanel
            open={panel === 'security-code'}
            e2ee={e2ee}
            participants={state.participants}
            selfId={state.selfId}
            onVerify={(participantId, verified) => session.setVerified(participantId, verified)}
            stats={e2eeStats}
            onClose={() => setPanel(null)}
          />
        )}
        {panel === 'chat' && settings && (
          <ChatPanel
            chat={chat}
            selfId={state.selfId}
            people={others}
            allowed={allowed}
            viewOnly={viewOnly}
            moderator={moderator}
            linkPolicy={encrypted ? e2eeLinkPolicy(settings.linkPolicy) : settings.linkPolicy}
            actions={chatActions}
            onClose={() => setPanel(null)}
          />
        )}
        {panel === 'lobby' && moderator && (
          <LobbyPanel entries={state.lobby} lobbyOn={settings?.lobby ?? true} actions={lobbyActions} onClose={() => setPanel(null)} />
        )}
      </div>
      {state.reconnecting && (
        <div className="reconnecting-banner" role="status" data-testid="reconnecting-banner">
          <span className="spinner" aria-hidden="true" /> Reconnecting…
        </div>
      )}
      {local.deviceError && (
        <div className="toast toast-error toast-device" role="alert">
          {local.deviceError}
        </div>
      )}
      {state.unmutePrompt && !local.micOn && <UnmutePrompt by={state.unmutePrompt.by} onAnswer={(unmute) => session.answerUnmute(unmute)} />}
      <Toasts
        notices={state.notices}
        alerts={moderator ? state.alerts : []}
        removable={removable}
        onDismiss={(id) => session.ui.dismissNotice(id)}
        onDismissAlert={(id) => session.ui.dismissAlert(id)}
        onRemove={(participantId) => void session.requests.act('remove', { participantId })}
        onOpenLobby={() => setPanel('lobby')}
      />
      <LiveAnnouncer seen={state} moderator={moderator} />
      <MeetingShortcuts />
      {securityOpen && moderator && settings && (
        <SecurityMenu
          settings={settings}
          removed={state.removed}
          isHost={isHost(self?.role)}
          issuedPasscode={state.issuedPasscode}
          actions={securityActions}
          onClose={closeSecurity}
        />
      )}
      <Controls
        micOn={local.micOn}
        camOn={local.camOn}
        screenOn={local.screenOn}
        canShareScreen={typeof navigator.mediaDevices?.getDisplayMedia === 'function'}
        canPublish={!viewOnly}
        blocked={{
          mic: allowed.unmuteSelf || state.unmuteGranted ? null : OFF_REASON.unmuteSelf,
          camera: allowed.startVideo ? null : OFF_REASON.startVideo,
          screen: allowed.screenShare ? null : OFF_REASON.screenShare,
        }}
        peopleOpen={panel === 'people'}
        peopleCount={state.participants.length}
        handsRaised={hands}
        viewMode={state.view.mode}
        onView={() => session.ui.setViewMode(state.view.mode === 'speaker' ? 'grid' : 'speaker')}
        chat={{ open: panel === 'chat', unread: chat.unread, offReason: chatOff }}
        hand={{ raised: self?.handRaised ?? false, offReason: allowed.raiseHand ? null : OFF_REASON.raiseHand }}
        onReact={allowed.reactions ? (emoji) => void session.requests.act('react', { emoji }) : null}
        moderator={
          moderator
            ? {
                lobbyCount: state.lobby.length,
                lobbyOpen: panel === 'lobby',
                securityOpen,
                onLobby: toggle('lobby'),
                onSecurity: () => setSecurityOpen((v) => !v),
              }
            : null
        }
        onMic={() => session.toggleMic()}
        onCamera={() => void session.toggleCamera()}
        onScreen={() => void session.toggleScreen()}
        onPeople={toggle('people')}
        onChat={toggle('chat')}
        onHand={() => void session.requests.act('raiseHand', { raised: !(self?.handRaised ?? false) })}
        onLeave={() => (moderator ? setLeaving(true) : void session.leave())}
        onDeviceSettings={() => setDevicesOpen(true)}
      />
      {devicesOpen && (
        <DeviceSettings
          camOn={local.camOn}
          micOn={local.micOn}
          cameraTrack={local.cameraTrack}
          micTrack={local.micTrack}
          cameraId={local.cameraId}
          micId={local.micId}
          speakerId={local.speakerId}
          onChange={(kind, deviceId) => session.setDevice(kind, deviceId)}
          onClose={() => setDevicesOpen(false)}
        />
      )}
      {leaving && moderator && (
        <LeaveDialog
          isHost={isHost(self?.role)}
          candidates={candidates}
          lastModerator={lastModerator}
          onCancel={() => setLeaving(false)}
          onLeave={(handOverTo) => void session.leave(undefined, handOverTo)}
          onEndForAll={() => {
            setLeaving(false);
            securityActions.endMeeting();
          }}
        />
      )}
      <div className="audio-sinks" aria-hidden="true">
        {audio.map((t) => {
          const track = state.media[t.id];
          return track ? <RemoteAudio key={t.id} trackId={t.id} track={track} speakerId={local.speakerId} /> : null;
        })}
      </div>
    </main>
  );
}
