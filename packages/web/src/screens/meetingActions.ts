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
      admit: (lobbyId) => void session.requests.act('admit', { lobbyId }),
      deny: (lobbyId, message) => void session.requests.act('deny', message ? { lobbyId, message } : { lobbyId }),
      admitAll: () => void session.requests.act('admitAll', {}),
    }),
    [session],
  );
}

export function useSecurityActions(session: MeetingSession): SecurityActions {
  return useMemo(
    () => ({
      lock: (locked) => void session.requests.act('lock', { locked }),
      update: (settings) => void session.requests.act('updateSettings', { settings }),
      endMeeting: () => void session.requests.act('endMeeting', {}),
      muteAll: () =>
        void session.requests.act('muteAll', {}).then((r) => {
          if (r) session.store.dispatch({ type: 'notice', kind: 'info', text: r.muted === 1 ? 'Muted 1 person.' : `Muted ${r.muted} people.` });
        }),
      lowerAllHands: () => void session.requests.act('lowerAllHands', {}),
      suspend: () => void session.requests.act('suspend', {}),
      allowBack: (removedId) => void session.requests.act('allowBack', { removedId }),
      raiseSensitivity: () =>
        void session.requests.act('setSensitivity', { sensitivity: 'sensitive' }).then((r) => {
          if (!r) return;
          if (r.passcode) session.store.dispatch({ type: 'passcodeIssued', passcode: r.passcode });
          const moved = r.movedOut === 0 ? 'Nobody had to leave.' : r.movedOut === 1 ? '1 person had to leave.' : `${r.movedOut} people had to leave.`;
          const passcode = r.passcode ? ' It now has a passcode: see the Security menu.' : '';
          session.store.dispatch({ type: 'notice', kind: 'info', text: `This meeting is now sensitive. ${moved}${passcode}` });
        }),
    }),
    [session],
  );
}

export function usePersonActions(session: MeetingSession): (participantId: string, isSelf: boolean) => PersonActions {
  return useCallback(
    (participantId: string, isSelf: boolean): PersonActions => ({
      setRole: (role) => void session.requests.act('setRole', { participantId, role }),
      mute: () => void session.requests.act('mute', { participantId }),
      askToUnmute: () => void session.requests.act('askToUnmute', { participantId }),
      stopVideo: () => void session.requests.act('stopVideo', { participantId }),
      stopScreenShare: () => void session.requests.act('stopScreenShare', { participantId }),
      rename: (displayName) => void session.requests.act('rename', isSelf ? { displayName } : { participantId, displayName }),
      remove: () => void session.requests.act('remove', { participantId }),
      lowerHand: () => void session.requests.act('lowerHand', { participantId }),
      report: (note) =>
        void session.requests.act('report', { participantId, note }).then((r) => {
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
      attach: (file) => session.requests.shareFile(file),
      download: (file) => void session.requests.downloadFile(file),
      approve: (messageId) => void session.requests.act('approveMessage', { messageId }),
      reject: (messageId) => void session.requests.act('rejectMessage', { messageId }),
    }),
    [session],
  );
}
