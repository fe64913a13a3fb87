/**
 * GET /metrics: Prometheus text, for the addresses in PARLEY_METRICS_ALLOW or a scraper with
 * PARLEY_METRICS_TOKEN (metrics/access.ts). Anyone else gets exactly what an unknown path gets (the
 * endpoint's existence is not revealed); the refusal is logged at debug and never audited, so
 * anonymous traffic cannot grow the audit log.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { MetricsAccess } from '../metrics/access.js';

/**
 * The client address to match against the allow list. A request that says it was forwarded, where
 * the server did not take the forwarder's word (no PARLEY_TRUST_PROXY for it), came through a proxy
 * on the way: its address is the proxy's, not the client's, so it proves nothing (a reverse proxy
 * on this machine would otherwise make every visitor look like 127.0.0.1).
 */
function believableAddress(request: FastifyRequest): string | undefined {
  const h = request.headers;
  const saysForwarded = h['x-forwarded-for'] !== undefined || h.forwarded !== undefined || h['x-real-ip'] !== undefined;
  return saysForwarded && request.ip === request.socket.remoteAddress ? undefined : request.ip;
}

export function metricsRoute(app: FastifyInstance, deps: { access: MetricsAccess; metrics: { scrape(): Promise<string>; readonly contentType: string } }): void {
  app.get('/metrics', async (request, reply) => {
    if (!deps.access.allows(believableAddress(request), request.headers.authorization)) {
      request.log.debug({ clientAddress: request.ip }, 'metrics scrape refused');
      return reply.callNotFound();
    }
    const text = await deps.metrics.scrape();
    return reply.type(deps.metrics.contentType).header('cache-control', 'no-store').send(text);
  });
}
