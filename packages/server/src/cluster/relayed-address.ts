/**
 * The client address of a signaling upgrade: the socket's (request.ip, with PARLEY_TRUST_PROXY), or,
 * on a socket another node relays here, the address that node vouches for (X-Parley-Relay). A header
 * that does not verify refuses the upgrade: nobody talks their way into another address.
 */
import { ParleyError } from '@parley/protocol';
import type { FastifyRequest } from 'fastify';
import type { Cluster } from './cluster.js';

export function relayedClientAddress(request: FastifyRequest, cluster: Cluster | undefined): string {
  const header = request.headers['x-parley-relay'];
  if (header === undefined) return request.ip;
  const relayed = cluster ? cluster.verifyRelay(header) : 'invalid';
  if (relayed === null) return request.ip;
  if (relayed === 'invalid') {
    request.log.warn('a signaling upgrade with an invalid relay header refused');
    throw new ParleyError('forbidden', 'invalid relay');
  }
  return relayed.clientAddress;
}
