/** Small readers of what a test client received. */
import type { LobbyEntry, ServerMessage } from '@parley/protocol';
import type { TestClient } from './ws-client.js';

export type Msg<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** The code of an error reply, or false for anything else. */
export const errorCode = (m: ServerMessage): string | false => m.type === 'error' && m.code;

export const allOf = <T extends ServerMessage['type']>(c: TestClient, type: T): Msg<T>[] => c.messages.filter((m): m is Msg<T> => m.type === type);

export const lastOf = <T extends ServerMessage['type']>(c: TestClient, type: T): Msg<T> | undefined => allOf(c, type).at(-1);

/** The next message of `type` after `since` (by default: from now on). */
export const nextOf = <T extends ServerMessage['type']>(c: TestClient, type: T, since = c.messages.length): Promise<Msg<T>> =>
  c.waitFor<Msg<T>>((m) => m.type === type, 5000, since);

/** A moderator's view of the lobby queue after `messages`: the full queue when sent, then the changes. */
export function lobbyQueue(messages: readonly ServerMessage[]): LobbyEntry[] {
  let queue: LobbyEntry[] = [];
  for (const m of messages) {
    if (m.type === 'result' && hasState(m.result)) queue = m.result.state.lobby;
    else if (m.type === 'admitted') queue = m.state.lobby;
    else if (m.type === 'lobbyUpdated') queue = m.entries;
    else if (m.type === 'lobbyChanged') queue = [...queue.filter((e) => !m.removed.includes(e.id)), ...m.added];
  }
  return queue;
}

function hasState(value: unknown): value is { state: { lobby: LobbyEntry[] } } {
  if (typeof value !== 'object' || value === null || !('state' in value)) return false;
  const state = value.state;
  return typeof state === 'object' && state !== null && 'lobby' in state && Array.isArray(state.lobby);
}

/** Waits until the client's lobby queue satisfies `match`; resolves with it. */
export async function waitForQueue(c: TestClient, match: (queue: LobbyEntry[]) => boolean, timeoutMs = 5000): Promise<LobbyEntry[]> {
  const upTo = (m: ServerMessage): LobbyEntry[] => lobbyQueue(c.messages.slice(0, c.messages.indexOf(m) + 1));
  const hit = await c.waitFor((m) => (m.type === 'lobbyChanged' || m.type === 'lobbyUpdated' || m.type === 'result' || m.type === 'admitted') && match(upTo(m)), timeoutMs, 0);
  return upTo(hit);
}
