/**
 * The meeting's state and the reducer that is its only writer. Server events, join results, remote
 * media and local device changes all arrive here as actions; components read, never write.
 */
import type { ChatMessage, LobbyEntry, MeetingInfo, MeetingSettings, ParticipantInfo, RemovedEntry, RoomState, ServerEvent, TrackInfo } from '@parley/protocol';
import { addAlert, markRemoved, type MeetingAlert } from './alerts.js';
import { applyChatEvent, chatFromRoom, chatSent, EMPTY_CHAT, setChatOpen, type ChatState } from './chatState.js';
import { isModerator } from './roles.js';

export interface LocalMedia {
  micOn: boolean;
  camOn: boolean;
  screenOn: boolean;
  /** The live camera track while the camera is on (for the self tile). */
  cameraTrack: MediaStreamTrack | null;
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

const MAX_NOTICES = 5;

export interface MeetingState {
  phase: 'connecting' | 'waiting' | 'joined' | 'ended';
  /** While `phase` is `waiting`. The lobby learns nothing else about the meeting. */
  waiting: WaitingStatus | null;
  ending: Ending | null;
  meeting: MeetingInfo | null;
  /** The meeting's effective settings (lock, lobby, …), once admitted. */
  settings: MeetingSettings | null;
  /** The lobby queue; filled for hosts and co-hosts only. */
  lobby: LobbyEntry[];
  notices: Notice[];
  /** Moderators: security alerts, until dismissed. */
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
}

export type MeetingAction =
  | { type: 'joined'; state: RoomState }
  | { type: 'waiting'; status: WaitingStatus }
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
  | { type: 'ended'; ending: Ending };

export function initialMeetingState(local: LocalMedia): MeetingState {
  return {
    phase: 'connecting',
    waiting: null,
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
  };
}

function withNotice(state: MeetingState, kind: Notice['kind'], text: string, extra: { lobbyId?: string; code?: string } = {}): MeetingState {
  const notice: Notice = { id: state.nextId, kind, text, ...extra };
  return { ...state, notices: [...state.notices, notice].slice(-MAX_NOTICES), nextId: state.nextId + 1 };
}

/**
 * Tells a moderator who is newly in the queue: someone knocking, people who waited for the host
 * and are now queued, or the whole queue on becoming a co-host.
 */
function withQueueNotice(state: MeetingState, arrived: LobbyEntry[]): MeetingState {
  const [first] = arrived;
  if (!first) return state;
  if (arrived.length === 1) return withNotice(state, 'knock', `${first.displayName} is waiting in the waiting room`, { lobbyId: first.id });
  return withNotice(state, 'knock', `${arrived.length} people are waiting in the waiting room`);
}

/** The lobby queue is now `entries`; a knock notice goes once its knocker is admitted, denied or gone. */
function withLobby(state: MeetingState, entries: LobbyEntry[]): MeetingState {
  const waiting = new Set(entries.map((e) => e.id));
  const notices = state.notices.filter((n) => n.lobbyId === undefined || waiting.has(n.lobbyId));
  const known = new Set(state.lobby.map((e) => e.id));
  const next = { ...state, lobby: entries, notices: notices.length === state.notices.length ? state.notices : notices };
  return withQueueNotice(next, entries.filter((e) => !known.has(e.id)));
}

/** Whether `entries` brings someone not yet in `state`'s queue (the session plays the knock chime). */
export function hasNewcomer(state: MeetingState, entries: readonly LobbyEntry[]): boolean {
  const known = new Set(state.lobby.map((e) => e.id));
  return entries.some((e) => !known.has(e.id));
}

/** What to tell someone whose own role changed. */
function roleChangeText(before: ParticipantInfo['role'], after: ParticipantInfo['role']): string | null {
  if (after === 'host') return 'You are now the host of this meeting.';
  if (after === 'cohost') return 'You are now a co-host: you can admit people and lock the meeting.';
  if (before === 'attendee') return 'A host allowed you to speak: you can now turn on your microphone and camera.';
  if (before === 'cohost' || before === 'host') return 'You are no longer a co-host.';
  return null;
}

function updateParticipant(state: MeetingState, participant: ParticipantInfo): MeetingState {
  const before = state.participants.find((p) => p.id === participant.id);
  if (!before) return state;
  const next = { ...state, participants: state.participants.map((p) => (p.id === participant.id ? participant : p)) };
  if (participant.id !== state.selfId || before.role === participant.role) return next;
  if (!isModerator(participant.role)) {
    // What only moderators see goes with the role.
    next.lobby = [];
    next.alerts = [];
    next.removed = [];
    next.chat = { ...next.chat, held: [] };
  }
  const text = roleChangeText(before.role, participant.role);
  return text ? withNotice(next, 'info', text) : next;
}

function without<V>(record: Record<string, V>, key: string): Record<string, V> {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

const MAX_REACTIONS = 30;

const ACTION_TEXT: Record<Exclude<ModeratorActionEvent['action'], 'unmuteRequested'>, (by: string) => string> = {
  muted: (by) => `${by} muted you.`,
  videoStopped: (by) => `${by} stopped your video.`,
  screenShareStopped: (by) => `${by} stopped your screen share.`,
  renamed: (by) => `${by} changed your name.`,
  suspended: (by) => `${by} suspended participant activities: your microphone, camera and sharing are off.`,
};

type ModeratorActionEvent = Extract<ServerEvent, { type: 'moderatorAction' }>;

/** Tells the person what a moderator did to them (the session already turned the device off). */
function applyModeratorAction(state: MeetingState, event: ModeratorActionEvent): MeetingState {
  if (event.action === 'unmuteRequested') return { ...state, unmutePrompt: { by: event.by }, unmuteGranted: true };
  const next = event.action === 'muted' || event.action === 'suspended' ? { ...state, unmutePrompt: null, unmuteGranted: false } : state;
  return withNotice(next, 'info', ACTION_TEXT[event.action](event.by));
}

function applyEvent(state: MeetingState, event: ServerEvent): MeetingState {
  switch (event.type) {
    case 'participantJoined': {
      const others = state.participants.filter((p) => p.id !== event.participant.id);
      return { ...state, participants: [...others, event.participant] };
    }
    case 'participantLeft': {
      const tracks = Object.fromEntries(
        Object.entries(state.tracks).filter(([, t]) => t.participantId !== event.participantId),
      );
      let media = state.media;
      for (const id of Object.keys(state.tracks)) if (!(id in tracks)) media = without(media, id);
      const alerts = event.reason === 'removed' ? markRemoved(state.alerts, event.participantId) : state.alerts;
      return { ...state, participants: state.participants.filter((p) => p.id !== event.participantId), tracks, media, alerts };
    }
    case 'trackPublished':
    case 'trackUpdated':
      return { ...state, tracks: { ...state.tracks, [event.track.id]: event.track } };
    case 'trackUnpublished':
      return { ...state, tracks: without(state.tracks, event.trackId), media: without(state.media, event.trackId) };
    case 'participantUpdated':
      return updateParticipant(state, event.participant);
    case 'settingsUpdated':
      return { ...state, settings: event.settings };
    case 'lobbyUpdated':
      return withLobby(state, event.entries);
    case 'lobbyChanged':
      return withLobby(state, [...state.lobby.filter((e) => !event.removed.includes(e.id)), ...event.added]);
    case 'alert':
      return { ...state, alerts: addAlert(state.alerts, event, state.nextId), nextId: state.nextId + 1 };
    case 'removedUpdated':
      return { ...state, removed: event.entries };
    case 'reaction': {
      const reaction: FloatingReaction = { id: state.nextId, participantId: event.participantId, emoji: event.emoji };
      return { ...state, reactions: [...state.reactions, reaction].slice(-MAX_REACTIONS), nextId: state.nextId + 1 };
    }
    case 'moderatorAction':
      return applyModeratorAction(state, event);
    case 'chatMessage':
    case 'chatHeld':
    case 'chatHeldResolved':
    case 'chatRejected':
    case 'fileShared':
      return { ...state, chat: applyChatEvent(state.chat, event, state.selfId) };
    case 'lobbyStatus':
      // `denied` and `ended` end the session (see MeetingSession); only the waiting kinds stay here.
      return state.phase === 'waiting' && (event.status === 'waiting' || event.status === 'waiting-for-host')
        ? { ...state, waiting: event.status }
        : state;
    default:
      // `admitted`, `offer` and `bye` are the session's business; events of newer servers are ignored.
      return state;
  }
}

export function meetingReducer(state: MeetingState, action: MeetingAction): MeetingState {
  if (state.phase === 'ended') return state;
  switch (action.type) {
    case 'joined': {
      const { meeting, self, participants, tracks, settings, lobby, removed } = action.state;
      const all = [self, ...participants.filter((p) => p.id !== self.id)].sort((a, b) => a.joinedAt - b.joinedAt);
      const next: MeetingState = {
        ...state,
        phase: 'joined',
        waiting: null,
        meeting,
        settings,
        lobby,
        selfId: self.id,
        participants: all,
        tracks: Object.fromEntries(tracks.map((t) => [t.id, t])),
        removed,
        chat: chatFromRoom(action.state, state.chat.open),
      };
      return withQueueNotice(next, lobby);
    }
    case 'waiting':
      return state.phase === 'joined' ? state : { ...state, phase: 'waiting', waiting: action.status };
    case 'event':
      return applyEvent(state, action.event);
    case 'notice':
      return withNotice(state, action.kind, action.text, action.code ? { code: action.code } : {});
    case 'dismiss':
      return { ...state, notices: state.notices.filter((n) => n.id !== action.id) };
    case 'dismissAlert':
      return { ...state, alerts: state.alerts.filter((a) => a.id !== action.id) };
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
    case 'ended':
      return { ...state, phase: 'ended', ending: action.ending };
  }
}

/** This participant as the server knows them (role, identity), once admitted. */
export function selfOf(state: MeetingState): ParticipantInfo | null {
  return state.participants.find((p) => p.id === state.selfId) ?? null;
}
