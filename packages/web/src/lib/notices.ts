/** Notices in the meeting state: adding one (the last few are kept), and the waiting room's knocks. */
import type { LobbyEntry } from '@parley/protocol';
import type { MeetingState, Notice } from './meetingState.js';

const MAX_NOTICES = 5;

export function withNotice(state: MeetingState, kind: Notice['kind'], text: string, extra: { lobbyId?: string; code?: string } = {}): MeetingState {
  const notice: Notice = { id: state.nextId, kind, text, ...extra };
  return { ...state, notices: [...state.notices, notice].slice(-MAX_NOTICES), nextId: state.nextId + 1 };
}

/**
 * Tells a moderator who is newly in the queue: someone knocking, people who waited for the host
 * and are now queued, or the whole queue on becoming a co-host.
 */
export function withQueueNotice(state: MeetingState, arrived: LobbyEntry[]): MeetingState {
  const [first] = arrived;
  if (!first) return state;
  if (arrived.length === 1) return withNotice(state, 'knock', `${first.displayName} is waiting in the waiting room`, { lobbyId: first.id });
  return withNotice(state, 'knock', `${arrived.length} people are waiting in the waiting room`);
}

/** Whether `entries` brings someone not yet in `state`'s queue (the session plays the knock chime). */
export function hasNewcomer(state: MeetingState, entries: readonly LobbyEntry[]): boolean {
  const known = new Set(state.lobby.map((e) => e.id));
  return entries.some((e) => !known.has(e.id));
}
