/**
 * The meeting screen's handlers, each one request through the session: the waiting room, the
 * Security menu, a person's row, the chat. Built once per session (React hooks), so the panels they
 * are handed to do not re-render for nothing.
 */
import { useCallback, useMemo } from 'react';
import type { ChatActions } from '../components/ChatPanel.js';
import type { LobbyActions } from '../components/LobbyPanel.js';
import type { PersonActions } from '../components/PersonMenu.js';
import type { SecurityActions } from '../components/SecurityMenu.js';
import type { MeetingSession } from '../lib/session.js';

export function useLobbyActions(session: MeetingSession): LobbyActions {
  return useMemo(
    () => ({
      admit: (lobbyId) => void session.act('admit', { lobbyId }),
      deny: (lobbyId, message) => void session.act('deny', message ? { lobbyId, message } : { lobbyId }),
      admitAll: () => void session.act('admitAll', {}),
    }),
    [session],
  );
}

export function useSecurityActions(session: MeetingSession): SecurityActions {
  return useMemo(
    () => ({
      lock: (locked) => void session.act('lock', { locked }),
      update: (settings) => void session.act('updateSettings', { settings }),
      endMeeting: () => void session.act('endMeeting', {}),
      muteAll: () =>
        void session.act('muteAll', {}).then((r) => {
          if (r) session.store.dispatch({ type: 'notice', kind: 'info', text: r.muted === 1 ? 'Muted 1 person.' : `Muted ${r.muted} people.` });
        }),
      lowerAllHands: () => void session.act('lowerAllHands', {}),
      suspend: () => void session.act('suspend', {}),
      allowBack: (removedId) => void session.act('allowBack', { removedId }),
    }),
    [session],
  );
}

export function usePersonActions(session: MeetingSession): (participantId: string, isSelf: boolean) => PersonActions {
  return useCallback(
    (participantId: string, isSelf: boolean): PersonActions => ({
      setRole: (role) => void session.act('setRole', { participantId, role }),
      mute: () => void session.act('mute', { participantId }),
      askToUnmute: () => void session.act('askToUnmute', { participantId }),
      stopVideo: () => void session.act('stopVideo', { participantId }),
      stopScreenShare: () => void session.act('stopScreenShare', { participantId }),
      rename: (displayName) => void session.act('rename', isSelf ? { displayName } : { participantId, displayName }),
      remove: () => void session.act('remove', { participantId }),
      report: (note) =>
        void session.act('report', { participantId, note }).then((r) => {
          if (r) session.store.dispatch({ type: 'notice', kind: 'info', text: 'Thank you: your report was sent to the organization’s administrators.' });
        }),
    }),
    [session],
  );
}

export function useChatActions(session: MeetingSession): ChatActions {
  return useMemo(
    () => ({
      send: (text, to) => session.sendChat(text, to),
      attach: (file) => session.shareFile(file),
      download: (file) => void session.downloadFile(file),
      approve: (messageId) => void session.act('approveMessage', { messageId }),
      reject: (messageId) => void session.act('rejectMessage', { messageId }),
    }),
    [session],
  );
}
