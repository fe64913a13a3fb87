/** The JSON HTTP API's bodies. */
import { z } from 'zod';
import { MeetingId } from './ids.js';

export const CreateMeetingRequest = z
  .object({
    title: z.string().trim().max(200).optional(),
  })
  .strict();
export type CreateMeetingRequest = z.infer<typeof CreateMeetingRequest>;

export const CreateMeetingResponse = z.object({
  id: MeetingId,
  title: z.string(),
  /** Shown once: the server keeps only a salted hash. */
  passcode: z.string(),
  /** The link to share; the passcode rides in the fragment (`#pwd=`), never in a request. */
  joinUrl: z.string(),
});
export type CreateMeetingResponse = z.infer<typeof CreateMeetingResponse>;

export const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
