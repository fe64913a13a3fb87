/**
 * What moderators do to the meeting and to people: lock, roles, settings, end; remove (and allow
 * back), mute, stop video or sharing, lower hands, suspend everything, report. Each is audited.
 */
import { ParleyError, type ClientRequest } from '@parley/protocol';
import { SUSPENDED_FEATURES, forcedBy, lockedBy, mergeSettings, weakenings } from '../meetings/settings.js';
import type { BanKeys } from '../storage/moderation.js';
import type { RoomContext, Reply } from './context.js';
import { reconsiderWaiting } from './lobby-actions.js';
import { moderatorMute } from './media-actions.js';
import type { Participant } from './participant.js';
import { can, isModerator } from './permissions.js';

function target(room: RoomContext, participantId: string): Participant {
  const participant = room.participants.get(participantId);
  if (!participant) throw new ParleyError('not_found', 'no such participant in this meeting');
  return participant;
}

/** Same account or same browser: the keys a removal bans. */
export function samePerson(entrant: BanKeys, keys: BanKeys): boolean {
  return (keys.userId !== null && entrant.userId === keys.userId) || (keys.deviceId !== null && entrant.deviceId === keys.deviceId);
}

function outranks(actor: Participant, subject: Participant): boolean {
  return !(subject.role === 'host' || (subject.role === 'cohost' && actor.role !== 'host'));
}

/** Hosts are beyond a co-host's reach, and co-hosts beyond each other's. */
function assertOutranks(actor: Participant, subject: Participant): void {
  if (!outranks(actor, subject)) {
    throw new ParleyError('forbidden', `a ${actor.role} may not act on a ${subject.role}`);
  }
}

export async function lock(room: RoomContext, actor: Participant, request: ClientRequest<'lock'>, reply: Reply): Promise<void> {
  room.locked = request.locked;
  await room.audit(request.locked ? 'meeting.locked' : 'meeting.unlocked', actor.entrant, null, {});
  reply({});
  room.broadcast({ type: 'settingsUpdated', settings: room.settings() });
}

export async function setRole(room: RoomContext, actor: Participant, request: ClientRequest<'setRole'>, reply: Reply): Promise<void> {
  const subject = target(room, request.participantId);
  if (subject.role === 'host') throw new ParleyError('bad_request', 'a host’s role cannot be changed');
  if (subject.role === 'cohost' && !can(actor, 'role.cohost', { settings: room.settings() })) {
    await room.audit('forbidden', actor.entrant, subject.id, { attempted: 'demote co-host', role: actor.role });
    throw new ParleyError('forbidden', 'only hosts change co-hosts');
  }
  if (request.role === 'cohost' && subject.identity === 'guest' && !room.deps.policy.current().guestsMayModerate) {
    await room.audit('forbidden', actor.entrant, subject.id, { attempted: 'make a guest co-host', policy: 'guestsMayModerate' });
    throw new ParleyError('forbidden', 'the organization’s policy: moderators are signed-in members, not guests');
  }
  const before = subject.role;
  subject.role = request.role === 'cohost' ? 'cohost' : subject.identity === 'guest' ? 'guest' : 'participant';
  await room.audit('role.changed', actor.entrant, subject.id, { from: before, to: subject.role });
  reply({});
  if (before !== subject.role) room.participantUpdated(subject);
  if (isModerator(subject.role) && !isModerator(before)) await briefNewModerator(room, subject);
}

/** A new moderator gets what moderators see: the lobby queue, the removed list, the held messages. */
export async function briefNewModerator(room: RoomContext, moderator: Participant): Promise<void> {
  moderator.send({ type: 'lobbyUpdated', entries: room.lobby.entries() });
  moderator.send({ type: 'removedUpdated', entries: await room.deps.moderation.removed(room.meeting.id) });
  for (const message of room.chat.held()) moderator.send({ type: 'chatHeld', message });
}

export async function updateSettings(room: RoomContext, actor: Participant, request: ClientRequest<'updateSettings'>, reply: Reply): Promise<void> {
  const forced = forcedBy(room.deps.policy.current(), room.sensitivity, request.settings);
  if (forced.length > 0) {
    await room.audit('meeting.settings-refused', actor.entrant, null, { patch: request.settings, sensitivity: room.sensitivity, forcedBySensitivity: forced });
    throw new ParleyError('forced_by_sensitivity', `Required for ${room.sensitivity} meetings: ${forced.join(', ')}`);
  }
  const refused = lockedBy(room.deps.policy.current(), request.settings);
  if (refused.length > 0) {
    await room.audit('meeting.settings-refused', actor.entrant, null, { patch: request.settings, lockedByPolicy: refused });
    throw new ParleyError('forbidden', `the organization's policy locks ${refused.join(', ')}`);
  }
  room.meetingSettings = mergeSettings(room.meetingSettings, request.settings);
  await room.deps.store.saveSettings(room.meeting.id, room.meetingSettings);
  await room.audit('meeting.settings', actor.entrant, null, { patch: request.settings, weakened: weakenings(request.settings) });
  reply({});
  room.broadcast({ type: 'settingsUpdated', settings: room.settings() });
  await reconsiderWaiting(room);
}

export async function endMeeting(room: RoomContext, actor: Participant, reply: Reply): Promise<void> {
  await room.deps.store.end(room.meeting.id);
  await room.audit('meeting.ended', actor.entrant, null, {});
  reply({});
  room.closed = true;
  await room.closeAll('The host ended the meeting.', 'ended');
}

/** Removes someone; they stay out (same account, same browser) until a moderator allows them back. */
export async function remove(room: RoomContext, actor: Participant, request: ClientRequest<'remove'>, reply: Reply): Promise<void> {
  const subject = target(room, request.participantId);
  assertOutranks(actor, subject);
  const entry = await room.deps.moderation.ban(room.meeting.id, {
    userId: subject.entrant.userId,
    deviceId: subject.entrant.deviceId,
    displayName: subject.displayName,
    identity: subject.identity,
  });
  await room.audit('participant.removed', actor.entrant, subject.id, { removed: subject.displayName, banId: entry.id });
  reply({});
  // The person, not just this tab: every connection with their account or browser, in the meeting and the lobby.
  const keys = { userId: subject.entrant.userId, deviceId: subject.entrant.deviceId };
  const same = [subject, ...[...room.participants.values()].filter((p) => p !== subject && samePerson(p.entrant, keys) && outranks(actor, p))];
  for (const p of same) {
    p.close({ reason: 'removed', message: 'A moderator removed you from this meeting.' });
    await room.remove(p.id, 'removed');
  }
  const leftQueue: string[] = [];
  for (const waiter of room.lobby.all()) {
    if (waiter.entrant.isOwner || !samePerson(waiter.entrant, keys)) continue;
    room.lobby.take(waiter.id);
    if (waiter.status === 'waiting') leftQueue.push(waiter.id);
    waiter.entrant.sink.send({ type: 'lobbyStatus', status: 'denied', message: 'A moderator removed you from this meeting.' });
    waiter.entrant.sink.drop();
    await room.audit('lobby.removed', actor.entrant, waiter.id, { removed: waiter.entrant.displayName, banId: entry.id });
  }
  room.lobbyChanged({ removed: leftQueue });
  room.emptyCheck();
  room.toModerators({ type: 'removedUpdated', entries: await room.deps.moderation.removed(room.meeting.id) });
}

export async function allowBack(room: RoomContext, actor: Participant, request: ClientRequest<'allowBack'>, reply: Reply): Promise<void> {
  if (!(await room.deps.moderation.lift(room.meeting.id, request.removedId))) throw new ParleyError('not_found', 'nobody with this ID was removed');
  await room.audit('participant.allowed-back', actor.entrant, request.removedId, {});
  reply({});
  room.toModerators({ type: 'removedUpdated', entries: await room.deps.moderation.removed(room.meeting.id) });
}

export async function mute(room: RoomContext, actor: Participant, request: ClientRequest<'mute'>, reply: Reply): Promise<void> {
  const subject = target(room, request.participantId);
  assertOutranks(actor, subject);
  subject.unmuteGranted = false;
  await moderatorMute(room, subject, ['microphone']);
  await room.audit('participant.muted', actor.entrant, subject.id, {});
  reply({});
  subject.send({ type: 'moderatorAction', action: 'muted', by: actor.displayName });
}

export async function muteAll(room: RoomContext, actor: Participant, reply: Reply): Promise<void> {
  let muted = 0;
  for (const subject of room.others(actor.id)) {
    if (isModerator(subject.role)) continue;
    subject.unmuteGranted = false;
    if ((await moderatorMute(room, subject, ['microphone'])) > 0) {
      muted += 1;
      subject.send({ type: 'moderatorAction', action: 'muted', by: actor.displayName });
    }
  }
  await room.audit('meeting.muted-all', actor.entrant, null, { muted });
  reply({ muted });
}

export async function askToUnmute(room: RoomContext, actor: Participant, request: ClientRequest<'askToUnmute'>, reply: Reply): Promise<void> {
  const subject = target(room, request.participantId);
  subject.unmuteGranted = true;
  await room.audit('participant.asked-to-unmute', actor.entrant, subject.id, {});
  reply({});
  subject.send({ type: 'moderatorAction', action: 'unmuteRequested', by: actor.displayName });
}

export async function stopVideo(room: RoomContext, actor: Participant, request: ClientRequest<'stopVideo'>, reply: Reply): Promise<void> {
  const subject = target(room, request.participantId);
  assertOutranks(actor, subject);
  await moderatorMute(room, subject, ['camera']);
  await room.audit('participant.video-stopped', actor.entrant, subject.id, {});
  reply({});
  subject.send({ type: 'moderatorAction', action: 'videoStopped', by: actor.displayName });
}

export async function stopScreenShare(room: RoomContext, actor: Participant, request: ClientRequest<'stopScreenShare'>, reply: Reply): Promise<void> {
  const subject = target(room, request.participantId);
  assertOutranks(actor, subject);
  await moderatorMute(room, subject, ['screen', 'screen-audio']);
  await room.audit('participant.screen-share-stopped', actor.entrant, subject.id, {});
  reply({});
  subject.send({ type: 'moderatorAction', action: 'screenShareStopped', by: actor.displayName });
}

export async function lowerAllHands(room: RoomContext, actor: Participant, reply: Reply): Promise<void> {
  let lowered = 0;
  for (const p of room.participants.values()) {
    if (!p.handRaised) continue;
    p.handRaised = false;
    lowered += 1;
    room.participantUpdated(p);
    if (p !== actor) p.send({ type: 'moderatorAction', action: 'handLowered', by: actor.displayName });
  }
  await room.audit('meeting.hands-lowered', actor.entrant, null, { lowered });
  reply({});
}

/** Lowers one raised hand (audited when it is someone else's). Lowering a hand that is down does nothing. */
export async function lowerHand(room: RoomContext, actor: Participant, request: ClientRequest<'lowerHand'>, reply: Reply): Promise<void> {
  const subject = target(room, request.participantId);
  if (!subject.handRaised) return reply({});
  subject.handRaised = false;
  if (subject !== actor) await room.audit('participant.hand-lowered', actor.entrant, subject.id, { name: subject.displayName });
  reply({});
  room.participantUpdated(subject);
  if (subject !== actor) subject.send({ type: 'moderatorAction', action: 'handLowered', by: actor.displayName });
}

/**
 * Suspend participant activities: everyone's video, audio and screen sharing stop (moderators'
 * excepted), every collaboration switch goes off, and the meeting locks. One act, one audit event.
 */
export async function suspend(room: RoomContext, actor: Participant, reply: Reply): Promise<void> {
  room.meetingSettings = mergeSettings(room.meetingSettings, { features: SUSPENDED_FEATURES });
  room.locked = true;
  await room.deps.store.saveSettings(room.meeting.id, room.meetingSettings);
  let stopped = 0;
  for (const subject of room.participants.values()) {
    if (isModerator(subject.role)) continue;
    subject.unmuteGranted = false;
    subject.handRaised = false;
    stopped += await moderatorMute(room, subject, ['microphone', 'camera', 'screen', 'screen-audio']);
    subject.send({ type: 'moderatorAction', action: 'suspended', by: actor.displayName });
  }
  await room.audit('meeting.suspended', actor.entrant, null, { tracksStopped: stopped });
  reply({});
  room.broadcast({ type: 'settingsUpdated', settings: room.settings() });
}

export async function report(room: RoomContext, actor: Participant, request: ClientRequest<'report'>, reply: Reply): Promise<void> {
  const subject = target(room, request.participantId);
  await room.deps.moderation.report({
    meeting_id: room.meeting.id,
    reporter: actor.entrant.userId ?? `guest:${actor.displayName}`,
    target_user_id: subject.entrant.userId,
    target_name: subject.displayName,
    note: request.note,
  });
  await room.audit('participant.reported', actor.entrant, subject.id, { note: request.note });
  reply({});
}
