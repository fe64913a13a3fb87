/** The lobby's moderator actions: admit, admit all, deny; and moving waiters on when things change. */
import { ParleyError, type ClientRequest } from '@parley/protocol';
import { reconsider } from './admission.js';
import type { RoomContext, Reply } from './context.js';
import type { Waiter } from './lobby.js';
import type { Participant } from './participant.js';

export async function admit(room: RoomContext, actor: Participant, request: ClientRequest<'admit'>, reply: Reply): Promise<void> {
  const waiter = room.lobby.take(request.lobbyId);
  if (!waiter) throw new ParleyError('not_found', 'nobody with this ID is waiting');
  await room.audit('lobby.admitted', actor.entrant, waiter.id, { admitted: waiter.entrant.displayName });
  reply({});
  room.lobbyChanged({ removed: [waiter.id] });
  await room.admitFromLobby(waiter);
}

export async function admitAll(room: RoomContext, actor: Participant, reply: Reply): Promise<void> {
  const waiting = room.lobby.all().filter((w) => w.status === 'waiting');
  for (const waiter of waiting) room.lobby.take(waiter.id);
  await room.audit('lobby.admitted-all', actor.entrant, null, { count: waiting.length });
  reply({ admitted: waiting.length });
  room.lobbyChanged({ removed: waiting.map((w) => w.id) });
  for (const waiter of waiting) await room.admitFromLobby(waiter);
}

export async function deny(room: RoomContext, actor: Participant, request: ClientRequest<'deny'>, reply: Reply): Promise<void> {
  const waiter = room.lobby.take(request.lobbyId);
  if (!waiter) throw new ParleyError('not_found', 'nobody with this ID is waiting');
  await room.audit('lobby.denied', actor.entrant, waiter.id, { denied: waiter.entrant.displayName, message: request.message ?? null });
  reply({});
  waiter.entrant.sink.send({ type: 'lobbyStatus', status: 'denied', ...(request.message ? { message: request.message } : {}) });
  waiter.entrant.sink.drop();
  room.lobbyChanged({ removed: [waiter.id] });
  room.emptyCheck();
}

/** A host arrived or the settings changed: move waiters on (to the queue, or straight in). */
export async function reconsiderWaiting(room: RoomContext): Promise<void> {
  const added: Waiter[] = [];
  const removed: string[] = [];
  const admitting: Waiter[] = [];
  for (const waiter of room.lobby.all()) {
    const outcome = reconsider(waiter.entrant, room.settings(), room.hostPresent());
    if (outcome === 'admit') {
      room.lobby.take(waiter.id);
      if (waiter.status === 'waiting') removed.push(waiter.id);
      admitting.push(waiter);
    } else if (outcome === 'lobby' && waiter.status !== 'waiting') {
      room.lobby.setStatus(waiter, 'waiting');
      added.push(waiter);
    } else if (outcome === 'host-absent' && waiter.status !== 'waiting-for-host') {
      room.lobby.setStatus(waiter, 'waiting-for-host');
      removed.push(waiter.id);
    }
  }
  room.lobbyChanged({ added, removed });
  for (const waiter of admitting) await room.admitFromLobby(waiter);
}
