/**
 * Wires the cluster to this node: which meetings have a live room here, what to do when this node
 * may no longer run a meeting, and what the other nodes' broadcasts mean here (an account disabled:
 * out of every room and socket; the policy changed: reload it, which re-resolves every room).
 */
import type { ClusterEvent } from '@parley/protocol';
import type { Logger } from '../log.js';
import type { PolicyStore } from '../policy/policy-store.js';
import type { RoomRegistry } from '../rooms/registry.js';
import type { SignalingConnection } from '../signaling/connection.js';
import { RedisCluster } from './redis-cluster.js';
import { singleNode, type Cluster } from './cluster.js';

export const ACCOUNT_DISABLED_MESSAGE = 'An administrator disabled your account.';

/** The cluster this configuration asks for: Redis-backed with PARLEY_REDIS_URL, else this node alone. */
export async function openCluster(
  config: { redisUrl?: string | undefined; nodeId?: string | undefined; nodeUrl?: string | undefined; clusterSecret?: string | undefined },
  log: Logger,
): Promise<Cluster> {
  if (!config.redisUrl) return singleNode(config.nodeId);
  if (!config.nodeUrl || !config.clusterSecret) throw new Error('several nodes (PARLEY_REDIS_URL) need PARLEY_NODE_URL and PARLEY_CLUSTER_SECRET');
  return RedisCluster.connect({ redisUrl: config.redisUrl, nodeId: config.nodeId ?? singleNode().nodeId, nodeUrl: config.nodeUrl, secret: config.clusterSecret, log });
}

/** Moves a disabled account out of this node's rooms and closes its sockets here; how many places it had. */
export async function disconnectHere(deps: { rooms: RoomRegistry; connections: Set<SignalingConnection> }, userId: string): Promise<number> {
  const places = await deps.rooms.disconnectUser(userId, ACCOUNT_DISABLED_MESSAGE);
  for (const connection of deps.connections) if (connection.userId === userId) connection.close('account-disabled', ACCOUNT_DISABLED_MESSAGE);
  return places;
}

export function attachCluster(cluster: Cluster, deps: { rooms: RoomRegistry; policy: PolicyStore; connections: Set<SignalingConnection>; log: Logger }): void {
  const { rooms, policy, log } = deps;
  const heard = (event: ClusterEvent): void => {
    if (event.type === 'accountDisabled') {
      disconnectHere(deps, event.userId).catch((err: unknown) => log.error({ err }, 'moving a disabled account out failed'));
    } else {
      policy.reload().catch((err: unknown) => log.error({ err }, 'reloading the policy failed'));
    }
  };
  cluster.start({
    hasRoom: (meetingId) => {
      const room = rooms.get(meetingId);
      return room !== undefined && !room.closed;
    },
    lost: (meetingId) => {
      // Everyone keeps their resume credential and resumes on the node that holds the meeting now.
      rooms
        .get(meetingId)
        ?.close('The meeting is moving to another server. Reconnecting…')
        .catch((err: unknown) => log.error({ err }, 'closing a room this node lost failed'));
    },
    event: heard,
  });
  policy.on('changed', (_policy, _before, reloaded) => {
    if (reloaded) return;
    cluster.publish({ type: 'policyChanged' }).catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'telling the other nodes of a policy change failed'));
  });
}

/** Tells the other nodes an account was disabled (this node already acted on it). */
export async function announceDisabled(cluster: Cluster, userId: string, log: Logger): Promise<void> {
  await cluster.publish({ type: 'accountDisabled', userId }).catch((err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err) }, 'telling the other nodes of a disabled account failed'));
}
