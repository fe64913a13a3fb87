/**
 * The WebSocket endpoint `/ws`. Browsers must come from this origin (no cross-site WebSocket
 * hijacking); one client address may hold only so many sockets (lobby sockets included); each
 * socket gets a SignalingConnection knowing who signed in.
 */
import type { FastifyInstance } from 'fastify';
import { ParleyError } from '@parley/protocol';
import { SignalingConnection, type ConnectionDeps } from '../signaling/connection.js';
import { addressKey } from '../util/address.js';
import { DEVICE_COOKIE, expectedOrigin, validDeviceId } from './session.js';
import { relayedClientAddress } from '../cluster/relayed-address.js';

export function signalingRoute(
  app: FastifyInstance,
  deps: ConnectionDeps & { publicUrl: string | undefined; connections: Set<SignalingConnection>; maxConnectionsPerAddress: number },
): void {
  // Sockets per address, reserved before the upgrade and released when the TCP connection closes.
  const perAddress = new Map<string, number>();
  const release = (address: string): void => {
    const left = (perAddress.get(address) ?? 1) - 1;
    if (left <= 0) perAddress.delete(address);
    else perAddress.set(address, left);
  };
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
        const address = addressKey(relayedClientAddress(request, deps.cluster));
        const open = perAddress.get(address) ?? 0;
        if (open >= deps.maxConnectionsPerAddress) {
          request.log.warn({ clientAddress: address, open }, 'too many sockets from one address');
          throw new ParleyError('rate_limited', 'too many open connections from your address; close a tab and retry');
        }
        perAddress.set(address, open + 1);
        let released = false;
        request.raw.socket.once('close', () => {
          if (released) return;
          released = true;
          release(address);
        });
      },
    },
    (socket, request) => {
      const connection = new SignalingConnection(
        socket,
        {
          clientAddress: relayedClientAddress(request, deps.cluster),
          user: request.parleySession?.user,
          deviceId: validDeviceId(request.cookies[DEVICE_COOKIE]),
          userAgent: request.headers['user-agent'],
          cookie: request.headers.cookie,
        },
        deps,
      );
      deps.connections.add(connection);
      socket.on('close', () => deps.connections.delete(connection));
    },
  );
}
