/**
 * A host's own meetings on the home page (`GET /api/meetings/mine`) and re-sharing one
 * (`POST /api/meetings/:id/reissue`): since only a hash of a passcode is stored, re-sharing means a
 * fresh passcode, and with it a fresh link; the old passcode stops working at once.
 */
import { z } from 'zod';
import { MeetingId } from './ids.js';
import { MeetingSettings, Sensitivity } from './model.js';

/** One meeting the caller hosts, as the list shows it. Never its passcode (the server does not have it). */
export const MyMeeting = z.object({
  id: MeetingId,
  title: z.string().max(200),
  /** Milliseconds since the epoch. */
  createdAt: z.number().int().nonnegative(),
  /** When it ended (a host ended it for everyone); null while it may still be joined. */
  endedAt: z.number().int().nonnegative().nullable(),
  /** Someone is in it now (on this server). */
  live: z.boolean(),
  sensitivity: Sensitivity,
  /** False for public meetings (no passcode to re-issue). */
  hasPasscode: z.boolean(),
  /** Its effective settings under today's policy (waiting room, access, E2EE, ...). */
  settings: MeetingSettings,
});
export type MyMeeting = z.infer<typeof MyMeeting>;

/** How many of each list the server returns at most, newest first. */
export const MY_MEETINGS_LIMIT = 50;
/** How far back `recent` reaches. */
export const RECENT_MEETINGS_DAYS = 30;

export const MyMeetingsResponse = z.object({
  /** Not ended: may be joined (or rejoined) with its link. */
  upcoming: z.array(MyMeeting).max(MY_MEETINGS_LIMIT),
  /** Ended in the last RECENT_MEETINGS_DAYS days. */
  recent: z.array(MyMeeting).max(MY_MEETINGS_LIMIT),
});
export type MyMeetingsResponse = z.infer<typeof MyMeetingsResponse>;

/** The `:id` of `/api/meetings/:id/...`. */
export const MeetingIdParams = z.object({ id: MeetingId }).strict();

/** No body fields: the server generates the passcode (same strength as at creation). */
export const ReissuePasscodeRequest = z.object({}).strict();

export const ReissuePasscodeResponse = z.object({
  id: MeetingId,
  /** Shown once: the server keeps only its salted hash. */
  passcode: z.string(),
  /** The new link to share (the passcode rides in its fragment); the old link no longer gets in. */
  joinUrl: z.string(),
});
export type ReissuePasscodeResponse = z.infer<typeof ReissuePasscodeResponse>;
