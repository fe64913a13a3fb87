/** The home page's My meetings talking to GET /api/meetings/mine and POST /api/meetings/:id/reissue. */
import { MyMeetingsResponse, ReissuePasscodeResponse } from '@parley/protocol';
import type { ApiClient } from '../api.js';
import { rememberPasscode } from '../invite.js';

export function listMyMeetings(api: ApiClient): Promise<MyMeetingsResponse> {
  return api.call('GET', '/api/meetings/mine', MyMeetingsResponse);
}

/** A fresh passcode and link for one of the caller's meetings; the old passcode stops working. Remembered in this tab. */
export async function reissuePasscode(api: ApiClient, meetingId: string): Promise<ReissuePasscodeResponse> {
  const issued = await api.call('POST', `/api/meetings/${encodeURIComponent(meetingId)}/reissue`, ReissuePasscodeResponse, {});
  rememberPasscode(issued.id, issued.passcode);
  return issued;
}
