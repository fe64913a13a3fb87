/**
 * Several nodes: shared files live in the meeting's room, on the meeting's node. A file upload or
 * download that the load balancer sent to another node is forwarded there (after this node's own
 * checks: body size, CSRF), and the answer passed back as it came: the meeting's node decides, with
 * the participant token, exactly as if it had been reached directly.
 */
import type { FastifyInstance } from 'fastify';
import type { RoomRegistry } from '../rooms/registry.js';
import type { Cluster } from './cluster.js';

const FILES = /^\/api\/meetings\/([^/?]+)\/files(?:\/[^/?]+)?(?:\?|$)/;
/** What the meeting's node answers with that the browser needs (downloads' safety headers included). */
const PASSED_BACK = ['content-type', 'content-disposition', 'x-content-type-options', 'content-security-policy', 'cache-control', 'retry-after'];
const FORWARD_TIMEOUT_MS = 30_000;

export function filesRelay(app: FastifyInstance, deps: { cluster: Cluster; rooms: RoomRegistry }): void {
  if (!deps.cluster.clustered) return;
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'POST') return;
    const match = FILES.exec(request.url);
    if (!match?.[1]) return;
    const meetingId = decodeURIComponent(match[1]);
    const room = deps.rooms.get(meetingId);
    if (room && !room.closed) return;
    const owner = await deps.cluster.locate(meetingId);
    if (!owner) return;
    const participant = request.headers['x-parley-participant'];
    const contentType = request.headers['content-type'];
    const body = request.method === 'POST' && Buffer.isBuffer(request.body) ? new Uint8Array(request.body) : undefined;
    const res = await fetch(`${owner.url.replace(/\/$/, '')}${request.url}`, {
      method: request.method,
      headers: {
        ...(typeof participant === 'string' ? { 'x-parley-participant': participant } : {}),
        ...(typeof contentType === 'string' && body ? { 'content-type': contentType } : {}),
      },
      ...(body ? { body } : {}),
      redirect: 'manual',
      signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS),
    });
    reply.code(res.status);
    for (const name of PASSED_BACK) {
      const value = res.headers.get(name);
      if (value !== null) reply.header(name, value);
    }
    await reply.send(Buffer.from(await res.arrayBuffer()));
    return reply;
  });
}
