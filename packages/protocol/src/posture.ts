/**
 * The security office's posture report (`GET /api/admin/posture`) and what Parley says about
 * itself (`GET /api/about`): the server build and the software bill of materials made at build time.
 */
import { z } from 'zod';
import { OrgPolicy } from './policy.js';

/** `GET /api/admin/posture?from=&to=` in epoch milliseconds; default the 30 days before now. */
export const PostureQuery = z
  .object({
    from: z.coerce.number().int().min(0).max(8.64e15).optional(),
    to: z.coerce.number().int().min(0).max(8.64e15).optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || q.from < q.to, 'from must be before to');
export type PostureQuery = z.infer<typeof PostureQuery>;

/** A part of the report that another part of the server provides and that may not be there (yet). */
export const Unavailable = z.object({ available: z.literal(false), reason: z.string() });

export const ClassCoverage = z.object({
  meetings: z.number().int(),
  withPasscode: z.number().int(),
  withWaitingRoom: z.number().int(),
  withE2ee: z.number().int(),
});
export type ClassCoverage = z.infer<typeof ClassCoverage>;

export const AuditStatus = z.union([
  z.object({
    available: z.literal(true),
    records: z.number().int(),
    lastCheckpoint: z.object({ treeSize: z.number().int(), at: z.number() }).nullable(),
    verified: z.boolean(),
    firstProblem: z.string().nullable(),
  }),
  Unavailable,
]);
export type AuditStatus = z.infer<typeof AuditStatus>;

export const OutdatedClients = z.union([
  z.object({ available: z.literal(true), total: z.number().int(), byBrowser: z.record(z.string(), z.number().int()) }),
  Unavailable,
]);
export type OutdatedClients = z.infer<typeof OutdatedClients>;

export const SbomComponent = z.object({ name: z.string(), version: z.string() });
export type SbomComponent = z.infer<typeof SbomComponent>;

export const SbomSummary = z.union([
  z.object({
    available: z.literal(true),
    bomFormat: z.string(),
    specVersion: z.string(),
    generatedAt: z.string().nullable(),
    componentCount: z.number().int(),
    /** The server's own (top-level) runtime dependencies. */
    topLevel: z.array(SbomComponent),
  }),
  Unavailable,
]);
export type SbomSummary = z.infer<typeof SbomSummary>;

export const PostureReport = z.object({
  generatedAt: z.number(),
  period: z.object({ from: z.number(), to: z.number() }),
  policy: z.object({
    current: OrgPolicy,
    /** The meeting settings hosts cannot change, as dotted names (`lobby`, `features.chat`). */
    lockedSettings: z.array(z.string()),
  }),
  /** Meetings created in the period, by class; coverage from their settings resolved with the current policy. */
  meetings: z.object({ total: z.number().int(), byClass: z.object({ standard: ClassCoverage, sensitive: ClassCoverage }) }),
  moderation: z.object({
    /** Untrusted activity (blocked, held and dangerous links; forbidden attempts) and automatic locks. */
    alerts: z.object({ total: z.number().int(), byAction: z.record(z.string(), z.number().int()) }),
    removals: z.number().int(),
    suspends: z.number().int(),
    locks: z.object({ locked: z.number().int(), unlocked: z.number().int(), autoLocked: z.number().int() }),
    reports: z.object({ filed: z.number().int(), open: z.number().int() }),
  }),
  access: z.object({
    failedSignIns: z.number().int(),
    throttledSignIns: z.number().int(),
    failedPasscodes: z.number().int(),
    throttledPasscodes: z.number().int(),
    guessingLockouts: z.number().int(),
    /** Unauthenticated events the audit budget did not take, by action (counted, not written one by one). */
    suppressed: z.record(z.string(), z.number().int()),
    /** How the numbers were counted (aggregated windows still open are counted when they close). */
    note: z.string(),
  }),
  outdatedClients: OutdatedClients,
  build: z.object({ server: z.string(), sbom: SbomSummary }),
  audit: AuditStatus,
});
export type PostureReport = z.infer<typeof PostureReport>;

/** `GET /api/about`: the build for every signed-in user; the component list for administrators only. */
export const AboutInfo = z.object({
  serverBuild: z.string(),
  sbom: SbomSummary,
  /** Every component (name and version) in the SBOM; administrators only, else null. */
  components: z.array(SbomComponent).nullable(),
});
export type AboutInfo = z.infer<typeof AboutInfo>;
