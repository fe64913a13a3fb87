/** The one check in front of every `/api/admin/...` route: a signed-in organization administrator. */
import { ParleyError } from '@parley/protocol';
import type { FastifyRequest } from 'fastify';
import type { UserRecord } from '../accounts/users.js';

export function requireAdmin(request: FastifyRequest): UserRecord {
  const user = request.parleySession?.user;
  if (!user) throw new ParleyError('sign_in_required');
  if (user.org_role !== 'admin') throw new ParleyError('forbidden', 'administrators only');
  return user;
}
