/**
 * Configuration: defaults, overridden by environment variables (main.ts) or by the options given to
 * startParley (tests). Every field is documented in README.md and docs/operations.md.
 */
import { fileURLToPath } from 'node:url';
import { isIP } from 'node:net';
import { z } from 'zod';

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
    metricsAllow: metricsAllowFromEnv(env.PARLEY_METRICS_ALLOW),
    metricsToken: env.PARLEY_METRICS_TOKEN || undefined,
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
  return config;
}
