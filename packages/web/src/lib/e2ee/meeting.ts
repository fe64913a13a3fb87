/**
 * Whether a meeting is end-to-end encrypted. The one place the client reads the flag: every other
 * module asks here, so the switch to the protocol's typed field is made once.
 */
import type { MeetingSettings } from '@parley/protocol';

export function isE2eeMeeting(settings: MeetingSettings | null | undefined): boolean {
  if (settings === null || settings === undefined) return false;
  return (settings as { e2ee?: unknown }).e2ee === true;
}
