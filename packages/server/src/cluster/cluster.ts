/**
 * Several Parley nodes behind one load balancer, or just one. A meeting's room and media live on one
 * node, the one holding its lease in the meeting directory; the throttles that protect passcodes and
 * sign-in count across all nodes; some events (an account disabled, the policy changed) reach every
 * node at once; the Clients view lists every node's clients and samples them once for all.
 * `singleNode()` is all of that within this process (no Redis), the default;
 * `RedisCluster` (redis-cluster.ts) shares it through Redis when PARLEY_REDIS_URL is set.
 */
import { randomBytes } from 'node:crypto';
import type { ClusterClient, ClusterClientsSnapshot, ClusterEvent } from '@parley/protocol';
import { localThrottles, type ThrottleFactory } from '../util/failure-throttle.js';

/** Where a meeting's room runs: here, or on another node reached at `url` (its PARLEY_NODE_URL). */
export type Placement = { local: true } | { local: false; node: string; url: string };

/** A client another node relayed here, as that node vouched for it. */
export interface RelayedClient {
  clientAddress: string;
  /** The node that relayed it. */
  from: string;
}

/** Another node's connected clients, as it last shared them (validated, signature checked). */
export type SharedSnapshot = ClusterClientsSnapshot;

/** The other live nodes' clients; `reachable: false` when they could not be read (Redis unreachable). */
export interface OtherNodesClients {
  reachable: boolean;
  nodes: SharedSnapshot[];
}

/** What the cluster needs of this node's rooms and connections. */
export interface ClusterHooks {
  /** This node runs a live room (or lobby) for the meeting. */
  hasRoom(meetingId: string): boolean;
  /**
   * This node may no longer run the meeting (its lease went to another node, or this node lost
   * Redis): close its room, keeping everyone's resume credential, so they resume on the rightful node.
   */
  lost(meetingId: string): void;
  /** A broadcast from another node. */
  event(event: ClusterEvent): void;
}

export interface Cluster {
  readonly nodeId: string;
  /** More than one node may be running (PARLEY_REDIS_URL is set). */
  readonly clustered: boolean;
  /** Where the meeting's room runs; claims the meeting for this node when no live node holds it. */
  place(meetingId: string): Promise<Placement>;
  /** The other node that holds the meeting, if one does (never claims it). */
  locate(meetingId: string): Promise<{ node: string; url: string } | null>;
  /** The passcode and sign-in throttles, counting across every node. */
  readonly throttles: ThrottleFactory;
  /** Tells every other node. */
  publish(event: ClusterEvent): Promise<void>;
  /** The X-Parley-Relay header this node presents when it relays a client from `clientAddress`. */
  relayHeader(clientAddress: string): string;
  /** Reads X-Parley-Relay: null when there is none, the client when it verifies, 'invalid' otherwise. */
  verifyRelay(header: string | string[] | undefined): RelayedClient | null | 'invalid';
  /**
   * The first-administrator token of a fresh install: random in this process for one node; on several
   * nodes one token for all (derived from the cluster secret), so the link any node prints works
   * through the load balancer. It is good only while the database has no account.
   */
  setupToken(): string;
  /** The Clients view (C1): shares the clients on this node's own sockets with the other nodes (every ~20 s). */
  shareClients(clients: readonly ClusterClient[]): Promise<void>;
  /** The Clients view: the clients the other live nodes shared (never this node's own). */
  otherClients(): Promise<OtherNodesClients>;
  /**
   * The minute samples: true if this node takes the sample of interval `slot` (one node per interval
   * writes it, counting every node); false when another node took it or Redis is unreachable.
   */
  claimSample(slot: number, ttlMs: number): Promise<boolean>;
  /** Starts renewing leases and hearing broadcasts. */
  start(hooks: ClusterHooks): void;
  /** Gives up this node's leases (so another node may take its meetings at once) and disconnects. */
  close(): Promise<void>;
}

/** One node: every meeting is here, throttles count in this process, there is nobody to tell and nothing to relay. */
export function singleNode(nodeId: string = randomBytes(6).toString('base64url')): Cluster {
  const setupToken = randomBytes(24).toString('base64url');
  return {
    nodeId,
    clustered: false,
    place: () => Promise.resolve({ local: true }),
    locate: () => Promise.resolve(null),
    throttles: localThrottles,
    publish: () => Promise.resolve(),
    relayHeader: () => {
      throw new Error('a single node relays nothing');
    },
    // Nobody may claim to be a relay when there are no other nodes.
    verifyRelay: (header) => (header === undefined ? null : 'invalid'),
    setupToken: () => setupToken,
    // The Clients view: this node's sockets are all there is, and it takes every sample.
    shareClients: () => Promise.resolve(),
    otherClients: () => Promise.resolve({ reachable: true, nodes: [] }),
    claimSample: () => Promise.resolve(true),
    start: () => undefined,
    close: () => Promise.resolve(),
  };
}
