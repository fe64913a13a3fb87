/**
 * The WebSocket endpoint `/ws`. Browsers must come from this origin (no cross-site WebSocket
 * hijacking); each socket gets a SignalingConnection knowing who signed in.
 */
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '@parley/protocol';
import { SignalingConnection, type ConnectionDeps } from '../signaling/connection.js';
import { DEVICE_COOKIE, expectedOrigin } from './session.js';

export function signalingRoute(
  app: FastifyInstance,
  deps: ConnectionDeps & { publicUrl: string | undefined; connections: Set<SignalingConnection> },
): void {
  app.get(
    '/ws',
    {
      websocket: true,
      preValidation: async (request) => {
        const origin = request.headers.origin;
        // No Origin: not a browser, so no ambient credentials to hijack.
        if (origin !== undefined && origin !== expectedOrigin(request, deps.publicUrl)) {
          request.log.warn({ origin }, 'cross-origin WebSocket refused');
          throw new ParleyError('forbidden', 'cross-origin WebSocket');
        }
      },
    },
    (socket, request) => {
      const deviceId = request.cookies[DEVICE_COOKIE];
      const connection = new SignalingConnection(
        socket,
        { clientAddress: request.ip, user: request.parleySession?.user, deviceId: deviceId && /^[A-Za-z0-9_-]{20,64}$/.test(deviceId) ? deviceId : null },
        deps,
      );
      deps.connections.add(connection);
      socket.on('close', () => deps.connections.delete(connection));
    },
  );
}
