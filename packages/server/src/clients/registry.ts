/**
 * The Clients view (C1): who is connected with which build and browser, which of them are outdated
 * (below the minimum build or the minimum browser version), and how those counts move: a sample
 * every minute in `client_samples`, kept 30 days. Read from the live sockets, never stored per person.
 * On several nodes each node shares the clients of its own sockets through the cluster and lists the
 * others' with its own; one node per minute (whichever claims it) writes the sample, for all of them.
 */
import { browserShortfall, type BrowserVersion, type ClientSample, type ClientsNode, type ConnectedClient, type OutdatedClients } from '@parley/protocol';
import type { Cluster } from '../cluster/cluster.js';
import type { Logger } from '../log.js';
import type { PolicySource } from '../policy/policy-store.js';
import type { Db } from '../storage/db.js';
import type { ClientBuilds } from './builds.js';

/** What one socket says of its client (see SignalingConnection.describe). */
export interface ClientDescription {
  build: string;
  browser: BrowserVersion;
  meetingId: string | null;
  displayName: string | null;
  connectedAt: number;
}

export interface DescribedClient {
  describe(): ClientDescription | undefined;
}

/** The connected clients now, of every node the cluster could read. */
export interface ClientsNow {
  clients: ConnectedClient[];
  /** This node first, then the other nodes whose clients are listed. */
  nodes: ClientsNode[];
  /** The other nodes could not be read (Redis unreachable): `clients` are this node's only. */
  othersUnknown: boolean;
  /** `clients` may be incomplete (the other nodes unknown, or one had more clients than it shares). */
  partial: boolean;
}

const MINUTE = 60_000;
const KEEP_MS = 30 * 24 * 60 * MINUTE;
/** At most this many points in one answer (older spans are bucketed: the largest counts of each bucket). */
const MAX_POINTS = 240;
/** Several nodes: how often this node shares its clients with the others (more often if it samples more often). */
export const SHARE_MS = 20_000;

function browserLabel(browser: BrowserVersion): string {
  return browser.major === null ? browser.name : `${browser.name} ${browser.major}`;
}

export class ClientRegistry {
  readonly #connections: Iterable<DescribedClient>;
  readonly #builds: ClientBuilds;
  readonly #policy: PolicySource;
  readonly #db: Db;
  readonly #log: Logger;
  readonly #cluster: Cluster;
  #timer: NodeJS.Timeout | undefined;
  #shareTimer: NodeJS.Timeout | undefined;

  constructor(deps: { connections: Iterable<DescribedClient>; builds: ClientBuilds; policy: PolicySource; db: Db; log: Logger; cluster: Cluster }) {
    this.#connections = deps.connections;
    this.#builds = deps.builds;
    this.#policy = deps.policy;
    this.#db = deps.db;
    this.#log = deps.log;
    this.#cluster = deps.cluster;
  }

  /** Samples every `everyMs` (a minute) until `stop`; on several nodes, also shares this node's clients. */
  start(everyMs = MINUTE): void {
    this.#timer = setInterval(() => void this.#tick(everyMs).catch((err: unknown) => this.#log.warn({ err }, 'client sample failed')), everyMs);
    this.#timer.unref();
    if (!this.#cluster.clustered) return;
    const share = (): void =>
      void this.#cluster.shareClients(this.#own()).catch((err: unknown) => this.#log.warn({ err: err instanceof Error ? err.message : String(err) }, 'sharing the clients with the other nodes failed'));
    share();
    this.#shareTimer = setInterval(share, Math.min(SHARE_MS, everyMs));
    this.#shareTimer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    clearInterval(this.#shareTimer);
  }

  /** The clients on this node's own sockets (a socket relayed to another node describes nothing: it is counted there). */
  #own(): ClientDescription[] {
    const own: ClientDescription[] = [];
    for (const connection of this.#connections) {
      const c = connection.describe();
      if (c) own.push(c);
    }
    return own;
  }

  /** The connected clients now, on every node, outdated ones flagged (by this node's policy and builds). */
  async connected(): Promise<ClientsNow> {
    const own = this.#own();
    const others = await this.#cluster.otherClients();
    const minimums = this.#policy.current().minimumBrowsers;
    const list: ConnectedClient[] = [];
    for (const c of [own, ...others.nodes.map((n) => n.clients)].flat()) {
      list.push({
        build: c.build,
        browser: browserLabel(c.browser),
        browserFamily: c.browser.family,
        browserMajor: c.browser.major,
        outdated: !this.#builds.accepts(c.build) || browserShortfall(c.browser, minimums) !== null,
        meetingId: c.meetingId,
        displayName: c.displayName,
        connectedAt: c.connectedAt,
      });
    }
    const nodes: ClientsNode[] = [{ node: this.#cluster.nodeId, listed: own.length, omitted: 0 }, ...others.nodes.map((n) => ({ node: n.node, listed: n.clients.length, omitted: n.omitted }))];
    return {
      clients: list.sort((a, b) => a.connectedAt - b.connectedAt),
      nodes,
      othersUnknown: !others.reachable,
      partial: !others.reachable || others.nodes.some((n) => n.omitted > 0),
    };
  }

  /**
   * One sampling interval: the node that claims it writes the sample of every node's clients. While
   * the other nodes cannot be read, no sample is written rather than one counting this node only.
   */
  async #tick(everyMs: number, at = Date.now()): Promise<void> {
    if (!(await this.#cluster.claimSample(Math.floor(at / everyMs), 2 * everyMs))) return;
    const now = await this.connected();
    if (now.othersUnknown) {
      this.#log.warn("client sample skipped: the other nodes' clients could not be read");
      return;
    }
    await this.#record(now.clients, at);
  }

  /** Stores one sample of the counts now, every node's clients (and forgets samples older than 30 days). */
  async sample(at = Date.now()): Promise<ClientSample> {
    return this.#record((await this.connected()).clients, at);
  }

  async #record(clients: ConnectedClient[], at: number): Promise<ClientSample> {
    const byBuild: Record<string, number> = {};
    const byBrowser: Record<string, number> = {};
    const outdatedByBrowser: Record<string, number> = {};
    for (const c of clients) {
      byBuild[c.build] = (byBuild[c.build] ?? 0) + 1;
      byBrowser[c.browser] = (byBrowser[c.browser] ?? 0) + 1;
      if (c.outdated) outdatedByBrowser[c.browser] = (outdatedByBrowser[c.browser] ?? 0) + 1;
    }
    const sample: ClientSample = { at, total: clients.length, outdated: clients.filter((c) => c.outdated).length, byBuild, byBrowser, outdatedByBrowser };
    const row = {
      at,
      total: sample.total,
      outdated: sample.outdated,
      by_build: JSON.stringify(byBuild),
      by_browser: JSON.stringify(byBrowser),
      outdated_by_browser: JSON.stringify(outdatedByBrowser),
    };
    await this.#db
      .insertInto('client_samples')
      .values(row)
      .onConflict((oc) => oc.column('at').doUpdateSet(row))
      .execute();
    await this.#db.deleteFrom('client_samples').where('at', '<', at - KEEP_MS).execute();
    return sample;
  }

  /** The samples since `from` (at most 240 points: each the largest counts of its span). */
  async samples(from: number, to = Date.now()): Promise<ClientSample[]> {
    const rows = await this.#db.selectFrom('client_samples').selectAll().where('at', '>=', from).where('at', '<=', to).orderBy('at').execute();
    const all = rows.map((r) => ({
      at: r.at,
      total: r.total,
      outdated: r.outdated,
      byBuild: counts(r.by_build),
      byBrowser: counts(r.by_browser),
      outdatedByBrowser: counts(r.outdated_by_browser),
    }));
    if (all.length <= MAX_POINTS) return all;
    const per = Math.ceil(all.length / MAX_POINTS);
    const buckets: ClientSample[] = [];
    for (let i = 0; i < all.length; i += per) buckets.push(all.slice(i, i + per).reduce(largest));
    return buckets;
  }
}

function counts(json: string): Record<string, number> {
  const parsed: unknown = JSON.parse(json);
  if (typeof parsed !== 'object' || parsed === null) return {};
  return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number'));
}

function largest(a: ClientSample, b: ClientSample): ClientSample {
  const merge = (x: Record<string, number>, y: Record<string, number>): Record<string, number> => {
    const out = { ...x };
    for (const [k, v] of Object.entries(y)) out[k] = Math.max(out[k] ?? 0, v);
    return out;
  };
  return {
    at: a.at,
    total: Math.max(a.total, b.total),
    outdated: Math.max(a.outdated, b.outdated),
    byBuild: merge(a.byBuild, b.byBuild),
    byBrowser: merge(a.byBrowser, b.byBrowser),
    outdatedByBrowser: merge(a.outdatedByBrowser, b.outdatedByBrowser),
  };
}

/** Outdated clients seen between two times, from the minute samples. */
export interface OutdatedSeen {
  samples: number;
  /** Samples in which at least one connected client was outdated. */
  samplesWithOutdated: number;
  /** The most outdated clients connected at once, and the most clients at once. */
  maxOutdated: number;
  maxTotal: number;
  /** For each browser and major version, the most outdated clients of it connected at once. */
  byBrowser: Record<string, number>;
}

/**
 * For the posture report: how many outdated clients were seen connected between `from` and `to`
 * (the largest count in any one minute's sample), in how many samples any were, and by browser.
 */
export async function outdatedClientsSeen(db: Db, from: number, to: number): Promise<OutdatedSeen> {
  const row = await db
    .selectFrom('client_samples')
    .select((eb) => [
      eb.fn.countAll<number>().as('samples'),
      eb.fn.max<number | null>('outdated').as('maxOutdated'),
      eb.fn.max<number | null>('total').as('maxTotal'),
      eb.fn.sum<number | null>(eb.case().when('outdated', '>', 0).then(1).else(0).end()).as('withOutdated'),
    ])
    .where('at', '>=', from)
    .where('at', '<=', to)
    .executeTakeFirstOrThrow();
  const byBrowser: Record<string, number> = {};
  const rows = await db.selectFrom('client_samples').select('outdated_by_browser').where('at', '>=', from).where('at', '<=', to).where('outdated', '>', 0).execute();
  for (const r of rows) for (const [browser, n] of Object.entries(counts(r.outdated_by_browser))) byBrowser[browser] = Math.max(byBrowser[browser] ?? 0, n);
  return {
    samples: Number(row.samples),
    samplesWithOutdated: Number(row.withOutdated ?? 0),
    maxOutdated: Number(row.maxOutdated ?? 0),
    maxTotal: Number(row.maxTotal ?? 0),
    byBrowser,
  };
}

/**
 * The posture report's source (`PostureSources.outdatedClientsSeen`): `total` is the most outdated
 * clients connected at once in the period, `byBrowser` the same per browser and major version.
 */
export function postureOutdatedClients(db: Db): (from: number, to: number) => Promise<OutdatedClients> {
  return async (from, to) => {
    const seen = await outdatedClientsSeen(db, from, to);
    return { available: true, total: seen.maxOutdated, byBrowser: seen.byBrowser };
  };
}
