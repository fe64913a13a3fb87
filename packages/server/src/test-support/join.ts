/** Joining meetings from tests, as a guest or with a signed-in session. */
import type { RequestResult, RoomState } from '@parley/protocol';
import type { Credentials, TestServer } from './server.js';
import { TestClient } from './ws-client.js';

export interface MeetingRef {
  id: string;
  passcode: string | null;
}

/** How a test client presents itself: signed in (credentials), and/or from a browser (device cookie). */
export interface Presenting {
  as?: Credentials | undefined;
  device?: string | undefined;
}

function cookieHeader(p: Presenting): { cookie: string } | undefined {
  const cookies = [p.as?.cookie, p.device].filter(Boolean);
  return cookies.length > 0 ? { cookie: cookies.join('; ') } : undefined;
}

/** Connects and joins; returns whatever the join answered. */
export async function join(server: TestServer, meeting: MeetingRef, name: string, as?: Credentials | Presenting): Promise<{ client: TestClient; result: RequestResult<'join'> }> {
  const presenting: Presenting = as && 'cookie' in as ? { as } : (as ?? {});
  const client = await TestClient.ready(server.wsUrl, cookieHeader(presenting));
  const result = await client.request('join', {
    meetingId: meeting.id,
    ...(meeting.passcode ? { passcode: meeting.passcode } : {}),
    ...(presenting.as ? {} : { displayName: name }),
  });
  return { client, result };
}

/** Connects and joins, expecting to be admitted at once. */
export async function joinAdmitted(server: TestServer, meeting: MeetingRef, name: string, as?: Credentials | Presenting): Promise<{ client: TestClient; state: RoomState }> {
  const { client, result } = await join(server, meeting, name, as);
  if (result.status !== 'admitted') throw new Error(`${name} was not admitted: ${result.reason}`);
  return { client, state: result.state };
}
