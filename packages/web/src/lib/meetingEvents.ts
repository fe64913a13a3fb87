/**
 * How each server event changes the meeting state (the reducer's `event` action): people, tracks,
 * roles, the lobby, alerts, reactions, moderators' actions, chat, the active speaker.
 */
import type { LobbyEntry, ParticipantInfo, ServerEvent } from '@parley/protocol';
import { addAlert, markRemoved } from './alerts.js';
import { applyChatEvent } from './chatState.js';
import { withQuality } from './networkQuality.js';
import type { FloatingReaction, MeetingState } from './meetingState.js';
import { withNotice, withQueueNotice } from './notices.js';
import { isModerator } from './roles.js';

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
  handLowered: (by) => `${by} lowered your hand.`,
};

/** Said to everyone in the room when the host role passed on, or could not. */
export const NO_MODERATOR_TEXT = 'No moderator is present; people waiting cannot be admitted.';

/** The last host left: who hosts now (the new host hears it from their own role change). */
function applyHostChanged(state: MeetingState, event: Extract<ServerEvent, { type: 'hostChanged' }>): MeetingState {
  if (event.participantId === null) return withNotice(state, 'info', NO_MODERATOR_TEXT);
  if (event.participantId === state.selfId) return state;
  return withNotice(state, 'info', `${event.displayName ?? 'Someone'} is now the host.`);
}

type ModeratorActionEvent = Extract<ServerEvent, { type: 'moderatorAction' }>;

/** Tells the person what a moderator did to them (the session already turned the device off). */
function applyModeratorAction(state: MeetingState, event: ModeratorActionEvent): MeetingState {
  if (event.action === 'unmuteRequested') return { ...state, unmutePrompt: { by: event.by }, unmuteGranted: true };
  const next = event.action === 'muted' || event.action === 'suspended' ? { ...state, unmutePrompt: null, unmuteGranted: false } : state;
  return withNotice(next, 'info', ACTION_TEXT[event.action](event.by));
}

/** The lobby queue is now `entries`; a knock notice goes once its knocker is admitted, denied or gone. */
function withLobby(state: MeetingState, entries: LobbyEntry[]): MeetingState {
  const waiting = new Set(entries.map((e) => e.id));
  const notices = state.notices.filter((n) => n.lobbyId === undefined || waiting.has(n.lobbyId));
  const known = new Set(state.lobby.map((e) => e.id));
  const next = { ...state, lobby: entries, notices: notices.length === state.notices.length ? state.notices : notices };
  return withQueueNotice(next, entries.filter((e) => !known.has(e.id)));
}

export function applyEvent(state: MeetingState, event: ServerEvent): MeetingState {
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
      const gone = (id: string | null): string | null => (id === event.participantId ? null : id);
      const pinned = state.view.pinned?.startsWith(`${event.participantId}:`) ? null : state.view.pinned;
      return {
        ...state,
        participants: state.participants.filter((p) => p.id !== event.participantId),
        tracks,
        media,
        alerts,
        activeSpeaker: gone(state.activeSpeaker),
        speakerFocus: gone(state.speakerFocus),
        view: pinned === state.view.pinned ? state.view : { ...state.view, pinned },
      };
    }
    case 'trackPublished':
    case 'trackUpdated':
      return { ...state, tracks: { ...state.tracks, [event.track.id]: event.track } };
    case 'trackUnpublished':
      return { ...state, tracks: without(state.tracks, event.trackId), media: without(state.media, event.trackId) };
    case 'participantUpdated':
      return updateParticipant(state, event.participant);
    case 'settingsUpdated':
      return { ...state, settings: event.settings, sensitivity: event.settings.sensitivity };
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
    case 'hostChanged':
      return applyHostChanged(state, event);
    case 'handRaised':
      // Told to moderators only; a role lost since makes it moot.
      return isModerator(state.participants.find((p) => p.id === state.selfId)?.role) ? withNotice(state, 'info', `${event.displayName} raised a hand.`) : state;
    case 'activeSpeaker':
      return withSpeaker(state, event.participantId);
    case 'networkQuality': {
      const quality = withQuality(state.quality, state.participants, event);
      return quality === state.quality ? state : { ...state, quality };
    }
    case 'chatMessage':
    case 'chatHeld':
    case 'chatHeldResolved':
    case 'chatRejected':
    case 'fileShared':
      return { ...state, chat: applyChatEvent(state.chat, event, state.selfId) };
    case 'lobbyStatus':
      // `denied` and `ended` end the session (see MeetingSession); only the waiting kinds stay here.
      return state.phase === 'waiting' && (event.status === 'waiting' || event.status === 'waiting-for-host')
        ? { ...state, waiting: event.status, sensitivity: event.sensitivity ?? state.sensitivity }
        : state;
    default:
      // `admitted`, `subscription`, `resumeToken`, `iceServers` and `bye` are the session's business; events of newer servers are ignored.
      return state;
  }
}

/** The active speaker changed; the speaker view follows the latest one who is not oneself. */
export function withSpeaker(state: MeetingState, participantId: string | null): MeetingState {
  const known = participantId !== null && state.participants.some((p) => p.id === participantId);
  const speaker = known ? participantId : null;
  const speakerFocus = speaker && speaker !== state.selfId ? speaker : state.speakerFocus;
  return speaker === state.activeSpeaker && speakerFocus === state.speakerFocus ? state : { ...state, activeSpeaker: speaker, speakerFocus };
}
