/**
 * Chat and presence: messages under the meeting's link policy, held messages, reactions, raised
 * hands, renames, shared files. Chat is text; only `https:` links the policy accepts become
 * clickable, and any other link attempt is refused, held, or shown as text, with moderators told.
 */
import { ParleyError, allowedHttpsUrl, findLinkAttempts, segmentChat, type ChatMessage, type ClientRequest, type SharedFile } from '@parley/protocol';
import type { RoomContext, Reply } from './context.js';
import type { Participant } from './participant.js';
import { isModerator } from './permissions.js';
import { newOpaqueId } from '../util/secrets.js';

function deliver(room: RoomContext, message: ChatMessage): void {
  room.chat.add(message);
  for (const p of room.participants.values()) {
    if (message.to === null || p.id === message.to || p.id === message.from) p.send({ type: 'chatMessage', message });
  }
}

export async function chat(room: RoomContext, actor: Participant, request: ClientRequest<'chat'>, reply: Reply): Promise<void> {
  if (!actor.chatLimit.take()) throw new ParleyError('rate_limited', 'you are sending messages too fast');
  const recipient = request.to ? room.participants.get(request.to) : undefined;
  if (request.to && !recipient) throw new ParleyError('not_found', 'no such participant in this meeting');
  const settings = room.settings();
  const attempts = findLinkAttempts(request.text);
  const trusted = isModerator(actor.role);
  const policy = trusted ? 'allow' : settings.linkPolicy;
  const clickable = (url: URL): boolean => trusted || allowedHttpsUrl(url.href, settings.linkAllowList) !== null;
  const message: ChatMessage = {
    id: newOpaqueId(),
    from: actor.id,
    fromName: actor.displayName,
    to: recipient?.id ?? null,
    toName: recipient?.displayName ?? null,
    text: request.text,
    segments: policy === 'allow' ? segmentChat(request.text, clickable) : [{ text: request.text }],
    at: Date.now(),
  };
  if (attempts.length > 0 && !trusted) {
    const details = { attempts: attempts.map((a) => ({ kind: a.kind, dangerous: a.dangerous, text: a.text.slice(0, 200) })), policy };
    const dangerous = attempts.some((a) => a.dangerous);
    if (policy === 'block') {
      await room.audit('chat.link-blocked', actor.entrant, actor.id, details);
      untrusted(room, actor, 'link', `${actor.displayName} tried to post a link${dangerous ? ' to a file share or script' : ''}.`);
      throw new ParleyError('link_blocked');
    }
    if (policy === 'hold') {
      if (!room.chat.hold(message)) throw new ParleyError('rate_limited', 'too many messages are waiting for approval');
      await room.audit('chat.held', actor.entrant, actor.id, details);
      reply({ status: 'held', message });
      room.toModerators({ type: 'chatHeld', message });
      if (dangerous) untrusted(room, actor, 'link', `${actor.displayName} posted a link to a file share or script (held).`);
      return;
    }
    if (dangerous) {
      await room.audit('chat.dangerous-link', actor.entrant, actor.id, details);
      untrusted(room, actor, 'link', `${actor.displayName} posted a link to a file share or script; it is shown as plain text.`);
    }
  }
  reply({ status: 'sent', message });
  deliver(room, message);
}

export async function approveMessage(room: RoomContext, actor: Participant, request: ClientRequest<'approveMessage'>, reply: Reply): Promise<void> {
  const held = room.chat.release(request.messageId);
  if (!held) throw new ParleyError('not_found', 'no such message is waiting for approval');
  // A moderator let the text through; the link policy still decides what is clickable: plainly written
  // https links to the allow-list (as at the time of approval), never anything the classifier distrusts.
  const allowList = room.settings().linkAllowList;
  const message: ChatMessage = { ...held, segments: segmentChat(held.text, (url) => allowedHttpsUrl(url.href, allowList) !== null), at: Date.now() };
  await room.audit('chat.approved', actor.entrant, held.from, { messageId: held.id });
  reply({});
  room.toModerators({ type: 'chatHeldResolved', messageId: held.id, approved: true });
  deliver(room, message);
}

export async function rejectMessage(room: RoomContext, actor: Participant, request: ClientRequest<'rejectMessage'>, reply: Reply): Promise<void> {
  const held = room.chat.release(request.messageId);
  if (!held) throw new ParleyError('not_found', 'no such message is waiting for approval');
  await room.audit('chat.rejected', actor.entrant, held.from, { messageId: held.id });
  reply({});
  room.toModerators({ type: 'chatHeldResolved', messageId: held.id, approved: false });
  room.participants.get(held.from)?.send({ type: 'chatRejected', messageId: held.id });
}

export function react(room: RoomContext, actor: Participant, request: ClientRequest<'react'>, reply: Reply): void {
  if (!actor.reactionLimit.take()) throw new ParleyError('rate_limited');
  reply({});
  room.broadcast({ type: 'reaction', participantId: actor.id, emoji: request.emoji });
}

/** Raise or lower one's own hand; moderators (but the raiser) are told when a hand goes up. */
export function raiseHand(room: RoomContext, actor: Participant, request: ClientRequest<'raiseHand'>, reply: Reply): void {
  const wasRaised = actor.handRaised;
  actor.handRaised = request.raised;
  reply({});
  if (wasRaised === request.raised) return;
  room.participantUpdated(actor);
  if (!request.raised) return;
  for (const p of room.participants.values()) {
    if (p !== actor && isModerator(p.role)) p.send({ type: 'handRaised', participantId: actor.id, displayName: actor.displayName });
  }
}

export async function rename(room: RoomContext, actor: Participant, request: ClientRequest<'rename'>, reply: Reply): Promise<void> {
  const subject = request.participantId ? room.participants.get(request.participantId) : actor;
  if (!subject) throw new ParleyError('not_found', 'no such participant in this meeting');
  if (subject.entrant.userId) throw new ParleyError('bad_request', 'signed-in users are named by their account');
  if (subject !== actor && (subject.role === 'host' || (subject.role === 'cohost' && actor.role !== 'host'))) {
    throw new ParleyError('forbidden', `a ${actor.role} may not rename a ${subject.role}`);
  }
  const before = subject.displayName;
  subject.displayName = request.displayName;
  await room.audit('participant.renamed', actor.entrant, subject.id, { from: before, to: request.displayName });
  reply({});
  room.participantUpdated(subject);
  if (subject !== actor) subject.send({ type: 'moderatorAction', action: 'renamed', by: actor.displayName });
  if (subject === actor && room.disruption.record('rename-burst', actor.id)) {
    room.alert({ kind: 'disruption', attempted: 'rename-burst', participantId: actor.id, participantName: actor.displayName, message: `${actor.displayName} keeps renaming themselves.` });
  }
}

/** A file arrives over HTTP for `actor`; the switch was checked by the room's one permission check. */
export async function shareFile(room: RoomContext, actor: Participant, name: string, data: Buffer): Promise<SharedFile> {
  const file = room.files.add(actor, name, data);
  await room.audit('file.shared', actor.entrant, actor.id, { name: file.name, size: file.size, type: file.type });
  room.broadcast({ type: 'fileShared', file });
  return file;
}

export type UntrustedAttempt = 'link' | 'file' | 'screen-share' | 'rename' | 'chat' | 'private-chat' | 'reaction' | 'unmute' | 'video';

/** Tells moderators someone tried what the meeting forbids, with one-click removal. */
export function untrusted(room: RoomContext, actor: Participant, attempted: UntrustedAttempt, message: string): void {
  room.alert({ kind: 'untrusted-activity', attempted, participantId: actor.id, participantName: actor.displayName, message });
}
