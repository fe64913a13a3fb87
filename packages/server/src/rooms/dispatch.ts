/**
 * The way from a participant's message to its handler: the one permission check (refusals audited,
 * counted as signs of disruption, and reported to moderators as untrusted activity when a switch
 * forbade them), then the handler for the message's type.
 */
import { ParleyError } from '@parley/protocol';
import * as chatActions from './chat-actions.js';
import * as e2ee from './e2ee-actions.js';
import type { Reply, RoomContext } from './context.js';
import * as lobbyActions from './lobby-actions.js';
import * as media from './media-actions.js';
import * as moderation from './moderation-actions.js';
import type { Participant } from './participant.js';
import * as sensitivity from './sensitivity-actions.js';
import { can, type Action } from './permissions.js';
import type { RoomMessage } from './room.js';

/** Actions a collaboration switch governs: refusing them is `feature_disabled`. */
const SWITCHED = new Set<Action>(['media.screenShare', 'media.unmuteSelf', 'media.startVideo', 'chat.send', 'chat.private', 'file.share', 'reaction.send', 'hand.raise', 'self.rename']);

/** Refused attempts that moderators hear about as untrusted activity. */
const UNTRUSTED: Partial<Record<Action, chatActions.UntrustedAttempt>> = {
  'media.screenShare': 'screen-share',
  'media.startVideo': 'video',
  'chat.send': 'chat',
  'chat.private': 'private-chat',
  'file.share': 'file',
  'reaction.send': 'reaction',
  'self.rename': 'rename',
};

/** The one permission check; a refusal is audited, counted as a sign of disruption, and reported when it is untrusted activity. */
export async function authorize(room: RoomContext, actor: Participant, action: Action | null, attempted: string): Promise<void> {
  if (!action || can(actor, action, { settings: room.settings() })) return;
  await room.audit('forbidden', actor.entrant, actor.id, { attempted, action, role: actor.role });
  // A participant refused because a switch is off: untrusted activity. An attendee is simply view-only.
  const untrusted = actor.role === 'attendee' ? undefined : UNTRUSTED[action];
  if (untrusted) {
    chatActions.untrusted(room, actor, untrusted, `${actor.displayName} tried to ${describe(untrusted)}, which is turned off.`);
  }
  if (room.disruption.record('forbidden-burst', actor.id)) {
    room.alert({ kind: 'disruption', attempted: 'forbidden-burst', participantId: actor.id, participantName: actor.displayName, message: `${actor.displayName} keeps trying things this meeting forbids.` });
  }
  if (SWITCHED.has(action) && actor.role !== 'attendee') throw new ParleyError('feature_disabled', `${attempted} is turned off in this meeting`);
  throw new ParleyError('forbidden', `a ${actor.role} may not ${attempted}`);
}


export function dispatch(room: RoomContext, actor: Participant, message: RoomMessage, reply: Reply): Promise<void> | void {
  switch (message.type) {
    case 'setupMedia':
      return media.setupMedia(room, actor, message, reply);
    case 'connectTransport':
      return media.connectTransport(room, actor, message, reply);
    case 'restartIce':
      return media.restartIce(room, actor, message, reply);
    case 'publish':
      return media.publish(room, actor, message, reply);
    case 'unpublish':
      return media.unpublish(room, actor, message, reply);
    case 'resumeSubscription':
      return media.resumeSubscription(room, actor, message, reply);
    case 'setSubscription':
      return media.setSubscription(room, actor, message, reply);
    case 'setMuted':
      return media.setMuted(room, actor, message, reply);
    case 'admit':
      return lobbyActions.admit(room, actor, message, reply);
    case 'admitAll':
      return lobbyActions.admitAll(room, actor, reply);
    case 'deny':
      return lobbyActions.deny(room, actor, message, reply);
    case 'lock':
      return moderation.lock(room, actor, message, reply);
    case 'setRole':
      return moderation.setRole(room, actor, message, reply);
    case 'updateSettings':
      return moderation.updateSettings(room, actor, message, reply);
    case 'setSensitivity':
      return sensitivity.setSensitivity(room, actor, message, reply);
    case 'endMeeting':
      return moderation.endMeeting(room, actor, reply);
    case 'remove':
      return moderation.remove(room, actor, message, reply);
    case 'allowBack':
      return moderation.allowBack(room, actor, message, reply);
    case 'mute':
      return moderation.mute(room, actor, message, reply);
    case 'muteAll':
      return moderation.muteAll(room, actor, reply);
    case 'askToUnmute':
      return moderation.askToUnmute(room, actor, message, reply);
    case 'stopVideo':
      return moderation.stopVideo(room, actor, message, reply);
    case 'stopScreenShare':
      return moderation.stopScreenShare(room, actor, message, reply);
    case 'lowerAllHands':
      return moderation.lowerAllHands(room, actor, reply);
    case 'lowerHand':
      return moderation.lowerHand(room, actor, message, reply);
    case 'suspend':
      return moderation.suspend(room, actor, reply);
    case 'report':
      return moderation.report(room, actor, message, reply);
    case 'chat':
      e2ee.refuseClearChat(room);
      return chatActions.chat(room, actor, message, reply);
    case 'e2eeReady':
      return e2ee.ready(room, actor, message, reply);
    case 'e2eeGroupCreated':
      return e2ee.groupCreated(room, actor, message, reply);
    case 'e2eeCommit':
      return e2ee.commit(room, actor, message, reply);
    case 'e2eeChat':
      return e2ee.chat(room, actor, message, reply);
    case 'approveMessage':
      return chatActions.approveMessage(room, actor, message, reply);
    case 'rejectMessage':
      return chatActions.rejectMessage(room, actor, message, reply);
    case 'react':
      return chatActions.react(room, actor, message, reply);
    case 'raiseHand':
      return chatActions.raiseHand(room, actor, message, reply);
    case 'rename':
      return chatActions.rename(room, actor, message, reply);
  }
}


function describe(attempted: chatActions.UntrustedAttempt): string {
  const words: Record<chatActions.UntrustedAttempt, string> = {
    'screen-share': 'share a screen',
    video: 'start video',
    chat: 'chat',
    'private-chat': 'send a private message',
    file: 'share a file',
    reaction: 'react',
    rename: 'rename themselves',
    link: 'post a link',
    unmute: 'unmute',
  };
  return words[attempted];
}
