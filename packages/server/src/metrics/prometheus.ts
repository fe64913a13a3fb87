/**
 * The Prometheus side of Metrics: one registry per server instance (never prom-client's global
 * one: tests run several servers in one process). Events (throttles, alerts, signaling) are
 * counted as they happen; everything the server already knows (rooms, participants, the lobby,
 * sockets, the SFU) is read when scraped, once per scrape, by the metrics' collect callbacks.
 */
import { Role, type ErrorCode } from '@parley/protocol';
import type { SfuControl, SfuStats } from '@parley/sfu';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AlertAttempt, AlertKind, EntryKind, GuessKind, Metrics, ThrottleScope } from './metrics.js';

type WaitingStatus = 'waiting' | 'waiting-for-host';

/** What the census reads of a live room (rooms/room.ts's Room has these). */
export interface CensusRoom {
  readonly participants: ReadonlyMap<string, { readonly role: Role; readonly reconnecting: boolean; readonly mediaReady: boolean }>;
  readonly lobby: { all(): readonly { readonly status: WaitingStatus }[] };
}

/** Where the scrape-time metrics come from; attached once the server's parts exist. */
export interface MetricsSources {
  rooms: { live(): Iterable<CensusRoom> };
  sfu: Pick<SfuControl, 'stats'>;
  connections: { readonly size: number };
  /** The audit checkpointer (audit/checkpointer.ts). */
  audit?: { ageSeconds(): number };
}

/** One scrape's reading of the server. */
interface Snapshot {
  meetings: number;
  participants: Record<Role, number>;
  reconnecting: number;
  withMedia: number;
  lobby: Record<WaitingStatus, number>;
  connections: number;
  /** Undefined if the SFU did not answer (closing). */
  sfu: SfuStats | undefined;
  sfuSeconds: number;
  auditCheckpointAge: number | undefined;
}

const THROTTLES: [GuessKind, ThrottleScope][] = [
  ['passcode', 'address'],
  ['passcode', 'meeting'],
  ['signin', 'address'],
  ['signin', 'account_address'],
  ['signin', 'account'],
];

/**
 * Process metrics (CPU, memory, event loop, GC) describe the process, not a server instance, and
 * collectDefaultMetrics installs a GC observer and an event-loop monitor that are never removed: so
 * they are collected once per process, into their own registry, and appended to every scrape.
 */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'parley_' });
  }
  return processRegistry;
}

export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  #sources: MetricsSources | undefined;
  #snapshot: Promise<Snapshot> | undefined;
  readonly #throttled: Counter<'kind' | 'scope'>;
  readonly #guessFailures: Counter<'kind'>;
  readonly #alerts: Counter<'kind' | 'attempted'>;
  readonly #messages: Counter<'type'>;
  readonly #errors: Counter<'code'>;
  readonly #mediaSetup: Histogram<'after'>;
  readonly #firstFrame: Histogram<'after'>;

  constructor() {
    const registers = [this.registry];
    const read = (): Promise<Snapshot> => this.#read();
    // A gauge whose value is read from the scrape's snapshot.
    const gauge = (name: string, help: string, value: (s: Snapshot) => number | undefined): void => {
      new Gauge({
        name,
        help,
        registers,
        async collect() {
          const v = value(await read());
          if (v !== undefined) this.set(v);
        },
      });
    };
    const byLabel = <L extends string>(name: string, help: string, label: L, values: (s: Snapshot) => Record<string, number>): void => {
      new Gauge({
        name,
        help,
        labelNames: [label],
        registers,
        async collect() {
          for (const [key, v] of Object.entries(values(await read()))) this.set({ [label]: key } as Record<L, string>, v);
        },
      });
    };
    // A counter the SFU keeps: its running total is copied in at each scrape (absent: left as it was).
    const sfuCounter = (name: string, help: string, value: (s: SfuStats) => number | undefined): void => {
      new Counter({
        name,
        help,
        registers,
        async collect() {
          const sfu = (await read()).sfu;
          const v = sfu && value(sfu);
          if (v === undefined) return;
          this.reset();
          this.inc(v);
        },
      });
    };

    gauge('parley_meetings_live', 'Meetings with a live room: someone is in them, in their lobby, or reconnecting to them.', (s) => s.meetings);
    byLabel('parley_participants', 'Admitted participants in live meetings (reconnecting ones included), by role.', 'role', (s) => s.participants);
    gauge('parley_participants_reconnecting', 'Participants whose connection dropped and whose place is kept for their resume.', (s) => s.reconnecting);
    gauge('parley_participants_with_media', 'Participants whose media is set up (they have an SFU peer).', (s) => s.withMedia);
    byLabel('parley_lobby_waiting', 'People waiting in lobbies: for a moderator (waiting) or for the host to arrive (waiting-for-host).', 'status', (s) => s.lobby);
    gauge(
      'parley_audit_checkpoint_age_seconds',
      'Seconds since the last signed audit checkpoint while audit events exist that it does not cover; 0 when the last checkpoint covers the whole log.',
      (s) => s.auditCheckpointAge,
    );
    gauge('parley_signaling_connections', 'Open signaling WebSocket connections (lobby and not yet joined ones included).', (s) => s.connections);

    gauge('parley_sfu_up', '1 if the SFU answered this scrape, else 0 (then the other parley_sfu_ metrics keep their last values).', (s) => (s.sfu ? 1 : 0));
    gauge('parley_sfu_stats_duration_seconds', 'How long reading the SFU took in this scrape: its cost grows with tracks and subscriptions.', (s) => s.sfuSeconds);
    gauge('parley_sfu_workers', 'Live media worker processes.', (s) => s.sfu?.workers);
    gauge('parley_sfu_rooms', 'Rooms (meetings with media) open in the SFU.', (s) => s.sfu?.rooms);
    gauge('parley_sfu_peers', 'SFU peers: participants with media set up.', (s) => s.sfu?.peers);
    gauge('parley_sfu_tracks', 'Published tracks (producers).', (s) => s.sfu?.tracks);
    gauge('parley_sfu_subscriptions', 'Subscriptions (consumers): one per track per participant receiving it.', (s) => s.sfu?.subscriptions);
    new Counter({
      name: 'parley_sfu_worker_cpu_seconds_total',
      help: 'CPU time (user + system) of each media worker process since it started (mediasoup getResourceUsage). A replaced worker keeps its index and gets a new pid.',
      labelNames: ['worker', 'pid'],
      registers,
      async collect() {
        const workers = (await read()).sfu?.workerDetails;
        if (!workers) return;
        this.reset();
        for (const w of workers) this.inc({ worker: String(w.index), pid: String(w.pid) }, w.cpuMs / 1000);
      },
    });
    new Gauge({
      name: 'parley_sfu_worker_resident_memory_bytes',
      help: 'Resident memory of each media worker process (current on Linux, the peak elsewhere).',
      labelNames: ['worker', 'pid'],
      registers,
      async collect() {
        const workers = (await read()).sfu?.workerDetails;
        if (!workers) return;
        this.reset();
        for (const w of workers) this.set({ worker: String(w.index), pid: String(w.pid) }, w.rss);
      },
    });
    const every = 'Read at scrape time from every track and subscription (one worker request each); what a stream counted after the previous scrape before it closed is not included.';
    sfuCounter('parley_sfu_received_packets_total', `RTP packets received from publishers. ${every}`, (s) => s.traffic?.receivedPackets);
    sfuCounter('parley_sfu_received_bytes_total', `RTP bytes received from publishers. ${every}`, (s) => s.traffic?.receivedBytes);
    sfuCounter('parley_sfu_received_packets_lost_total', `RTP packets lost between publishers and the SFU (counted by the SFU). ${every}`, (s) => s.traffic?.receivedPacketsLost);
    sfuCounter('parley_sfu_forwarded_packets_total', `RTP packets forwarded to subscribers. ${every}`, (s) => s.traffic?.forwardedPackets);
    sfuCounter('parley_sfu_forwarded_bytes_total', `RTP bytes forwarded to subscribers. ${every}`, (s) => s.traffic?.forwardedBytes);
    sfuCounter('parley_sfu_forwarded_packets_lost_total', `RTP packets lost between the SFU and subscribers (their RTCP receiver reports). ${every}`, (s) => s.traffic?.forwardedPacketsLost);
    sfuCounter('parley_sfu_retransmitted_packets_total', `RTP packets resent to subscribers on NACK. ${every}`, (s) => s.traffic?.retransmittedPackets);
    sfuCounter('parley_sfu_nacks_total', `NACKs (retransmission requests) received from subscribers. ${every}`, (s) => s.traffic?.nacks);

    this.#throttled = new Counter({
      name: 'parley_throttled_total',
      help: 'Guesses refused unchecked (rate_limited) because a throttle budget ran out: kind passcode (meeting join) or signin; scope whose budget (address, meeting, account_address, account).',
      labelNames: ['kind', 'scope'],
      registers,
    });
    for (const [kind, scope] of THROTTLES) this.#throttled.inc({ kind, scope }, 0);
    this.#guessFailures = new Counter({
      name: 'parley_guess_failures_total',
      help: 'Guesses checked and wrong: kind passcode (wrong passcode or unknown meeting) or signin (wrong email or password).',
      labelNames: ['kind'],
      registers,
    });
    for (const kind of ['passcode', 'signin'] as const) this.#guessFailures.inc({ kind }, 0);
    this.#alerts = new Counter({
      name: 'parley_alerts_total',
      help: 'Alerts rooms raised to their moderators, by kind (untrusted-activity, disruption, passcode-guessing) and what was attempted (none if not said).',
      labelNames: ['kind', 'attempted'],
      registers,
    });
    this.#messages = new Counter({
      name: 'parley_signaling_messages_received_total',
      help: 'Signaling frames received, by message type (invalid: could not be decoded; rate_limited: dropped unread).',
      labelNames: ['type'],
      registers,
    });
    this.#errors = new Counter({
      name: 'parley_signaling_errors_sent_total',
      help: 'Signaling error messages sent, by error code (docs/protocol.md).',
      labelNames: ['code'],
      registers,
    });
    this.#mediaSetup = new Histogram({
      name: 'parley_media_setup_seconds',
      help: "Seconds from a socket's admission (after join or resume) to its first completed setupMedia: the server's view of join-to-media, client time included, first frame not.",
      labelNames: ['after'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60],
      registers,
    });
    this.#firstFrame = new Histogram({
      name: 'parley_join_first_frame_seconds',
      help: "Seconds from a socket's admission (after join or resume) to its client's report of the first decoded remote video frame, timed on the server's clock; once per admission, only when someone shows video.",
      labelNames: ['after'],
      buckets: [0.25, 0.5, 1, 2, 3, 5, 10, 30, 60],
      registers,
    });
  }

  /** Where the scrape-time metrics come from (the rooms, the SFU, the sockets). */
  attach(sources: MetricsSources): void {
    this.#sources = sources;
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The Prometheus text: this server's metrics, then the process's. */
  async scrape(): Promise<string> {
    const [own, processText] = await Promise.all([this.registry.metrics(), processMetrics().metrics()]);
    return `${own}\n${processText}`;
  }

  throttled(kind: GuessKind, scope: ThrottleScope): void {
    this.#throttled.inc({ kind, scope });
  }

  guessFailed(kind: GuessKind): void {
    this.#guessFailures.inc({ kind });
  }

  alertRaised(kind: AlertKind, attempted: AlertAttempt | undefined): void {
    this.#alerts.inc({ kind, attempted: attempted ?? 'none' });
  }

  messageReceived(type: string): void {
    this.#messages.inc({ type });
  }

  errorSent(code: ErrorCode): void {
    this.#errors.inc({ code });
  }

  mediaSetUp(after: EntryKind, seconds: number): void {
    this.#mediaSetup.observe({ after }, seconds);
  }

  firstFrame(after: EntryKind, seconds: number): void {
    this.#firstFrame.observe({ after }, seconds);
  }

  /**
   * This scrape's snapshot. The registry runs every collect callback in one synchronous pass, so
   * they share the one in flight: the rooms are counted and the SFU is asked once per scrape.
   */
  #read(): Promise<Snapshot> {
    this.#snapshot ??= this.#take().finally(() => (this.#snapshot = undefined));
    return this.#snapshot;
  }

  async #take(): Promise<Snapshot> {
    const participants = Object.fromEntries(Role.options.map((r) => [r, 0])) as Record<Role, number>;
    const lobby: Record<WaitingStatus, number> = { waiting: 0, 'waiting-for-host': 0 };
    const snapshot: Snapshot = { meetings: 0, participants, reconnecting: 0, withMedia: 0, lobby, connections: 0, sfu: undefined, sfuSeconds: 0, auditCheckpointAge: undefined };
    const sources = this.#sources;
    if (!sources) return snapshot;
    for (const room of sources.rooms.live()) {
      snapshot.meetings += 1;
      for (const p of room.participants.values()) {
        participants[p.role] += 1;
        if (p.reconnecting) snapshot.reconnecting += 1;
        if (p.mediaReady) snapshot.withMedia += 1;
      }
      for (const waiter of room.lobby.all()) lobby[waiter.status] += 1;
    }
    snapshot.connections = sources.connections.size;
    snapshot.auditCheckpointAge = sources.audit?.ageSeconds();
    const started = performance.now();
    snapshot.sfu = await sources.sfu.stats({ traffic: true }).catch(() => undefined);
    snapshot.sfuSeconds = (performance.now() - started) / 1000;
    return snapshot;
  }
}
