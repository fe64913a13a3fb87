/** Whether a meeting is end-to-end encrypted (every sensitive meeting): the one place the client reads the flag. */
import type { MeetingSettings } from '@parley/protocol';

export function isE2eeMeeting(settings: MeetingSettings | null | undefined): boolean {
  if (settings === null || settings === undefined) return false;
  return settings.e2ee === true;
}
