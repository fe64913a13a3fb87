/**
 * Raising a meeting's sensitivity class while it runs (C8). `sensitive` forces its minimums at once:
 * the class is saved first (with a generated passcode if the meeting had none), then everyone the new
 * settings would not let in (anyone not a signed-in member of the organization, in the meeting or in
 * the lobby) is moved out with `bye` `sensitivity-raised`. A participant moved out loses their resume
 * credential as on removal, but is not banned: signed in as a member, they may come back. Files
 * shared while the meeting was standard leave the server's memory (a sensitive meeting keeps no files
 * there). The settings are re-resolved and broadcast. A class is never lowered.
 */
import { ParleyError, type ClientRequest, type RequestResult } from '@parley/protocol';
import { lowers, resolveSettings } from '../meetings/settings.js';
import { hashSecret, newPasscode } from '../util/secrets.js';
import { accessRefusal } from './admission.js';
import type { Reply, RoomContext } from './context.js';
import { reconsiderWaiting } from './lobby-actions.js';
import type { Participant } from './participant.js';

/** What the people moved out are told (the web client shows it on its end screen). */
export const MOVED_OUT_MESSAGE = 'This meeting is now sensitive: only signed-in members of the organization may attend.';

export async function setSensitivity(
  room: RoomContext,
  actor: Participant,
  request: ClientRequest<'setSensitivity'>,
  reply: Reply<RequestResult<'setSensitivity'>>,
): Promise<void> {
  const from = room.sensitivity;
  const to = request.sensitivity;
  if (lowers(from, to)) {
    await room.audit('meeting.sensitivity-refused', actor.entrant, null, { from, to });
    throw new ParleyError('forced_by_sensitivity', `A ${from} meeting stays ${from} while it exists: its class can be raised, never lowered.`);
  }
  if (from === to) return reply({ movedOut: 0 });

  const after = resolveSettings({ policy: room.deps.policy.current(), meeting: room.meetingSettings, live: { locked: room.locked }, sensitivity: to });
  if (accessRefusal(actor.entrant, after)) {
    await room.audit('meeting.sensitivity-refused', actor.entrant, null, { from, to, reason: 'the host would not be let in' });
    throw new ParleyError('forbidden', `Only a signed-in member of the organization can make this meeting ${to}.`);
  }
  const movingOut = [...room.participants.values()].filter((p) => accessRefusal(p.entrant, after) !== null);
  const turnedAway = room.lobby.all().filter((w) => accessRefusal(w.entrant, after) !== null);
  const passcode = !after.public && !(await room.deps.store.hasPasscode(room.meeting.id)) ? newPasscode() : undefined;
  await room.deps.store.saveSensitivity(room.meeting.id, to, passcode === undefined ? undefined : await hashSecret(passcode));
  room.sensitivity = to;
  const filesDropped = after.forcedBySensitivity.includes('features.fileSharing') ? room.files.list().length : 0;
  if (filesDropped > 0) room.files.clear();
  const movedOut = movingOut.length + turnedAway.length;
  await room.audit('meeting.sensitivity-raised', actor.entrant, null, { from, to, movedOut, filesDropped, passcode: passcode === undefined ? 'kept' : 'generated' });
  reply({ movedOut, ...(passcode === undefined ? {} : { passcode }) });

  for (const p of movingOut) {
    p.close({ reason: 'sensitivity-raised', message: MOVED_OUT_MESSAGE });
    await room.remove(p.id, 'removed');
    await room.audit('participant.moved-out', actor.entrant, p.id, { name: p.displayName, identity: p.identity, reason: 'sensitivity-raised' });
  }
  const leftQueue: string[] = [];
  for (const waiter of turnedAway) {
    room.lobby.take(waiter.id);
    if (waiter.status === 'waiting') leftQueue.push(waiter.id);
    waiter.entrant.sink.close('sensitivity-raised', MOVED_OUT_MESSAGE);
    await room.audit('lobby.moved-out', actor.entrant, waiter.id, { name: waiter.entrant.displayName, identity: waiter.entrant.identity, reason: 'sensitivity-raised' });
  }
  room.lobbyChanged({ removed: leftQueue });
  for (const waiter of room.lobby.all()) waiter.entrant.sink.send({ type: 'lobbyStatus', status: waiter.status, sensitivity: to });
  room.broadcast({ type: 'settingsUpdated', settings: room.settings() });
  await reconsiderWaiting(room);
  room.emptyCheck();
}
