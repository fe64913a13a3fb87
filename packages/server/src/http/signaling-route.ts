/**
 * The WebSocket endpoint `/ws`. Browsers must come from this origin (no cross-site WebSocket
 * hijacking); each socket gets a SignalingConnection.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '@parley/protocol';
import { SignalingConnection, type ConnectionDeps } from '../signaling/connection.js';

function sameOrigin(request: FastifyRequest, publicUrl: string | undefined): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true; // not a browser: no ambient credentials to hijack
  const expected = publicUrl ? new URL(publicUrl).origin : `${request.protocol}://${request.host}`;
  return origin === expected;
}

export function signalingRoute(
  app: FastifyInstance,
  deps: ConnectionDeps & { publicUrl: string | undefined; connections: Set<SignalingConnection> },
): void {
  app.get(
    '/ws',
    {
      websocket: true,
      preValidation: async (request) => {
        if (!sameOrigin(request, deps.publicUrl)) {
          request.log.warn({ origin: request.headers.origin }, 'cross-origin WebSocket refused');
          throw new ParleyError('forbidden', 'cross-origin WebSocket');
        }
      },
    },
    (socket, request) => {
      const connection = new SignalingConnection(socket, request.ip, deps);
      deps.connections.add(connection);
      socket.on('close', () => deps.connections.delete(connection));
    },
  );
}
