/**
 * The meeting's state and the reducer that is its only writer. Server events, join results, remote
 * media and local device changes all arrive here as actions; components read, never write.
 */
import type { ChatMessage, LobbyEntry, MeetingSettings, ParticipantInfo, RemovedEntry, RoomState, RunningMeetingInfo, Sensitivity, ServerEvent, TrackInfo } from '@parley/protocol';
import { collapseAlert, type MeetingAlert } from './alerts.js';
import { chatFromRoom, chatSent, e2eeChatReceived, EMPTY_CHAT, setChatOpen, type ChatState } from './chatState.js';
import type { E2eeView } from './e2ee/session.js';
import { INITIAL_VIEW, type ViewMode, type ViewState } from './layout.js';
import { applyEvent, withSpeaker } from './meetingEvents.js';
import type { PersonQuality } from './networkQuality.js';
import { withNotice, withQueueNotice } from './notices.js';

export { hasNewcomer } from './notices.js';

export interface LocalMedia {
  micOn: boolean;
  camOn: boolean;
  screenOn: boolean;
  /** The live camera track while the camera is on (for the self tile). */
  cameraTrack: MediaStreamTrack | null;
  /** The microphone track while one is open (muted or not), for the device settings' level meter. */
  micTrack: MediaStreamTrack | null;
  /** The chosen camera and microphone ('' = the browser's default). */
  cameraId: string;
  micId: string;
  /** The live screen capture track while sharing. */
  screenTrack: MediaStreamTrack | null;
  speakerId: string;
  /** A human note about the last device problem (denied, not found), or null. */
  deviceError: string | null;
}

/** Why a session ended: a coded error, a `bye`, a lost connection, or leaving. */
export interface Ending {
  code: string;
  message: string;
}

/** Where someone not yet admitted stands: in the lobby queue, or until a host arrives. */
export type WaitingStatus = 'waiting' | 'waiting-for-host';

/** A short message for the person: someone knocked, a role change, a moderator's action, a failure. */
export interface Notice {
  id: number;
  kind: 'knock' | 'info' | 'error';
  text: string;
  /** For a knock: who knocked (the notice goes when they leave the queue). */
  lobbyId?: string;
  /** For an error: the server's code (feature_disabled, rate_limited, …). */
  code?: string;
}

/** An emoji floating over someone's tile for a few seconds. */
export interface FloatingReaction {
  id: number;
  participantId: string;
  emoji: string;
}

/** End-to-end encryption as the screen shows it: the session's view, and whom the person marked verified. */
export interface E2eeState extends E2eeView {
  /** Participants whose security code this person compared and marked verified (this session only). */
  verified: Record<string, true>;
}

export interface MeetingState {
  phase: 'connecting' | 'waiting' | 'joined' | 'ended';
  /** While `phase` is `waiting`. The lobby learns nothing else about the meeting but its class. */
  waiting: WaitingStatus | null;
  /** The meeting's class as the server said it: in the lobby from the join result, then from the settings. */
  sensitivity: Sensitivity | null;
  /** Hosts: a passcode the server generated when they made a meeting without one sensitive (shown to them). */
  issuedPasscode: string | null;
  ending: Ending | null;
  meeting: RunningMeetingInfo | null;
  /** The meeting's effective settings (lock, lobby, …), once admitted. */
  settings: MeetingSettings | null;
  /** The lobby queue; filled for hosts and co-hosts only. */
  lobby: LobbyEntry[];
  notices: Notice[];
  /** Moderators: security alerts (toasts until collapsed, then the Activity list). */
  alerts: MeetingAlert[];
  /** Moderators: people removed from the meeting (they stay out until allowed back). */
  removed: RemovedEntry[];
  chat: ChatState;
  reactions: FloatingReaction[];
  /** A moderator asked this person to unmute: the prompt is showing. */
  unmutePrompt: { by: string } | null;
  /** A moderator's request to unmute lets this person unmute once, even where unmuting oneself is off. */
  unmuteGranted: boolean;
  /** Ids for notices, alerts and reactions. */
  nextId: number;
  selfId: string | null;
  /** In the order they joined. */
  participants: ParticipantInfo[];
  tracks: Record<string, TrackInfo>;
  /** Remote media by track ID. */
  media: Record<string, MediaStreamTrack>;
  local: LocalMedia;
  /** Who is speaking loudest now (the server's active-speaker observer). */
  activeSpeaker: string | null;
  /** The latest active speaker other than oneself: who the speaker view shows large. */
  speakerFocus: string | null;
  /** Grid or speaker view, the pinned tile, the page. */
  view: ViewState;
  /** This client's connection dropped; the session is resuming (the screen says "Reconnecting…"). */
  reconnecting: boolean;
  /** End-to-end encryption, in an end-to-end encrypted meeting; null in a standard one. */
  e2ee: E2eeState | null;
  /** Each participant's connection quality, as the server last told it (the tiles' bars). */
  quality: Record<string, PersonQuality>;
}

export type MeetingAction =
  | { type: 'joined'; state: RoomState }
  /** Back after a drop or reload: the room as it is now replaces what was known. */
  | { type: 'resumed'; state: RoomState }
  | { type: 'reconnecting' }
  /** New transports: every remote track ends and comes again. */
  | { type: 'mediaReset' }
  | { type: 'viewMode'; mode: ViewMode }
  /** Pin a tile (by key) large; null unpins. */
  | { type: 'pin'; key: string | null }
  | { type: 'page'; page: number }
  | { type: 'waiting'; status: WaitingStatus; sensitivity?: Sensitivity }
  | { type: 'passcodeIssued'; passcode: string }
  | { type: 'event'; event: ServerEvent }
  | { type: 'notice'; kind: Notice['kind']; text: string; code?: string }
  | { type: 'dismiss'; id: number }
  | { type: 'dismissAlert'; id: number }
  | { type: 'chatSent'; message: ChatMessage; status: 'sent' | 'held' }
  | { type: 'chatOpen'; open: boolean }
  | { type: 'reactionDone'; id: number }
  /** The unmute prompt was answered (closes it). */
  | { type: 'unmuteAnswered' }
  /** The microphone was unmuted: a moderator's one-time permission is spent. */
  | { type: 'unmuteUsed' }
  | { type: 'remoteTrack'; trackId: string; track: MediaStreamTrack }
  | { type: 'local'; patch: Partial<LocalMedia> }
  /** End-to-end encryption's status, epoch, security code or members changed. */
  | { type: 'e2ee'; view: E2eeView }
  | { type: 'e2eeVerified'; participantId: string; verified: boolean }
  /** An end-to-end encrypted chat message (received, or one's own as sent). */
  | { type: 'e2eeChat'; message: ChatMessage; flagged: boolean }
  | { type: 'ended'; ending: Ending };

export function initialMeetingState(local: LocalMedia): MeetingState {
  return {
    phase: 'connecting',
    waiting: null,
    sensitivity: null,
    issuedPasscode: null,
    ending: null,
    meeting: null,
    settings: null,
    lobby: [],
    notices: [],
    alerts: [],
    removed: [],
    chat: EMPTY_CHAT,
    reactions: [],
    unmutePrompt: null,
    unmuteGranted: false,
    nextId: 1,
    selfId: null,
    participants: [],
    tracks: {},
    media: {},
    local,
    activeSpeaker: null,
    speakerFocus: null,
    view: INITIAL_VIEW,
    reconnecting: false,
    e2ee: null,
    quality: {},
  };
}

export function meetingReducer(state: MeetingState, action: MeetingAction): MeetingState {
  if (state.phase === 'ended') return state;
  switch (action.type) {
    case 'joined':
      return fromRoom(state, action.state, false);
    case 'resumed':
      return fromRoom(state, action.state, true);
    case 'reconnecting':
      return state.phase === 'joined' && !state.reconnecting ? { ...state, reconnecting: true } : state;
    case 'mediaReset':
      return Object.keys(state.media).length === 0 ? state : { ...state, media: {} };
    case 'viewMode':
      return state.view.mode === action.mode ? state : { ...state, view: { ...state.view, mode: action.mode, page: 0 } };
    case 'pin':
      // Pinning shows the tile large: the speaker view.
      return { ...state, view: action.key ? { ...state.view, pinned: action.key, mode: 'speaker', page: 0 } : { ...state.view, pinned: null } };
    case 'page':
      return { ...state, view: { ...state.view, page: Math.max(0, Math.floor(action.page)) } };
    case 'waiting':
      return state.phase === 'joined' ? state : { ...state, phase: 'waiting', waiting: action.status, sensitivity: action.sensitivity ?? 'standard' };
    case 'passcodeIssued':
      return { ...state, issuedPasscode: action.passcode };
    case 'event':
      return applyEvent(state, action.event);
    case 'notice':
      return withNotice(state, action.kind, action.text, action.code ? { code: action.code } : {});
    case 'dismiss':
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
    case 'dismissAlert':
      return { ...state, alerts: collapseAlert(state.alerts, action.id) };
    case 'chatSent':
      return { ...state, chat: chatSent(state.chat, action.message, action.status, state.selfId) };
    case 'chatOpen': {
      const chat = setChatOpen(state.chat, action.open);
      return chat === state.chat ? state : { ...state, chat };
    }
    case 'reactionDone':
      return { ...state, reactions: state.reactions.filter((r) => r.id !== action.id) };
    case 'unmuteAnswered':
      return { ...state, unmutePrompt: null };
    case 'unmuteUsed':
      return state.unmuteGranted || state.unmutePrompt ? { ...state, unmuteGranted: false, unmutePrompt: null } : state;
    case 'remoteTrack':
      return { ...state, media: { ...state.media, [action.trackId]: action.track } };
    case 'local':
      return { ...state, local: { ...state.local, ...action.patch } };
    case 'e2ee':
      return { ...state, e2ee: { ...action.view, verified: state.e2ee?.verified ?? {} } };
    case 'e2eeVerified': {
      if (!state.e2ee) return state;
      const verified = { ...state.e2ee.verified };
      if (action.verified) verified[action.participantId] = true;
      else delete verified[action.participantId];
      return { ...state, e2ee: { ...state.e2ee, verified } };
    }
    case 'e2eeChat':
      return { ...state, chat: e2eeChatReceived(state.chat, action.message, action.flagged, state.selfId) };
    case 'ended':
      return { ...state, phase: 'ended', ending: action.ending };
  }
}

/**
 * The room state of a join or a resume. A resume replaces everything the server knows (remote
 * media comes again with the new transports) and keeps this client's own choices: the chat
 * panel, the view (a pin whose person left goes), and only announces people newly in the lobby.
 */
function fromRoom(state: MeetingState, room: RoomState, resumed: boolean): MeetingState {
  const { meeting, self, participants, tracks, settings, lobby, removed } = room;
  const all = [self, ...participants.filter((p) => p.id !== self.id)].sort((a, b) => a.joinedAt - b.joinedAt);
  const present = new Set(all.map((p) => p.id));
  const pinnedOwner = state.view.pinned?.split(':')[0];
  const base: MeetingState = {
    ...state,
    phase: 'joined',
    waiting: null,
    meeting,
    settings,
    sensitivity: settings.sensitivity,
    lobby,
    selfId: self.id,
    participants: all,
    tracks: Object.fromEntries(tracks.map((t) => [t.id, t])),
    removed,
    chat: chatFromRoom(room, state.chat.open, state.chat.messages),
    media: resumed ? {} : state.media,
    reconnecting: false,
    activeSpeaker: null,
    speakerFocus: state.speakerFocus && present.has(state.speakerFocus) ? state.speakerFocus : null,
    view: pinnedOwner && !present.has(pinnedOwner) ? { ...state.view, pinned: null } : state.view,
  };
  const known = new Set(resumed ? state.lobby.map((e) => e.id) : []);
  return withQueueNotice(withSpeaker(base, room.activeSpeaker), lobby.filter((e) => !known.has(e.id)));
}

/** This participant as the server knows them (role, identity), once admitted. */
export function selfOf(state: MeetingState): ParticipantInfo | null {
  return state.participants.find((p) => p.id === state.selfId) ?? null;
}
