/**
 * The Clients view (C1) across nodes, through Redis. Every node shares a snapshot of the clients on
 * its own sockets (ClusterClientsSnapshot: build, browser, meeting, display name, since; no
 * addresses) at `parley:clients:{<node>}`, expiring after SNAPSHOT_TTL_MS, and notes itself in the
 * sorted set `parley:clients:nodes` (score: when it last shared). Any node lists the others' clients
 * from there. Redis is not trusted for integrity: a snapshot counts only when its HMAC-SHA256 under
 * the cluster secret verifies, it validates, it names the node whose key holds it (a copy of one
 * node's snapshot under another's key is ignored, not counted twice) and it is recent.
 *
 * The minute samples count the whole cluster once: the node that wins `SET parley:clients-sample:<slot> NX`
 * for a sampling interval writes that interval's sample, from its own sockets and the others' snapshots.
 */
import { ClusterClient, ClusterClientsSnapshot, ClusterNodeId, ClusterSnapshotEnvelope, MAX_SNAPSHOT_CLIENTS } from '@parley/protocol';
import type { Logger } from '../log.js';
import type { OtherNodesClients, SharedSnapshot } from './cluster.js';
import type { Redis } from './redis-client.js';
import { hmac, sameMac } from './relay-auth.js';

/** A node's snapshot is kept this long after it last shared (it shares every 20 s, or more often). */
export const SNAPSHOT_TTL_MS = 90_000;
/** How far another node's clock may be from this one's. */
const MAX_SKEW_MS = 60_000;
/** Each read of Redis for the view gives up after this long (the view then says it is partial). */
const COMMAND_TIMEOUT_MS = 2000;
/** At most this many other nodes are read. */
const MAX_NODES = 256;
const NODES_KEY = 'parley:clients:nodes';

function snapshotKey(node: string): string {
  return `parley:clients:{${node}}`;
}

/** What the MAC covers: a snapshot, never a broadcast or a lease signed with the same secret. */
function macText(payload: string): string {
  return `clients\n${payload}`;
}

/** A client as the snapshot can carry it (text cut to the schema's lengths); null if it still would not validate. */
function fit(client: ClusterClient): ClusterClient | null {
  const cut = (text: string | null, max: number): string | null => (text === null || text === '' ? null : text.slice(0, max));
  const fitted = ClusterClient.safeParse({
    ...client,
    build: client.build.slice(0, 64),
    browser: { ...client.browser, name: client.browser.name.slice(0, 64) },
    meetingId: cut(client.meetingId, 64),
    displayName: cut(client.displayName, 256),
  });
  return fitted.success ? fitted.data : null;
}

export class SharedClients {
  readonly #redis: Redis;
  readonly #secret: string;
  readonly #nodeId: string;
  readonly #log: Logger;
  #forgotten = false;

  constructor(client: Redis, secret: string, nodeId: string, log: Logger) {
    this.#redis = client.withCommandOptions({ timeout: COMMAND_TIMEOUT_MS });
    this.#secret = secret;
    this.#nodeId = nodeId;
    this.#log = log;
  }

  /** Shares this node's clients (at most MAX_SNAPSHOT_CLIENTS, the oldest connections). Nothing is queued while Redis is away. */
  async share(clients: readonly ClusterClient[], now = Date.now()): Promise<void> {
    if (this.#forgotten || !this.#redis.isReady) return;
    const valid = clients.map(fit).filter((c): c is ClusterClient => c !== null);
    const listed = valid.sort((a, b) => a.connectedAt - b.connectedAt).slice(0, MAX_SNAPSHOT_CLIENTS);
    const snapshot: ClusterClientsSnapshot = { node: this.#nodeId, at: now, clients: listed, omitted: clients.length - listed.length };
    const payload = JSON.stringify(snapshot);
    const envelope: ClusterSnapshotEnvelope = { payload, mac: hmac(this.#secret, macText(payload)) };
    await this.#redis.set(snapshotKey(this.#nodeId), JSON.stringify(envelope), { expiration: { type: 'PX', value: SNAPSHOT_TTL_MS } });
    await this.#redis.zAdd(NODES_KEY, { score: now, value: this.#nodeId });
    await this.#redis.zRemRangeByScore(NODES_KEY, '-inf', now - 2 * SNAPSHOT_TTL_MS);
  }

  /** The other live nodes' snapshots; `reachable: false` when Redis could not be read. */
  async others(now = Date.now()): Promise<OtherNodesClients> {
    if (!this.#redis.isReady) return { reachable: false, nodes: [] };
    try {
      const members = await this.#redis.zRangeByScore(NODES_KEY, now - 2 * SNAPSHOT_TTL_MS, '+inf', { LIMIT: { offset: 0, count: MAX_NODES } });
      const ids = members.map(String).filter((id) => id !== this.#nodeId && ClusterNodeId.safeParse(id).success);
      const texts = await Promise.all(ids.map((id) => this.#redis.get(snapshotKey(id))));
      const nodes: SharedSnapshot[] = [];
      for (const [i, id] of ids.entries()) {
        const text = texts[i];
        if (text === null || text === undefined) continue; // expired: that node stopped (or has not shared yet)
        const snapshot = this.#read(id, text, now);
        if (snapshot) nodes.push(snapshot);
      }
      return { reachable: true, nodes };
    } catch (err) {
      this.#log.warn({ err: err instanceof Error ? err.message : String(err) }, "reading the other nodes' clients failed");
      return { reachable: false, nodes: [] };
    }
  }

  /** Claims sampling interval `slot` for this node: true if no node took it before. False too while Redis is unreachable. */
  async claimSample(slot: number, ttlMs: number): Promise<boolean> {
    if (!this.#redis.isReady) return false;
    try {
      const taken = await this.#redis.set(`parley:clients-sample:${slot}`, this.#nodeId, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
      return taken === 'OK';
    } catch (err) {
      this.#log.warn({ err: err instanceof Error ? err.message : String(err) }, 'claiming the client sample failed');
      return false;
    }
  }

  /** This node is stopping: its clients leave the other nodes' views at once (not after SNAPSHOT_TTL_MS). */
  async forget(): Promise<void> {
    this.#forgotten = true;
    if (!this.#redis.isReady) return;
    await Promise.allSettled([this.#redis.del(snapshotKey(this.#nodeId)), this.#redis.zRem(NODES_KEY, this.#nodeId)]);
  }

  /** A snapshot another node wrote under `node`'s key: null (and a warning) unless it is signed, valid, that node's and recent. */
  #read(node: string, text: string, now: number): ClusterClientsSnapshot | null {
    try {
      const envelope = ClusterSnapshotEnvelope.safeParse(JSON.parse(text));
      if (!envelope.success || !sameMac(envelope.data.mac, hmac(this.#secret, macText(envelope.data.payload)))) {
        this.#log.warn({ node }, 'a client snapshot in Redis failed its signature check; ignored');
        return null;
      }
      const snapshot = ClusterClientsSnapshot.safeParse(JSON.parse(envelope.data.payload));
      if (!snapshot.success || snapshot.data.node !== node) {
        this.#log.warn({ node }, 'a client snapshot in Redis is invalid or names another node; ignored');
        return null;
      }
      if (now - snapshot.data.at > SNAPSHOT_TTL_MS + MAX_SKEW_MS || snapshot.data.at - now > MAX_SKEW_MS) return null;
      return snapshot.data;
    } catch {
      this.#log.warn({ node }, 'an unreadable client snapshot in Redis; ignored');
      return null;
    }
  }
}
