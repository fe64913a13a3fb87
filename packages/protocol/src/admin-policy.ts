/**
 * The administrators' policy and clients routes, and the public part of the policy every user may
 * read (`GET /api/policy/public`): what hosts need to show locked settings and what the client
 * checks before the lobby.
 */
import { z } from 'zod';
import { MeetingSettings, MeetingSettingsPatch } from './model.js';
import { BrowserMinimums, OrgPolicy } from './policy.js';

/** `GET /api/policy/public`: only what every user may see. */
export const PublicPolicy = z
  .object({
    supportContact: z.string().max(200),
    minimumBrowsers: BrowserMinimums,
    /** Locked values (hosts see these settings as locked, at creation and in the meeting). */
    locked: MeetingSettingsPatch,
    /** Whether guests may be made co-hosts (the person menu offers it only then). */
    guestsMayModerate: z.boolean(),
  })
  .strict();
export type PublicPolicy = z.infer<typeof PublicPolicy>;

/** `GET /api/admin/policy` (and the answer to `PUT`). */
export const AdminPolicyView = z.object({
  policy: OrgPolicy,
  /** Single sign-on is configured (local passwords may be turned off only then). */
  ssoConfigured: z.boolean(),
  /** The web client build this server serves now (the default minimum is its version). */
  servedBuild: z.string(),
  /** Parley's safe defaults (what a setting is when the policy says nothing about it). */
  safeDefaults: MeetingSettings,
  /** What a sensitive meeting always forces (the policy may add to it, never relax it). */
  sensitiveMinimum: MeetingSettingsPatch,
});
export type AdminPolicyView = z.infer<typeof AdminPolicyView>;

/** One connected client, as the Clients view lists it. */
export const ConnectedClient = z.object({
  build: z.string(),
  browser: z.string(),
  browserFamily: z.enum(['chromium', 'firefox', 'safari', 'other']),
  browserMajor: z.number().int().nullable(),
  /** Below the minimum client build or the minimum browser version. */
  outdated: z.boolean(),
  meetingId: z.string().nullable(),
  displayName: z.string().nullable(),
  connectedAt: z.number().int(),
});
export type ConnectedClient = z.infer<typeof ConnectedClient>;

/** One sample of the connected clients (taken every minute; kept 30 days). */
export const ClientSample = z.object({
  at: z.number().int(),
  total: z.number().int(),
  outdated: z.number().int(),
  /** Counts by build. */
  byBuild: z.record(z.string(), z.number().int()),
  /** Counts by browser and major version (`Firefox 128`). */
  byBrowser: z.record(z.string(), z.number().int()),
  /** The outdated ones, by browser and major version. */
  outdatedByBrowser: z.record(z.string(), z.number().int()),
});
export type ClientSample = z.infer<typeof ClientSample>;

/** One node whose clients the Clients view lists (several nodes: each node lists its own sockets). */
export const ClientsNode = z.object({
  node: z.string(),
  /** Its clients in `connected`. */
  listed: z.number().int(),
  /** Its clients beyond what one node shares (5,000), not listed. */
  omitted: z.number().int(),
});
export type ClientsNode = z.infer<typeof ClientsNode>;

/** `GET /api/admin/clients`. */
export const AdminClientsView = z.object({
  servedBuild: z.string(),
  minimumBuild: z.string(),
  connected: z.array(ConnectedClient),
  /** The nodes `connected` covers: the one that answered first, then the other live nodes. */
  nodes: z.array(ClientsNode),
  /**
   * `connected` may be incomplete: the other nodes' lists could not be read (Redis unreachable: this
   * node's own clients only), or a node has more clients than it shares.
   */
  partial: z.boolean(),
  samples: z.array(ClientSample),
});
export type AdminClientsView = z.infer<typeof AdminClientsView>;
