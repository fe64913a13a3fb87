/** The administrators' accounts routes: list and search, disable and enable, reset password, change role. */
import { AdminUsersQuery, ChangeRoleRequest, ParleyError, ResetPasswordRequest, type AdminUserResult, type AdminUsersPage } from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AccountAdmin, AdminActor } from '../accounts/account-admin.js';
import { parseBody } from './parse-body.js';
import { requireAdmin } from './require-admin.js';

function actorOf(request: FastifyRequest): AdminActor {
  return { user: requireAdmin(request), clientAddress: request.ip };
}

/** The `:id` path parameter: an opaque account ID as the server mints them. */
function accountId(request: FastifyRequest): string {
  const id = (request.params as { id?: unknown }).id;
  if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new ParleyError('not_found', 'no account with this ID');
  return id;
}

export function accountsAdminRoutes(app: FastifyInstance, deps: { accountAdmin: AccountAdmin }): void {
  const admin = deps.accountAdmin;

  app.get('/api/admin/users', async (request, reply) => {
    requireAdmin(request);
    const query = parseBody(AdminUsersQuery, request.query);
    const page: AdminUsersPage = await admin.list(query);
    return reply.header('cache-control', 'no-store').send(page);
  });

  app.post('/api/admin/users/:id/disable', async (request, reply) => {
    const actor = actorOf(request);
    const result: AdminUserResult = await admin.disable(actor, accountId(request));
    return reply.header('cache-control', 'no-store').send(result);
  });

  app.post('/api/admin/users/:id/enable', async (request, reply) => {
    const actor = actorOf(request);
    const result: AdminUserResult = await admin.enable(actor, accountId(request));
    return reply.header('cache-control', 'no-store').send(result);
  });

  app.post('/api/admin/users/:id/reset-password', async (request, reply) => {
    const actor = actorOf(request);
    const body = parseBody(ResetPasswordRequest, request.body);
    const result: AdminUserResult = await admin.resetPassword(actor, accountId(request), body.password);
    return reply.header('cache-control', 'no-store').send(result);
  });

  app.post('/api/admin/users/:id/role', async (request, reply) => {
    const actor = actorOf(request);
    const body = parseBody(ChangeRoleRequest, request.body);
    const result: AdminUserResult = await admin.changeRole(actor, accountId(request), body.orgRole);
    return reply.header('cache-control', 'no-store').send(result);
  });
}
