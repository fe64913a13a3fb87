/** The administrators' audit log API: GET /api/admin/audit (a filtered page) and /api/admin/audit/status. */
import { z } from 'zod';

/** A timestamp in a query: ISO 8601 date-time with an offset (or Z). */
const IsoTime = z.iso.datetime({ offset: true });

/** GET /api/admin/audit's query: every filter optional; newest first, `before` a seq for the next page. */
export const AuditQuery = z
  .object({
    meetingId: z.string().min(1).max(64).optional(),
    /** A person, by account ID or email: the events they did and the events done to them. */
    person: z.string().trim().min(1).max(320).optional(),
    action: z.string().min(1).max(100).optional(),
    from: IsoTime.optional(),
    to: IsoTime.optional(),
    before: z.coerce.number().int().min(1).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type AuditQuery = z.infer<typeof AuditQuery>;

export const AuditEventView = z.object({
  seq: z.number().int(),
  /** Milliseconds since the epoch. */
  at: z.number(),
  meetingId: z.string().nullable(),
  actor: z.string().nullable(),
  /** The acting account's email, when the actor is an account. */
  actorEmail: z.string().nullable(),
  action: z.string(),
  target: z.string().nullable(),
  /** The target account's email, when the target is an account. */
  targetEmail: z.string().nullable(),
  clientAddress: z.string().nullable(),
  details: z.unknown(),
  /** The chain hash written with the record. */
  hash: z.string().nullable(),
});
export type AuditEventView = z.infer<typeof AuditEventView>;

export const AuditPage = z.object({
  events: z.array(AuditEventView),
  /** Pass as `before` for the next (older) page; null on the last one. */
  next: z.number().int().nullable(),
});
export type AuditPage = z.infer<typeof AuditPage>;

export const AuditStatusView = z.object({
  records: z.number().int(),
  head: z.string(),
  lastCheckpoint: z.object({ treeSize: z.number().int(), at: z.number() }).nullable(),
  verified: z.boolean(),
  firstProblem: z.string().nullable(),
});
export type AuditStatusView = z.infer<typeof AuditStatusView>;
