/**
 * The administrators' accounts and reports API (`/api/admin/users...`, `/api/admin/reports...`):
 * queries, bodies and answers. Every route is for organization administrators only.
 */
import { z } from 'zod';
import { OrgRole, Password } from './api.js';

/** A query-string flag: `true`/`false` (or `1`/`0`); anything else is refused. */
const QueryFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** `GET /api/admin/users`: search by email or name (a substring, case-insensitive), filter, page. */
export const AdminUsersQuery = z
  .object({
    q: z.string().trim().max(254).optional(),
    role: OrgRole.optional(),
    disabled: QueryFlag.optional(),
    /** The `nextCursor` of the previous page. */
    cursor: z.string().regex(/^\d{1,16}:[A-Za-z0-9_-]{1,64}$/, 'not a cursor from this API').optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();
export type AdminUsersQuery = z.infer<typeof AdminUsersQuery>;

export const AdminUser = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  orgRole: OrgRole,
  disabled: z.boolean(),
  createdAt: z.number(),
  /** The last sign-in the audit log recorded (ms since the epoch), and how; null: never signed in. */
  lastSignInAt: z.number().nullable(),
  lastSignInMethod: z.enum(['password', 'oidc']).nullable(),
  /** Linked to a single sign-on identity (signs in through the organization's provider). */
  sso: z.boolean(),
});
export type AdminUser = z.infer<typeof AdminUser>;

export const AdminUsersPage = z.object({
  users: z.array(AdminUser),
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: z.string().nullable(),
});
export type AdminUsersPage = z.infer<typeof AdminUsersPage>;

/** `POST /api/admin/users/:id/reset-password`: a new initial password (same rules as at creation). */
export const ResetPasswordRequest = z.object({ password: Password }).strict();
export type ResetPasswordRequest = z.infer<typeof ResetPasswordRequest>;

/** `POST /api/admin/users/:id/role`. */
export const ChangeRoleRequest = z.object({ orgRole: OrgRole }).strict();
export type ChangeRoleRequest = z.infer<typeof ChangeRoleRequest>;

/** The answer to disable, enable, reset-password and role: the account as it now is. */
export const AdminUserResult = z.object({
  user: AdminUser,
  /** Sessions ended (disable, reset-password). */
  sessionsEnded: z.number().int().min(0).optional(),
  /** Participants and waiting sockets of this person moved out of live meetings (disable). */
  disconnected: z.number().int().min(0).optional(),
});
export type AdminUserResult = z.infer<typeof AdminUserResult>;

/** `GET /api/admin/reports?status=open|closed`. */
export const AdminReportsQuery = z.object({ status: z.enum(['open', 'closed']).default('open') }).strict();
export type AdminReportsQuery = z.infer<typeof AdminReportsQuery>;

/** One audit event near a report, as the report's context shows it. */
export const ReportContextEvent = z.object({
  seq: z.number(),
  at: z.number(),
  action: z.string(),
  actor: z.string().nullable(),
  /** The actor as people know them: the account's name and email, a guest's name, or null. */
  actorLabel: z.string().nullable(),
  target: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type ReportContextEvent = z.infer<typeof ReportContextEvent>;

export const AdminReport = z.object({
  id: z.string(),
  meetingId: z.string(),
  meetingTitle: z.string().nullable(),
  /** The reporter's account ID, or `guest:<name>`. */
  reporter: z.string(),
  /** The reporter as people know them: the account's name and email, or the guest's name. */
  reporterLabel: z.string(),
  targetUserId: z.string().nullable(),
  targetName: z.string(),
  /** The reporter's note, as they wrote it (plain text). */
  note: z.string(),
  at: z.number(),
  closed: z.object({ at: z.number(), by: z.string(), byLabel: z.string(), resolution: z.string() }).nullable(),
  context: z.object({
    /** The meeting's audit events from 10 minutes before to 10 minutes after the report (at most `limit`). */
    events: z.array(ReportContextEvent),
    windowMs: z.number(),
    limit: z.number(),
    /** More events fell in the window than `limit`. */
    truncated: z.boolean(),
    /** Whether the reported person was removed from the meeting, and whether that removal still stands. */
    target: z.object({ removed: z.boolean(), banned: z.boolean(), matchedBy: z.enum(['account', 'name']) }),
  }),
});
export type AdminReport = z.infer<typeof AdminReport>;

export const AdminReportsPage = z.object({ reports: z.array(AdminReport) });
export type AdminReportsPage = z.infer<typeof AdminReportsPage>;

/** `POST /api/admin/reports/:id/close`. */
export const CloseReportRequest = z.object({ resolution: z.string().trim().min(1, 'say how the report was resolved').max(2000) }).strict();
export type CloseReportRequest = z.infer<typeof CloseReportRequest>;
