/** Small readers of what a test client received. */
import type { ServerMessage } from '@parley/protocol';
import type { TestClient } from './ws-client.js';

export type Msg<T extends ServerMessage['type']> = Extract<ServerMessage, { type: T }>;

/** The code of an error reply, or false for anything else. */
export const errorCode = (m: ServerMessage): string | false => m.type === 'error' && m.code;

export const allOf = <T extends ServerMessage['type']>(c: TestClient, type: T): Msg<T>[] => c.messages.filter((m): m is Msg<T> => m.type === type);

export const lastOf = <T extends ServerMessage['type']>(c: TestClient, type: T): Msg<T> | undefined => allOf(c, type).at(-1);

/** The next message of `type` after `since` (by default: from now on). */
export const nextOf = <T extends ServerMessage['type']>(c: TestClient, type: T, since = c.messages.length): Promise<Msg<T>> =>
  c.waitFor<Msg<T>>((m) => m.type === type, 5000, since);
