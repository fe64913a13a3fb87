/**
 * The end-to-end encryption messages of a sensitive meeting: each goes to the room's E2eeRelay
 * (the MLS delivery service). Encrypted chat keeps the chat switch and the rate limit; the server
 * cannot read it, hold it for approval or apply the link policy (the clients do, on send and render).
 */
import { ParleyError, type ClientRequest } from '@parley/protocol';
import type { Reply, RoomContext } from './context.js';
import { isE2ee } from './e2ee-relay.js';
import type { Participant } from './participant.js';

function requireE2ee(room: RoomContext): void {
  if (!isE2ee(room.settings())) throw new ParleyError('wrong_state', 'this meeting is not end-to-end encrypted');
}

export async function ready(room: RoomContext, actor: Participant, request: ClientRequest<'e2eeReady'>, reply: Reply): Promise<void> {
  requireE2ee(room);
  // Every key package replaces the sender's leaf in a commit: a flood would re-key the meeting nonstop.
  if (!actor.keyPackageLimit.take()) throw new ParleyError('rate_limited', 'too many key packages; wait a few seconds');
  reply({});
  await room.e2ee.ready(actor, request.keyPackage);
}

export async function groupCreated(room: RoomContext, actor: Participant, request: ClientRequest<'e2eeGroupCreated'>, reply: Reply): Promise<void> {
  requireE2ee(room);
  reply({});
  await room.e2ee.groupCreated(actor, request.groupId, request.ratchetTree);
}

export async function commit(room: RoomContext, actor: Participant, request: ClientRequest<'e2eeCommit'>, reply: Reply): Promise<void> {
  requireE2ee(room);
  reply({});
  await room.e2ee.commit(actor, request.commit, request.welcome, request.ratchetTree);
}

export async function chat(room: RoomContext, actor: Participant, request: ClientRequest<'e2eeChat'>, reply: Reply): Promise<void> {
  requireE2ee(room);
  if (!actor.chatLimit.take()) throw new ParleyError('rate_limited', 'you are sending messages too fast');
  reply({});
  await room.e2ee.application(actor, request.message);
}

/** In an end-to-end encrypted meeting, clear chat would bypass the encryption: refused. */
export function refuseClearChat(room: RoomContext): void {
  if (isE2ee(room.settings())) throw new ParleyError('e2ee_required', 'this meeting is end-to-end encrypted: chat goes through e2eeChat');
}
