/**
 * What the meeting screen changes about its own view of the meeting, through the session's store:
 * notices, alerts, the chat panel's unread count, and the stage (grid or speaker view, pin, page).
 * Nothing here reaches the server.
 */
import type { ViewMode } from './layout.js';
import type { MeetingAction, MeetingState } from './meetingState.js';
import type { Store } from './store.js';

export interface UiActions {
  setChatOpen(open: boolean): void;
  dismissAlert(id: number): void;
  dismissNotice(id: number): void;
  setViewMode(mode: ViewMode): void;
  /** Pins a tile (by key) large in the speaker view; null unpins. */
  pin(key: string | null): void;
  setPage(page: number): void;
}

export function uiActions(store: Store<MeetingState, MeetingAction>): UiActions {
  return {
    setChatOpen: (open) => store.dispatch({ type: 'chatOpen', open }),
    dismissAlert: (id) => store.dispatch({ type: 'dismissAlert', id }),
    dismissNotice: (id) => store.dispatch({ type: 'dismiss', id }),
    setViewMode: (mode) => store.dispatch({ type: 'viewMode', mode }),
    pin: (key) => store.dispatch({ type: 'pin', key }),
    setPage: (page) => store.dispatch({ type: 'page', page }),
  };
}
