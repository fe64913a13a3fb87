/**
 * Who may scrape /metrics: a client address in PARLEY_METRICS_ALLOW (addresses and CIDR ranges,
 * matched against the address the server computed, which believes X-Forwarded-For only from the
 * proxies PARLEY_TRUST_PROXY names), or anyone presenting PARLEY_METRICS_TOKEN as a Bearer token.
 * The token is compared in constant time: both sides are hashed to equal-length digests first.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** `::ffff:a.b.c.d` is the IPv4 address; a zone (`fe80::1%eth0`) is not part of the address. */
function plain(address: string): string {
  const unzoned = address.split('%')[0] ?? '';
  const lower = unzoned.toLowerCase();
  return lower.startsWith('::ffff:') && isIP(lower.slice(7)) === 4 ? lower.slice(7) : unzoned;
}

export class MetricsAccess {
  readonly #allowed = new BlockList();
  readonly #tokenDigest: Buffer | undefined;

  /** `allow`: addresses and CIDR ranges (validated by the config); `token`: the Bearer token, if any. */
  constructor(allow: readonly string[], token: string | undefined) {
    for (const entry of allow) {
      const [raw = '', bits] = entry.split('/');
      const address = bits === undefined ? plain(raw) : raw;
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.#allowed.addAddress(address, family);
      else this.#allowed.addSubnet(address, Number(bits), family);
    }
    this.#tokenDigest = token ? digest(token) : undefined;
  }

  /**
   * The client may scrape: its address (as computed; undefined when it is not to be believed) is
   * allowed, or its Authorization header carries the token.
   */
  allows(clientAddress: string | undefined, authorization: string | undefined): boolean {
    return this.#addressAllowed(clientAddress) || this.#tokenMatches(authorization);
  }

  #addressAllowed(clientAddress: string | undefined): boolean {
    if (clientAddress === undefined) return false;
    const address = plain(clientAddress);
    const family = isIP(address);
    if (family === 0) return false;
    return this.#allowed.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }

  #tokenMatches(authorization: string | undefined): boolean {
    if (!this.#tokenDigest || authorization === undefined) return false;
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match?.[1]) return false;
    return timingSafeEqual(digest(match[1]), this.#tokenDigest);
  }
}
