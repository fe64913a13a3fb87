/**
 * Between Parley nodes sharing Redis (PARLEY_REDIS_URL): what one node reads that another wrote.
 * None of it comes from browsers, but all of it crosses a network (Redis, node-to-node relays), so
 * all of it is validated: the meeting directory's leases, the broadcasts every node acts on, the
 * header a node presents when it relays a client's signaling to the meeting's node, and each node's
 * list of its connected clients for the Clients view.
 */
import { z } from 'zod';

/** A node's name (PARLEY_NODE_ID): letters, digits, `-` and `_`. */
export const ClusterNodeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'PARLEY_NODE_ID: 1 to 64 letters, digits, - or _');
export type ClusterNodeId = z.infer<typeof ClusterNodeId>;

/** A meeting directory entry: the node that runs the meeting's room and media, and where to reach its signaling, signed. */
export const ClusterLease = z.object({
  node: ClusterNodeId,
  url: z.url({ protocol: /^https?$/ }),
  /** HMAC-SHA256 of `node` and `url` under PARLEY_CLUSTER_SECRET (base64url): whoever can write to Redis cannot send clients elsewhere. */
  mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type ClusterLease = z.infer<typeof ClusterLease>;

/** What every node must act on at once. */
export const ClusterEvent = z.discriminatedUnion('type', [
  /** An administrator disabled an account: every node moves that person out and closes their sockets. */
  z.object({ type: z.literal('accountDisabled'), userId: z.string().min(1).max(128) }),
  /** The organization's policy changed: every node reloads it from the database. */
  z.object({ type: z.literal('policyChanged') }),
]);
export type ClusterEvent = z.infer<typeof ClusterEvent>;

/** A broadcast: who sent it, when (unix ms), and what. */
export const ClusterMessage = z.object({
  from: ClusterNodeId,
  at: z.number().int().nonnegative(),
  event: ClusterEvent,
});
export type ClusterMessage = z.infer<typeof ClusterMessage>;

/** A broadcast as published: the ClusterMessage's JSON text and its HMAC-SHA256 under PARLEY_CLUSTER_SECRET (base64url). */
export const ClusterEnvelope = z.object({
  payload: z.string().max(4096),
  mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type ClusterEnvelope = z.infer<typeof ClusterEnvelope>;

/**
 * `X-Parley-Relay` on a relayed signaling upgrade: `v1.<node>.<unix ms>.<client address, base64url>.<HMAC-SHA256, base64url>`.
 * The receiving node believes the client address only when the HMAC verifies and the time is recent.
 */
export const RelayHeader = z
  .string()
  .max(400)
  .regex(/^v1\.[A-Za-z0-9_-]{1,64}\.\d{10,16}\.[A-Za-z0-9_-]{1,200}\.[A-Za-z0-9_-]{43}$/);
export type RelayHeader = z.infer<typeof RelayHeader>;

/** At most this many clients in one node's snapshot (its oldest connections; the rest are counted in `omitted`). */
export const MAX_SNAPSHOT_CLIENTS = 5000;

/**
 * One client in a node's snapshot for the Clients view (C1): what its socket said at hello and what
 * its User-Agent names; no address, no account, nothing secret (the display name is shown in the view).
 */
export const ClusterClient = z.object({
  build: z.string().min(1).max(64),
  browser: z.object({
    family: z.enum(['chromium', 'firefox', 'safari', 'other']),
    name: z.string().min(1).max(64),
    major: z.number().int().positive().max(99_999).nullable(),
  }),
  meetingId: z.string().min(1).max(64).nullable(),
  displayName: z.string().min(1).max(256).nullable(),
  connectedAt: z.number().int().nonnegative(),
});
export type ClusterClient = z.infer<typeof ClusterClient>;

/** A node's connected clients, as it shares them every few seconds (unix ms `at`). */
export const ClusterClientsSnapshot = z.object({
  node: ClusterNodeId,
  at: z.number().int().nonnegative(),
  clients: z.array(ClusterClient).max(MAX_SNAPSHOT_CLIENTS),
  /** Clients beyond MAX_SNAPSHOT_CLIENTS (or that could not be described), not listed. */
  omitted: z.number().int().nonnegative(),
});
export type ClusterClientsSnapshot = z.infer<typeof ClusterClientsSnapshot>;

/** A snapshot as stored in Redis: its JSON text and the HMAC-SHA256 of `clients\n` + that text under PARLEY_CLUSTER_SECRET (base64url). */
export const ClusterSnapshotEnvelope = z.object({
  payload: z.string().max(4 * 1024 * 1024),
  mac: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});
export type ClusterSnapshotEnvelope = z.infer<typeof ClusterSnapshotEnvelope>;
