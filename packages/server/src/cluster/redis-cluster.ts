/**
 * Several nodes sharing Redis (PARLEY_REDIS_URL).
 *
 * The meeting directory: `parley:meeting:<id>` holds the lease of the node that runs the meeting's
 * room and media ({node, url}), taken with SET NX PX and renewed by this node's heartbeat while the
 * room lives; a node that dies stops renewing, and after LEASE_MS the next node asked claims the
 * meeting and rebuilds the room from the database (as after a restart).
 *
 * Health: leases are renewed every RENEW_MS. A node whose renewals have failed for longer than
 * LEASE_MS - RENEW_MS (Redis lost, or this node cut off) closes every room it runs before its
 * leases could lapse, so no meeting runs on two nodes at once, and refuses new joins until Redis
 * answers again; a renewal that finds the lease taken by another node closes that room at once.
 *
 * Broadcasts: one pub/sub channel; each message is HMAC-SHA256-signed under PARLEY_CLUSTER_SECRET and
 * validated (ClusterEnvelope, ClusterMessage), so whoever can publish to Redis cannot forge one.
 *
 * The Clients view: each node's signed snapshot of its clients, and one sample per interval for all
 * nodes (shared-clients.ts).
 */
import { ClusterEnvelope, ClusterLease, ClusterMessage, ParleyError, type ClusterClient, type ClusterEvent } from '@parley/protocol';
import type { Logger } from '../log.js';
import type { ThrottleFactory } from '../util/failure-throttle.js';
import type { Cluster, ClusterHooks, OtherNodesClients, Placement, RelayedClient } from './cluster.js';
import { hmac, sameMac, signRelay, verifyRelayHeader } from './relay-auth.js';
import { redisClient, type Redis } from './redis-client.js';
import { SharedClients } from './shared-clients.js';
import { SharedThrottle, type ScriptRunner } from './shared-throttle.js';

/** How long a meeting stays with a node that stopped renewing its lease. */
export const LEASE_MS = 10_000;
/** How often leases are renewed. */
export const RENEW_MS = 3_000;
const CHANNEL = 'parley:events';
/** Broadcasts older than this (or this far in the future) are ignored. */
const MAX_EVENT_AGE_MS = 5 * 60_000;

/** Renews the lease if it is still this node's: 1, or 0 if another node holds it (or nobody). */
const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
/** Gives the lease up if it is still this node's. */
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

function leaseText(node: string, url: string): string {
  return `lease\n${node}\n${url}`;
}

function leaseKey(meetingId: string): string {
  return `parley:meeting:{${meetingId}}`;
}

export interface RedisClusterOptions {
  redisUrl: string;
  nodeId: string;
  nodeUrl: string;
  secret: string;
  log: Logger;
}

export class RedisCluster implements Cluster {
  readonly nodeId: string;
  readonly clustered = true;
  readonly throttles: ThrottleFactory;
  readonly #client: Redis;
  readonly #subscriber: Redis;
  readonly #clients: SharedClients;
  readonly #secret: string;
  readonly #log: Logger;
  /** This node's lease value: what `parley:meeting:<id>` says while the meeting is ours. */
  readonly #lease: string;
  /** Meetings this node holds, and when it last claimed or confirmed each. */
  readonly #owned = new Map<string, number>();
  #hooks: ClusterHooks | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  /** When the last heartbeat that reached Redis started. */
  #lastOk = Date.now();
  #beating = false;
  #closed = false;

  private constructor(options: RedisClusterOptions, client: Redis, subscriber: Redis) {
    this.nodeId = options.nodeId;
    this.#secret = options.secret;
    this.#log = options.log.child({ component: 'cluster', nodeId: options.nodeId });
    this.#client = client;
    this.#subscriber = subscriber;
    this.#clients = new SharedClients(client, options.secret, options.nodeId, this.#log);
    this.#lease = JSON.stringify(ClusterLease.parse({ node: options.nodeId, url: options.nodeUrl, mac: hmac(options.secret, leaseText(options.nodeId, options.nodeUrl)) }));
    const runner: ScriptRunner = { eval: (script, keys, args) => client.eval(script, { keys, arguments: args }) };
    this.throttles = (name, policy) => new SharedThrottle(runner, name, policy);
  }

  /** Connects to Redis (the URL, which may hold a password, is never logged) and subscribes to the broadcasts. */
  static async connect(options: RedisClusterOptions): Promise<RedisCluster> {
    const client = redisClient(options.redisUrl);
    const subscriber = client.duplicate();
    const cluster = new RedisCluster(options, client, subscriber);
    for (const c of [client, subscriber]) c.on('error', (err: unknown) => cluster.#redisError(err));
    try {
      await client.connect();
      await subscriber.connect();
      await subscriber.subscribe(CHANNEL, (message: string) => cluster.#heard(message));
    } catch (err) {
      client.destroy();
      subscriber.destroy();
      throw new Error(`Redis (PARLEY_REDIS_URL) is unreachable: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    cluster.#lastOk = Date.now();
    cluster.#log.info('joined the cluster');
    return cluster;
  }

  start(hooks: ClusterHooks): void {
    this.#hooks = hooks;
    this.#heartbeat = setInterval(() => void this.#beat(), RENEW_MS);
    this.#heartbeat.unref();
  }

  async place(meetingId: string): Promise<Placement> {
    if (!this.#healthy()) throw new ParleyError('shutting_down', 'this server lost its cluster connection; retry in a moment');
    const key = leaseKey(meetingId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await this.#client.get(key);
      if (current === this.#lease) {
        this.#owned.set(meetingId, Date.now());
        return { local: true };
      }
      if (current === null) {
        const taken = await this.#client.set(key, this.#lease, { condition: 'NX', expiration: { type: 'PX', value: LEASE_MS } });
        if (taken === 'OK') {
          this.#owned.set(meetingId, Date.now());
          this.#log.info({ meetingId }, 'meeting claimed');
          return { local: true };
        }
        continue; // another node claimed it meanwhile: look again
      }
      const lease = this.#readLease(current);
      if (lease.node === this.nodeId) {
        // An earlier run of this node (same PARLEY_NODE_ID, another URL): it is gone; take the meeting over.
        await this.#client.set(key, this.#lease, { expiration: { type: 'PX', value: LEASE_MS } });
        this.#owned.set(meetingId, Date.now());
        return { local: true };
      }
      return { local: false, node: lease.node, url: lease.url };
    }
    throw new ParleyError('shutting_down', 'the meeting is changing servers; retry in a moment');
  }

  async locate(meetingId: string): Promise<{ node: string; url: string } | null> {
    if (!this.#healthy()) throw new ParleyError('shutting_down', 'this server lost its cluster connection; retry in a moment');
    const current = await this.#client.get(leaseKey(meetingId));
    if (current === null || current === this.#lease) return null;
    const lease = this.#readLease(current);
    if (lease.node === this.nodeId) return null;
    return { node: lease.node, url: lease.url };
  }

  /** A lease another node wrote: validated and its signature checked; anything else is refused, never followed or overwritten. */
  #readLease(text: string): ClusterLease {
    let parsed: ReturnType<typeof ClusterLease.safeParse>;
    try {
      parsed = ClusterLease.safeParse(JSON.parse(text));
    } catch {
      parsed = ClusterLease.safeParse(undefined);
    }
    if (!parsed.success || !sameMac(parsed.data.mac, hmac(this.#secret, leaseText(parsed.data.node, parsed.data.url)))) {
      this.#log.error('the meeting directory holds a lease not signed with the cluster secret: refusing to follow it');
      throw new ParleyError('internal', 'the meeting directory is inconsistent');
    }
    return parsed.data;
  }

  async publish(event: ClusterEvent): Promise<void> {
    const payload = JSON.stringify(ClusterMessage.parse({ from: this.nodeId, at: Date.now(), event }));
    await this.#client.publish(CHANNEL, JSON.stringify({ payload, mac: hmac(this.#secret, payload) }));
  }

  relayHeader(clientAddress: string): string {
    return signRelay(this.#secret, this.nodeId, clientAddress);
  }

  verifyRelay(header: string | string[] | undefined): RelayedClient | null | 'invalid' {
    return verifyRelayHeader(this.#secret, header);
  }

  setupToken(): string {
    return hmac(this.#secret, 'parley setup token: the first administrator of this cluster').slice(0, 32);
  }

  shareClients(clients: readonly ClusterClient[]): Promise<void> {
    return this.#clients.share(clients);
  }

  otherClients(): Promise<OtherNodesClients> {
    return this.#clients.others();
  }

  claimSample(slot: number, ttlMs: number): Promise<boolean> {
    return this.#clients.claimSample(slot, ttlMs);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearInterval(this.#heartbeat);
    // Give the leases up, so whoever resumes reaches a node that takes the meeting at once.
    await Promise.all([...this.#owned.keys()].map((id) => this.#client.eval(RELEASE, { keys: [leaseKey(id)], arguments: [this.#lease] }).catch(() => 0)));
    this.#owned.clear();
    await this.#clients.forget();
    await Promise.allSettled([this.#subscriber.close(), this.#client.close()]);
  }

  #healthy(): boolean {
    return !this.#closed && this.#client.isReady && Date.now() - this.#lastOk < LEASE_MS - RENEW_MS;
  }

  /** Renews the leases of meetings with a live room, gives up the others, and stops serving meetings this node may no longer hold. */
  async #beat(): Promise<void> {
    if (this.#beating || this.#closed || !this.#hooks) return;
    this.#beating = true;
    const started = Date.now();
    try {
      for (const [meetingId, since] of [...this.#owned]) {
        const key = leaseKey(meetingId);
        if (!this.#hooks.hasRoom(meetingId) && started - since > LEASE_MS) {
          await this.#client.eval(RELEASE, { keys: [key], arguments: [this.#lease] });
          this.#owned.delete(meetingId);
          continue;
        }
        const kept = await this.#client.eval(RENEW, { keys: [key], arguments: [this.#lease, String(LEASE_MS)] });
        if (kept !== 1) {
          this.#log.warn({ meetingId }, 'another node holds this meeting now: closing its room here');
          this.#owned.delete(meetingId);
          this.#hooks.lost(meetingId);
        }
      }
      if (this.#owned.size === 0) await this.#client.ping();
      this.#lastOk = started;
    } catch (err) {
      this.#log.warn({ err: err instanceof Error ? err.message : String(err) }, 'lease renewal failed');
    } finally {
      this.#beating = false;
    }
    if (!this.#healthy() && this.#owned.size > 0) {
      this.#log.error({ meetings: this.#owned.size }, 'Redis unreachable for too long: closing every room here before another node may take them');
      for (const meetingId of [...this.#owned.keys()]) {
        this.#owned.delete(meetingId);
        this.#hooks.lost(meetingId);
      }
    }
  }

  #heard(text: string): void {
    try {
      const envelope = ClusterEnvelope.safeParse(JSON.parse(text));
      if (!envelope.success || !sameMac(envelope.data.mac, hmac(this.#secret, envelope.data.payload))) {
        this.#log.warn('a cluster broadcast failed its signature check; ignored');
        return;
      }
      const message = ClusterMessage.safeParse(JSON.parse(envelope.data.payload));
      if (!message.success || Math.abs(Date.now() - message.data.at) > MAX_EVENT_AGE_MS) return;
      if (message.data.from === this.nodeId) return;
      this.#hooks?.event(message.data.event);
    } catch (err) {
      this.#log.warn({ err: err instanceof Error ? err.message : String(err) }, 'unreadable cluster broadcast; ignored');
    }
  }

  #redisError(err: unknown): void {
    // The client reconnects by itself; the heartbeat decides what losing Redis means for the rooms.
    this.#log.warn({ err: err instanceof Error ? err.message : String(err) }, 'Redis connection error');
  }
}
