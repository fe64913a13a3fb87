/**
 * Assembles a Parley server: storage, SFU, rooms, HTTP API, web client and signaling, and owns
 * their orderly shutdown.
 */
import type { KeyObject } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifyWebsocket from '@fastify/websocket';
import { createSfu, type SfuControl } from '@parley/sfu';
import { trustedProxies, type ParleyConfig } from './config.js';
import type { Logger } from './log.js';
import { errorHandling } from './http/errors.js';
import { adminRoutes } from './http/admin-routes.js';
import { filesRoutes } from './http/files-routes.js';
import { meetingsRoutes } from './http/meetings-routes.js';
import { myMeetingsRoutes } from './http/my-meetings-routes.js';
import { MyMeetings } from './meetings/my-meetings.js';
import { securityHeaders } from './http/security-headers.js';
import { hostCheck } from './http/host-check.js';
import { signalingRoute } from './http/signaling-route.js';
import { metricsRoute } from './http/metrics-route.js';
import { MetricsAccess } from './metrics/access.js';
import { PrometheusMetrics } from './metrics/prometheus.js';
import { webClient } from './http/web-client.js';
import { Accounts } from './accounts/accounts.js';
import { SessionStore } from './accounts/sessions.js';
import { UserStore } from './accounts/users.js';
import { authRoutes } from './http/auth-routes.js';
import { oidcRoutes } from './http/oidc-routes.js';
import { OidcSignIn, oidcSettings } from './accounts/oidc.js';
import { UserIdentityStore } from './accounts/oidc-identities.js';
import { OidcLoginStore } from './accounts/oidc-logins.js';
import { sessions } from './http/session.js';
import { Meetings } from './meetings/meetings.js';
import { RoomRegistry } from './rooms/registry.js';
import type { SignalingConnection } from './signaling/connection.js';
import { AuditLog } from './storage/audit.js';
import { openDatabase, type Db } from './storage/db.js';
import { redactDatabaseUrl } from './storage/database-url.js';
import { MeetingStore } from './storage/meetings.js';
import { UntrustedAudit } from './storage/untrusted-audit.js';
import { ModerationStore } from './storage/moderation.js';
import { ResumeStore } from './storage/resume.js';
import { PolicyStore } from './policy/policy-store.js';
import { policyRoutes } from './http/policy-routes.js';
import { ClientBuilds } from './clients/builds.js';
import { ClientRegistry } from './clients/registry.js';
import { SERVER_BUILD } from './build-info.js';
import { Checkpointer } from './audit/checkpointer.js';
import { CheckpointSigner, keyFilePath } from './audit/signing.js';
import { parseTarget, SyslogForwarder } from './audit/syslog.js';
import { auditRoutes } from './http/audit-routes.js';
import { AccountAdmin } from './accounts/account-admin.js';
import { UserDirectory } from './accounts/user-directory.js';
import { accountsAdminRoutes } from './http/accounts-admin-routes.js';
import { postureRoutes } from './http/posture-routes.js';
import { loadSbom } from './about/sbom.js';
import { PostureReporter } from './posture/posture-report.js';
import { postureSources } from './posture/posture-sources.js';
import { ReportReview } from './reports/report-review.js';
import { iceServersFor } from './media/turn-credentials.js';
import type { Cluster } from './cluster/cluster.js';
import { announceDisabled, attachCluster, disconnectHere, openCluster } from './cluster/attach.js';
import { filesRelay } from './cluster/files-relay.js';

export interface ParleyServer {
  readonly http: FastifyInstance;
  readonly db: Db;
  readonly sfu: SfuControl;
  readonly rooms: RoomRegistry;
  readonly audit: AuditLog;
  /** Unauthenticated traffic's share of the audit log (aggregated, bounded). */
  readonly untrustedAudit: UntrustedAudit;
  readonly accounts: Accounts;
  /** The organization's policy (stored; changed by administrators). */
  readonly policy: PolicyStore;
  /** The web client build served and accepted (C1), and the connected clients. */
  readonly builds: ClientBuilds;
  readonly clients: ClientRegistry;
  /** This instance's Prometheus metrics (served at GET /metrics). */
  readonly metrics: PrometheusMetrics;
  /** Single sign-on with OpenID Connect, when configured. */
  readonly oidc: OidcSignIn | null;
  /** Signs checkpoints over the audit chain (audit/checkpointer.ts). */
  readonly checkpoints: Checkpointer;
  /** Forwards audit events to PARLEY_SYSLOG_TARGET, when set. */
  readonly syslog: SyslogForwarder | undefined;
  /** The checkpoint signing key's public half: for auditStatus(db, auditPublicKey) (audit/status.ts). */
  readonly auditPublicKey: KeyObject;
  /** This node among several (PARLEY_REDIS_URL), or alone. */
  readonly cluster: Cluster;
  /** Tells every client, closes sockets, rooms, the SFU, HTTP and the database. Idempotent. */
  close(): Promise<void>;
}

/** One resume credential's life; connected participants get a fresh one every half of it. */
const RESUME_TTL_MS = 10 * 60_000;

/** Media listens where HTTP does; a wildcard HTTP host means every IPv4 address. */
function mediaListenAddress(host: string): string {
  if (host === '::' || host === '0.0.0.0') return '0.0.0.0';
  if (host === 'localhost') return '127.0.0.1';
  return host;
}

export async function createParleyServer(config: ParleyConfig, log: Logger): Promise<ParleyServer> {
  const db = await openDatabase(config.dataDir, config.databaseUrl);
  log.info({ database: config.databaseUrl ? redactDatabaseUrl(config.databaseUrl) : 'sqlite' }, 'storage');
  const metrics = new PrometheusMetrics();
  const audit = new AuditLog(db);
  const signer = CheckpointSigner.open(keyFilePath(config.dataDir, config.auditKeyFile), (message) => log.warn(message));
  const checkpoints = await Checkpointer.open(db, audit, signer, {
    every: config.auditCheckpointEvery,
    intervalMs: config.auditCheckpointMinutes * 60_000,
    file: config.auditCheckpointFile,
    url: config.auditCheckpointUrl,
    warn: (err, message) => log.warn({ err }, message),
  });
  let syslog: SyslogForwarder | undefined;
  if (config.syslogTarget) {
    const forwarder = new SyslogForwarder({ ...parseTarget(config.syslogTarget), build: SERVER_BUILD, warn: (err, message) => log.warn({ err }, message) });
    audit.onAppended((record) => forwarder.send(record));
    syslog = forwarder;
  }
  const cluster = await openCluster(config, log);
  const meetingStore = new MeetingStore(db);
  const untrustedAudit = new UntrustedAudit(audit);
  const policy = await PolicyStore.open(db, audit);
  const meetings = new Meetings(meetingStore, audit, { policy, untrusted: untrustedAudit, metrics, throttles: cluster.throttles });
  const moderation = new ModerationStore(db);
  const accounts = new Accounts(new UserStore(db), new SessionStore(db), audit, untrustedAudit, metrics, policy, cluster.throttles, () => cluster.setupToken());
  const sso = oidcSettings(config);
  const oidc = sso
    ? new OidcSignIn(sso, {
        users: accounts.users,
        sessions: accounts.sessions,
        identities: new UserIdentityStore(db),
        logins: new OidcLoginStore(db),
        audit,
        untrusted: untrustedAudit,
        policy,
        log,
      })
    : null;
  oidc?.warmUp();
  const sfu = await createSfu({
    ...(config.mediaWorkers ? { workers: config.mediaWorkers } : {}),
    listenAddress: config.rtcListenAddress ?? mediaListenAddress(config.host),
    ...(config.announcedAddress ? { announcedAddress: config.announcedAddress } : {}),
    ...(config.rtcPort ? { port: config.rtcPort } : {}),
    ...(config.rtcMinPort !== undefined && config.rtcMaxPort !== undefined ? { portRange: { min: config.rtcMinPort, max: config.rtcMaxPort } } : {}),
    onError: (err: unknown) => log.error({ err }, 'media plane error'),
  });
  const resume = new ResumeStore(db);
  await resume.sweep();
  const rooms = new RoomRegistry({
    sfu,
    log,
    audit,
    policy,
    store: meetingStore,
    moderation,
    resume,
    resumeWindowMs: config.resumeSeconds * 1000,
    resumeTtlMs: RESUME_TTL_MS,
    iceServers: iceServersFor(config.turnUrls && config.turnSecret ? { urls: config.turnUrls, secret: config.turnSecret, ttlSeconds: config.turnTtlSeconds } : null),
    iceTransportPolicy: config.iceTransportPolicy,
    maxParticipants: 100,
    metrics,
  });
  const connections = new Set<SignalingConnection>();
  const builds = new ClientBuilds({ webRoot: config.webRoot, policy, log, fallback: SERVER_BUILD });
  const clients = new ClientRegistry({ connections, builds, policy, db, log, cluster });
  clients.start(config.clientSampleMs);
  // A new build reaches every open tab within seconds; a policy change re-resolves every room's settings
  // and tells clients whose build it no longer accepts.
  builds.on('deployed', (build) => {
    for (const connection of connections) connection.tellBuild(build);
  });
  policy.on('changed', () => {
    rooms.policyChanged();
    for (const connection of connections) connection.tellBuild(builds.served, true);
  });
  metrics.attach({ rooms, sfu, connections, audit: checkpoints });
  attachCluster(cluster, { rooms, policy, connections, log });
  meetings.on('guessingLockout', (meetingId) =>
    rooms.get(meetingId)?.alertModerators('passcode-guessing', 'Many wrong passcodes were tried for this meeting; it takes no passcode guesses for the next 10 minutes.'),
  );

  const http = Fastify({
    loggerInstance: log as FastifyBaseLogger,
    trustProxy: trustedProxies(config.trustProxy),
    bodyLimit: 16 * 1024,
  });
  securityHeaders(http);
  errorHandling(http);
  hostCheck(http, config.publicUrl);
  await http.register(fastifyWebsocket, { options: { maxPayload: 256 * 1024 } });
  await sessions(http, { accounts, publicUrl: config.publicUrl });
  http.get('/api/health', async () => ({ ok: true, build: SERVER_BUILD }));
  authRoutes(http, { accounts, ssoName: oidc?.name ?? null });
  oidcRoutes(http, { oidc, policy, publicUrl: config.publicUrl });
  meetingsRoutes(http, { meetings, publicUrl: config.publicUrl });
  myMeetingsRoutes(http, { myMeetings: new MyMeetings({ store: meetingStore, audit, policy, live: (id) => rooms.get(id) !== undefined }), publicUrl: config.publicUrl });
  filesRoutes(http, { rooms });
  filesRelay(http, { cluster, rooms });
  auditRoutes(http, { db, publicKey: signer.publicKey });
  adminRoutes(http, { reports: new ReportReview({ db, moderation, audit }) });
  const accountAdmin = new AccountAdmin({
    directory: new UserDirectory(db),
    sessions: accounts.sessions,
    audit,
    // Disabled: out of every live meeting and lobby, then every other socket opened with their session.
    disconnect: async (userId) => {
      const places = await disconnectHere({ rooms, connections }, userId);
      await announceDisabled(cluster, userId, log);
      return places;
    },
  });
  accountsAdminRoutes(http, { accountAdmin });
  // Written at build time, so read once per process.
  let sbomLoaded: ReturnType<typeof loadSbom> | undefined;
  const sbom = (): ReturnType<typeof loadSbom> => (sbomLoaded ??= loadSbom(config.sbomPath));
  const posture = new PostureReporter({
    db,
    policy: () => policy.current(),
    sources: postureSources(db, signer.publicKey),
    build: async () => ({ server: SERVER_BUILD, sbom: (await sbom()).summary }),
  });
  postureRoutes(http, { reporter: posture, serverBuild: SERVER_BUILD, sbom });
  // Local passwords may be turned off only when single sign-on is configured (nobody could sign in otherwise).
  policyRoutes(http, { policy, audit, builds, clients, ssoConfigured: () => oidc !== null });
  metricsRoute(http, { access: new MetricsAccess(config.metricsAllow, config.metricsToken), metrics });
  signalingRoute(http, {
    meetings,
    rooms,
    log,
    serverBuild: SERVER_BUILD,
    builds,
    policy,
    publicUrl: config.publicUrl,
    connections,
    maxConnectionsPerAddress: config.maxConnectionsPerAddress,
    handshakeTimeoutMs: config.handshakeTimeoutSeconds * 1000,
    metrics,
    cluster,
  });
  await webClient(http, config.webRoot);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      log.info('shutting down');
      clients.stop();
      builds.close();
      await rooms.close('The server is restarting. Please rejoin in a moment.');
      for (const connection of connections) connection.close('shutdown', 'The server is shutting down.');
      await cluster.close();
      await sfu.close();
      await http.close();
      await untrustedAudit.close();
      await checkpoints.close();
      await syslog?.close();
      await db.destroy();
    })();
    return closing;
  };
  return { http, db, sfu, rooms, audit, untrustedAudit, accounts, policy, builds, clients, metrics, oidc, checkpoints, syslog, auditPublicKey: signer.publicKey, cluster, close };
}
