/** Joining meetings from tests, as a guest or with a signed-in session. */
import type { RequestResult, RoomState } from '@parley/protocol';
import type { Credentials, TestServer } from './server.js';
import { TestClient } from './ws-client.js';

export interface MeetingRef {
  id: string;
  passcode: string | null;
}

/** Connects and joins; returns whatever the join answered. */
export async function join(server: TestServer, meeting: MeetingRef, name: string, as?: Credentials): Promise<{ client: TestClient; result: RequestResult<'join'> }> {
  const client = await TestClient.ready(server.wsUrl, as);
  const result = await client.request('join', {
    meetingId: meeting.id,
    ...(meeting.passcode ? { passcode: meeting.passcode } : {}),
    ...(as ? {} : { displayName: name }),
  });
  return { client, result };
}

/** Connects and joins, expecting to be admitted at once. */
export async function joinAdmitted(server: TestServer, meeting: MeetingRef, name: string, as?: Credentials): Promise<{ client: TestClient; state: RoomState }> {
  const { client, result } = await join(server, meeting, name, as);
  if (result.status !== 'admitted') throw new Error(`${name} was not admitted: ${result.reason}`);
  return { client, state: result.state };
}
