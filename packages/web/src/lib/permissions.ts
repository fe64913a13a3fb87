/**
 * What the meeting's collaboration switches let this participant do, and which actions a moderator
 * may take on someone. A mirror of the server's permission table, used only to shape the UI (what is
 * offered, what is disabled and why); the server decides every request again.
 */
import type { Features, MeetingSettings, ParticipantInfo, Role } from '@parley/protocol';
import { isHost, isModerator } from './roles.js';

/** Each switch as it applies to one person: moderators may do everything, view-only attendees nothing. */
export type Allowed = { [K in keyof Features]: boolean };

export function allowedFor(role: Role | undefined, settings: MeetingSettings | null): Allowed {
  const f = settings?.features;
  if (isModerator(role)) {
    return { chat: true, privateChat: true, screenShare: true, fileSharing: true, reactions: true, raiseHand: true, renameSelf: true, unmuteSelf: true, startVideo: true };
  }
  const on = role !== undefined && role !== 'attendee' && f !== undefined;
  return {
    chat: on && f.chat,
    privateChat: on && f.chat && f.privateChat,
    screenShare: on && f.screenShare === 'everyone',
    fileSharing: on && f.fileSharing,
    reactions: on && f.reactions,
    raiseHand: on && f.raiseHand,
    renameSelf: on && f.renameSelf,
    unmuteSelf: on && f.unmuteSelf,
    startVideo: on && f.startVideo,
  };
}

/** Why a control is disabled, in the words of its tooltip. */
export const OFF_REASON = {
  chat: 'Chat is turned off in this meeting',
  screenShare: 'Only hosts can share screens in this meeting',
  unmuteSelf: 'The host has turned off unmuting yourself: raise your hand or wait to be asked',
  startVideo: 'The host has turned off starting video in this meeting',
  raiseHand: 'Raising hands is turned off in this meeting',
  fileSharing: 'File sharing is turned off in this meeting',
} as const;

/** What the target's media is doing, as the participant list sees it. */
export interface TargetMedia {
  micOn: boolean;
  camOn: boolean;
  sharing: boolean;
}

/** The moderation actions on one row of the participant list. */
export interface PersonModeration {
  mute: boolean;
  askToUnmute: boolean;
  stopVideo: boolean;
  stopScreenShare: boolean;
  rename: boolean;
  remove: boolean;
  report: boolean;
}

/**
 * What can be done from someone's row. Hosts are beyond a co-host's reach, and co-hosts beyond each other's (the server's rule); only
 * guests may be renamed (accounts name the signed-in); anyone may report anyone else.
 */
export function moderationFor(actor: Role | undefined, target: ParticipantInfo, isSelf: boolean, media: TargetMedia, allowed: Allowed): PersonModeration {
  const none: PersonModeration = { mute: false, askToUnmute: false, stopVideo: false, stopScreenShare: false, rename: false, remove: false, report: false };
  // On one's own row: renaming oneself, where the switch allows it (guests only).
  if (isSelf) return { ...none, rename: allowed.renameSelf && target.identity === 'guest' };
  const outranks = isModerator(actor) && target.role !== 'host' && (target.role !== 'cohost' || isHost(actor));
  return {
    mute: outranks && media.micOn,
    askToUnmute: isModerator(actor) && !media.micOn && target.role !== 'attendee',
    stopVideo: outranks && media.camOn,
    stopScreenShare: outranks && media.sharing,
    rename: outranks && target.identity === 'guest',
    remove: outranks,
    report: true,
  };
}
