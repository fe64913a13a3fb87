/**
 * Configuration: defaults, overridden by environment variables (main.ts) or by the options given to
 * startParley (tests). Every field is documented in README.md and docs/operations.md.
 */
import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import { z } from 'zod';
import { turnUriProblem } from './media/turn-credentials.js';
import { isPostgresUrl } from './storage/database-url.js';

function isAddressOrCidr(value: string): boolean {
  const [address, bits, extra] = value.split('/');
  if (extra !== undefined || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

/** PARLEY_TRUST_PROXY: `true`, `false`, or a comma-separated list of proxy addresses / CIDRs. */
function trustProxyFromEnv(value: string | undefined): boolean | string[] | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** PARLEY_METRICS_ALLOW: a comma-separated list of addresses / CIDRs, or `none` (the token only). */
function metricsAllowFromEnv(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (value.trim() === 'none') return [];
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** PARLEY_TURN_URLS: a comma-separated list of TURN URIs. */
function listFromEnv(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

/** What Fastify is told: the hops it may believe. */
export function trustedProxies(trust: boolean | string[]): false | string {
  if (trust === false) return false;
  return trust === true ? 'loopback' : trust.join(',');
}

const defaultWebRoot = fileURLToPath(new URL('../../web/dist', import.meta.url));
/** The SBOM the build writes (scripts/generate-sbom.mjs); the same path from src/ and dist/. */
const defaultSbomPath = fileURLToPath(new URL('../dist/sbom.json', import.meta.url));

export const ParleyConfig = z.object({
  port: z.number().int().min(0).max(65535).default(8080),
  host: z.string().min(1).default('127.0.0.1'),
  dataDir: z.string().min(1).default('./data'),
  /** PostgreSQL instead of the embedded SQLite: a postgres:// or postgresql:// URL. Its password is never logged. */
  databaseUrl: z.string().refine(isPostgresUrl, 'PARLEY_DATABASE_URL must be a postgres:// or postgresql:// URL').optional(),
  webRoot: z.string().min(1).default(defaultWebRoot),
  /** The CycloneDX SBOM shown on the About page and in the posture report (written at build time). */
  sbomPath: z.string().min(1).default(defaultSbomPath),
  /** Base URL used in join links; defaults to the request's own origin. */
  publicUrl: z.url().optional(),
  /** Public IP announced in ICE candidates (servers behind 1:1 NAT). */
  announcedAddress: z.string().optional(),
  /** Address the media ports listen on; defaults to `host` (0.0.0.0 when `host` is `::`). */
  rtcListenAddress: z.string().optional(),
  /** UDP+TCP port of the first media worker (worker i uses port + i); unset: free ports. */
  rtcPort: z.number().int().min(1).max(65535).optional(),
  rtcMinPort: z.number().int().min(1024).max(65535).optional(),
  rtcMaxPort: z.number().int().min(1024).max(65535).optional(),
  /** Media worker processes; default one per CPU core. */
  mediaWorkers: z.number().int().min(1).max(64).optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Seconds a participant whose connection dropped keeps their place, waiting for them to resume. */
  resumeSeconds: z.number().int().min(5).max(600).default(60),
  /**
   * Which reverse proxies' X-Forwarded-For to believe: false (none), true (a proxy on this machine:
   * loopback only), or the proxies' addresses and CIDR ranges. Only those hops are trusted, never the
   * addresses a client wrote into the header itself.
   */
  trustProxy: z.union([z.boolean(), z.array(z.string().refine(isAddressOrCidr, 'not an IP address or CIDR range')).min(1)]).default(false),
  /** Open signaling sockets allowed from one client address (lobby sockets count); raise it for large NATs. */
  maxConnectionsPerAddress: z.number().int().min(1).max(100_000).default(50),
  /** How often the Clients view samples the connected clients (ms); a minute. Only the tests shorten it. */
  clientSampleMs: z.number().int().min(1000).max(3_600_000).default(60_000),
  /** Seconds a socket may take to send `hello`, and then to send `join`, before it is closed. */
  handshakeTimeoutSeconds: z.number().positive().max(600).default(15),
  /**
   * Who may scrape GET /metrics without the token: client addresses and CIDR ranges, matched against
   * the client address as computed with `trustProxy`. Empty: only with the token. Anyone else gets 404.
   */
  metricsAllow: z.array(z.string().refine(isAddressOrCidr, 'not an IP address or CIDR range')).default(['127.0.0.1', '::1']),
  /** A Bearer token that lets a scraper read /metrics from any address. */
  metricsToken: z
    .string()
    .min(16, 'the metrics token needs at least 16 characters')
    .max(512)
    .regex(/^[\x21-\x7e]+$/, 'the metrics token must be printable ASCII without spaces')
    .optional(),
  /** Single sign-on: the OpenID Provider's issuer URL (https, or http on a loopback address only); unset: no SSO. */
  oidcIssuer: z.url().optional(),
  /** The client ID Parley is registered under at the provider. */
  oidcClientId: z.string().min(1).max(512).optional(),
  /** The client secret (client_secret_basic). Never logged. */
  oidcClientSecret: z.string().min(1).max(1024).optional(),
  /** The label of the "Sign in with …" button; default: the issuer's host name. */
  oidcName: z.string().trim().min(1).max(64).optional(),
  /** The audit checkpoint signing key (Ed25519 PEM); default `<dataDir>/audit-signing-key.pem`, created mode 0600. */
  auditKeyFile: z.string().min(1).optional(),
  /** A signed audit checkpoint after this many events... */
  auditCheckpointEvery: z.number().int().min(1).max(1_000_000).default(100),
  /** ...or this many minutes when there were new events (and on clean shutdown). */
  auditCheckpointMinutes: z.number().positive().max(24 * 60).default(5),
  /** Append each checkpoint as a JSON line to this file (mount it from another machine). */
  auditCheckpointFile: z.string().min(1).optional(),
  /** POST each checkpoint as JSON to this HTTPS URL. */
  auditCheckpointUrl: z.url({ protocol: /^https$/, error: 'PARLEY_AUDIT_CHECKPOINT_URL must be an https:// URL' }).optional(),
  /** Forward every audit event as RFC 5424 syslog (CEF) over TCP to this `host:port`. */
  syslogTarget: z
    .string()
    .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'PARLEY_SYSLOG_TARGET must be host:port')
    .optional(),
  /** The operator's TURN server(s), `turn:` / `turns:` URIs (RFC 7065); unset: no TURN, and no third party either. */
  turnUrls: z
    .array(z.string().superRefine((uri, ctx) => {
      const problem = turnUriProblem(uri);
      if (problem) ctx.addIssue({ code: 'custom', message: `PARLEY_TURN_URLS: ${JSON.stringify(uri)} ${problem}` });
    }))
    .min(1)
    .max(8)
    .optional(),
  /** coturn's `static-auth-secret` (use-auth-secret): signs every participant's TURN credentials. Never logged. */
  turnSecret: z
    .string()
    .min(16, 'PARLEY_TURN_SECRET needs at least 16 characters')
    .max(512)
    .regex(/^[\x21-\x7e]+$/, 'PARLEY_TURN_SECRET must be printable ASCII without spaces')
    .optional(),
  /**
   * Seconds a participant's TURN credentials may start new relays (coturn checks only when a relay is
   * allocated; relays in use go on). Fresh ones come with every join, resume and ICE restart and every
   * 5 minutes while connected, so an hour covers clock skew and missed renewals while bounding what a
   * copied credential is worth. At least 15 minutes: three renewals.
   */
  turnTtlSeconds: z.number().int().min(900).max(86_400).default(60 * 60),
  /** `relay`: every client sends media only through TURN (needs turnUrls); `all`: direct or through TURN. */
  iceTransportPolicy: z.enum(['all', 'relay']).default('all'),
  /** Several nodes: the Redis they share (`redis://` or `rediss://`, credentials in the URL); unset: one node, no Redis. Never logged. */
  redisUrl: z.string().regex(/^rediss?:\/\/\S+$/, 'PARLEY_REDIS_URL must be a redis:// or rediss:// URL').optional(),
  /** This node's name in the cluster; default: random at each start. */
  nodeId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'PARLEY_NODE_ID: 1 to 64 letters, digits, - or _').optional(),
  /** The base URL other nodes use to reach this node's signaling (an internal address); required with redisUrl. */
  nodeUrl: z.url({ protocol: /^https?$/, error: 'PARLEY_NODE_URL must be an http:// or https:// URL' }).optional(),
  /** Authenticates node-to-node relays and broadcasts (HMAC-SHA256); required with redisUrl. Never logged. */
  clusterSecret: z
    .string()
    .min(32, 'PARLEY_CLUSTER_SECRET needs at least 32 characters')
    .max(512)
    .regex(/^[\x21-\x7e]+$/, 'PARLEY_CLUSTER_SECRET must be printable ASCII without spaces')
    .optional(),
});
export type ParleyConfig = z.infer<typeof ParleyConfig>;
export type ParleyOptions = z.input<typeof ParleyConfig>;

/** Reads PORT, HOST and PARLEY_* variables. Invalid values stop the start with a clear message. */
export function configFromEnv(env: NodeJS.ProcessEnv): ParleyOptions {
  const num = (name: string): number | undefined => (env[name] ? Number(env[name]) : undefined);
  return {
    port: num('PORT'),
    host: env.HOST,
    dataDir: env.PARLEY_DATA_DIR,
    databaseUrl: env.PARLEY_DATABASE_URL || undefined,
    webRoot: env.PARLEY_WEB_ROOT,
    publicUrl: env.PARLEY_PUBLIC_URL,
    announcedAddress: env.PARLEY_ANNOUNCED_IP,
    rtcListenAddress: env.PARLEY_RTC_LISTEN_IP,
    rtcPort: num('PARLEY_RTC_PORT'),
    rtcMinPort: num('PARLEY_RTC_MIN_PORT'),
    rtcMaxPort: num('PARLEY_RTC_MAX_PORT'),
    mediaWorkers: num('PARLEY_MEDIA_WORKERS'),
    logLevel: env.PARLEY_LOG_LEVEL as ParleyOptions['logLevel'],
    resumeSeconds: num('PARLEY_RESUME_SECONDS'),
    trustProxy: trustProxyFromEnv(env.PARLEY_TRUST_PROXY),
    maxConnectionsPerAddress: num('PARLEY_MAX_CONNECTIONS_PER_ADDRESS'),
    handshakeTimeoutSeconds: num('PARLEY_HANDSHAKE_TIMEOUT_SECONDS'),
    clientSampleMs: num('PARLEY_CLIENT_SAMPLE_MS'),
    metricsAllow: metricsAllowFromEnv(env.PARLEY_METRICS_ALLOW),
    metricsToken: env.PARLEY_METRICS_TOKEN || undefined,
    oidcIssuer: env.PARLEY_OIDC_ISSUER || undefined,
    oidcClientId: env.PARLEY_OIDC_CLIENT_ID || undefined,
    oidcClientSecret: env.PARLEY_OIDC_CLIENT_SECRET || undefined,
    oidcName: env.PARLEY_OIDC_NAME || undefined,
    auditKeyFile: env.PARLEY_AUDIT_KEY_FILE || undefined,
    auditCheckpointEvery: num('PARLEY_AUDIT_CHECKPOINT_EVERY'),
    auditCheckpointMinutes: num('PARLEY_AUDIT_CHECKPOINT_MINUTES'),
    auditCheckpointFile: env.PARLEY_AUDIT_CHECKPOINT_FILE || undefined,
    auditCheckpointUrl: env.PARLEY_AUDIT_CHECKPOINT_URL || undefined,
    syslogTarget: env.PARLEY_SYSLOG_TARGET || undefined,
    turnUrls: listFromEnv(env.PARLEY_TURN_URLS),
    turnSecret: env.PARLEY_TURN_SECRET || undefined,
    turnTtlSeconds: num('PARLEY_TURN_TTL_SECONDS'),
    iceTransportPolicy: (env.PARLEY_ICE_TRANSPORT_POLICY || undefined) as ParleyOptions['iceTransportPolicy'],
    redisUrl: env.PARLEY_REDIS_URL || undefined,
    nodeId: env.PARLEY_NODE_ID || undefined,
    nodeUrl: env.PARLEY_NODE_URL || undefined,
    clusterSecret: env.PARLEY_CLUSTER_SECRET || undefined,
  };
}

export function resolveConfig(options: ParleyOptions): ParleyConfig {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const config = ParleyConfig.parse(defined);
  if ((config.rtcMinPort === undefined) !== (config.rtcMaxPort === undefined)) {
    throw new Error('set both PARLEY_RTC_MIN_PORT and PARLEY_RTC_MAX_PORT, or neither');
  }
  if (config.rtcMinPort !== undefined && config.rtcMaxPort !== undefined && config.rtcMinPort > config.rtcMaxPort) {
    throw new Error('PARLEY_RTC_MIN_PORT is above PARLEY_RTC_MAX_PORT');
  }
  checkOidcConfig(config);
  checkTurnConfig(config);
  checkClusterConfig(config);
  return config;
}

/** TURN needs its URLs and the shared secret together; `relay` needs TURN. */
function checkTurnConfig(config: ParleyConfig): void {
  if ((config.turnUrls === undefined) !== (config.turnSecret === undefined)) {
    throw new Error('TURN needs PARLEY_TURN_URLS and PARLEY_TURN_SECRET together');
  }
  if (config.iceTransportPolicy === 'relay' && config.turnUrls === undefined) {
    throw new Error('PARLEY_ICE_TRANSPORT_POLICY=relay needs a TURN server: set PARLEY_TURN_URLS and PARLEY_TURN_SECRET');
  }
}

/** Several nodes need to reach each other, to trust each other and to share PostgreSQL: PARLEY_NODE_URL, PARLEY_CLUSTER_SECRET and PARLEY_DATABASE_URL with PARLEY_REDIS_URL. */
function checkClusterConfig(config: ParleyConfig): void {
  if (config.redisUrl === undefined) {
    if (config.nodeUrl !== undefined || config.clusterSecret !== undefined) throw new Error('PARLEY_NODE_URL and PARLEY_CLUSTER_SECRET are for several nodes: set PARLEY_REDIS_URL too');
    return;
  }
  if (config.nodeUrl === undefined || config.clusterSecret === undefined) throw new Error('several nodes (PARLEY_REDIS_URL) need PARLEY_NODE_URL and PARLEY_CLUSTER_SECRET');
  // Nodes on different hosts cannot share an SQLite file, and two processes on one are not scale-out.
  if (config.databaseUrl === undefined) throw new Error('several nodes (PARLEY_REDIS_URL) share PostgreSQL: set PARLEY_DATABASE_URL (an SQLite file is for one node)');
}

/** Single sign-on needs all three of issuer, client ID and secret, and an https issuer unless it is on this machine. */
function checkOidcConfig(config: ParleyConfig): void {
  const set = [config.oidcIssuer, config.oidcClientId, config.oidcClientSecret].filter((v) => v !== undefined).length;
  if (set !== 0 && set !== 3) throw new Error('single sign-on needs PARLEY_OIDC_ISSUER, PARLEY_OIDC_CLIENT_ID and PARLEY_OIDC_CLIENT_SECRET together');
  if (config.oidcIssuer) {
    const issuer = new URL(config.oidcIssuer);
    if (issuer.protocol !== 'https:' && !(issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname))) {
      throw new Error('PARLEY_OIDC_ISSUER must be https (plain http only for a provider on a loopback address)');
    }
  }
}

/**
 * A literal loopback address (127.0.0.0/8 or ::1): a provider on this very machine, where plain http
 * does not cross a network. Names (even `localhost`) do not count: a resolver could send them elsewhere.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}
