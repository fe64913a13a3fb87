/**
 * Refuses requests (HTTP and the WebSocket upgrade) whose Host header names a host this server is
 * not: the configured public URL's host, or the address and port the client actually connected to
 * (or `localhost` on that port). A DNS-rebinding page, whose Origin and Host both say its own name,
 * gets nothing: not even when no public URL is configured.
 */
import { isIP } from 'node:net';
import { ParleyError } from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/** Splits `host[:port]` (IPv6 in brackets); null if malformed. */
export function parseHostHeader(header: string): { hostname: string; port: string } | null {
  const match = /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (!match?.[1]) return null;
  return { hostname: match[1].replace(/^\[|\]$/g, '').toLowerCase(), port: match[2] ?? '' };
}

function plainAddress(address: string | undefined): string {
  const a = (address ?? '').toLowerCase();
  return a.startsWith('::ffff:') && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}

export function hostAllowed(request: FastifyRequest, publicUrl: string | undefined): boolean {
  const header = request.headers.host;
  if (typeof header !== 'string') return false;
  const host = parseHostHeader(header);
  if (!host) return false;
  if (publicUrl) {
    const url = new URL(publicUrl);
    if (host.hostname === url.hostname.replace(/^\[|\]$/g, '').toLowerCase() && host.port === url.port) return true;
  }
  const socket = request.raw.socket;
  const port = String(socket.localPort ?? '');
  const portMatches = host.port === port || (host.port === '' && port === '80');
  if (!portMatches) return false;
  const local = plainAddress(socket.localAddress);
  return host.hostname === 'localhost' || plainAddress(host.hostname) === local;
}

export function hostCheck(app: FastifyInstance, publicUrl: string | undefined): void {
  app.addHook('onRequest', async (request) => {
    if (hostAllowed(request, publicUrl)) return;
    request.log.warn({ host: request.headers.host }, 'request for a foreign Host refused');
    throw new ParleyError('forbidden', 'this server does not answer for that host name; set PARLEY_PUBLIC_URL to serve it');
  });
}
