/**
 * Opening the session's signaling socket: connect, listen for the server's last words (`bye`, a
 * lobby's denial or end) before anything else can close it, say hello, then hand every event to
 * the session's queue. Used for the first connection and for every resume attempt.
 */
import { PROTOCOL_VERSION, type ServerEvent } from '@parley/protocol';
import type { Ending } from './meetingState.js';
import { CLIENT_BUILD, noteClientBuild } from './clientBuild.js';
import { SignalingClient, type CloseInfo } from './signaling.js';

export { CLIENT_BUILD };

/** The ending code for each `bye` reason (a reason this build does not know ends as itself). */
const BYE_CODES: Partial<Record<Extract<ServerEvent, { type: 'bye' }>['reason'], string>> = {
  left: 'left',
  shutdown: 'shutting_down',
  replaced: 'replaced',
  'media-failed': 'connection_lost',
  protocol: 'protocol',
  ended: 'meeting_ended',
  removed: 'removed',
  'sensitivity-raised': 'sensitivity_raised',
  'account-disabled': 'account_disabled',
};

/** `bye` codes after which the participant comes back by resuming (the server restarts, media broke). */
const RESUMABLE_BYES = new Set(['shutting_down', 'connection_lost']);

export function isResumableBye(ending: Ending | null): boolean {
  return ending === null || RESUMABLE_BYES.has(ending.code);
}

export interface SocketHooks {
  /** The server's last word on this socket, kept at once (the close that follows ends with it). */
  lastWord: (ending: Ending) => void;
  /** Every server event, in order. Registered after `hello`, before the caller's first request. */
  event: (event: ServerEvent) => void;
  close: (socket: SignalingClient, info: CloseInfo) => void;
}

/** Connects and says hello; rejects (socket closed) if either fails. */
export async function openSocket(hooks: SocketHooks): Promise<SignalingClient> {
  const signaling = await SignalingClient.connect(SignalingClient.urlFor(window.location));
  signaling.on('close', (info) => hooks.close(signaling, info));
  signaling.on('bye', (ev) => hooks.lastWord({ code: BYE_CODES[ev.reason] ?? ev.reason, message: ev.message }));
  signaling.on('lobbyStatus', (ev) => {
    if (ev.status === 'denied') hooks.lastWord({ code: 'denied', message: ev.message ?? '' });
    if (ev.status === 'ended') hooks.lastWord({ code: 'meeting_ended', message: ev.message ?? 'The meeting has ended.' });
  });
  signaling.on('protocolError', (err) => console.warn(err.message));
  // A newer build (told right after `welcome`, or when one is deployed): offer a reload, or reload.
  signaling.on('clientBuild', (ev) => noteClientBuild({ build: ev.build, required: ev.required }));
  try {
    await signaling.request('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild: CLIENT_BUILD });
  } catch (err) {
    signaling.close();
    throw err;
  }
  signaling.on('event', hooks.event);
  return signaling;
}
