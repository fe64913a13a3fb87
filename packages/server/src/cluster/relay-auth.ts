/**
 * The X-Parley-Relay header: a node relaying a client's signaling to the meeting's node vouches for
 * the client's address with an HMAC-SHA256 under PARLEY_CLUSTER_SECRET (the secret itself never
 * crosses the network). The receiving node believes the address only if the HMAC verifies (compared
 * in constant time) and the header is fresh, so a client cannot claim another address by sending
 * the header itself.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { RelayHeader } from '@parley/protocol';
import type { RelayedClient } from './cluster.js';

/** How far a relay header's time may be from this node's clock (relays are opened at once; clocks drift). */
const MAX_SKEW_MS = 60_000;

export function hmac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('base64url');
}

export function sameMac(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function signRelay(secret: string, nodeId: string, clientAddress: string, now = Date.now()): string {
  const body = `v1.${nodeId}.${now}.${Buffer.from(clientAddress).toString('base64url')}`;
  return `${body}.${hmac(secret, body)}`;
}

export function verifyRelayHeader(secret: string, header: string | string[] | undefined, now = Date.now()): RelayedClient | null | 'invalid' {
  if (header === undefined) return null;
  const parsed = RelayHeader.safeParse(header);
  if (!parsed.success) return 'invalid';
  const parts = parsed.data.split('.');
  const [, from = '', at = '', address = '', mac = ''] = parts;
  if (!sameMac(mac, hmac(secret, parts.slice(0, 4).join('.')))) return 'invalid';
  if (Math.abs(now - Number(at)) > MAX_SKEW_MS) return 'invalid';
  const clientAddress = Buffer.from(address, 'base64url').toString();
  if (isIP(clientAddress) === 0) return 'invalid';
  return { clientAddress, from };
}
