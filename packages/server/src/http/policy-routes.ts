/**
 * The organization's policy (administrators) and the Clients view, and the public part of the
 * policy every user may read. Every change goes through PolicyStore.update (audited with before and
 * after); a policy that contradicts itself or the server is refused whole (`policy_conflict`, audited).
 */
import { OrgPolicy, ParleyError, type AdminClientsView, type AdminPolicyView, type PublicPolicy } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import { meetsMinimum, versionOf, type ClientBuilds } from '../clients/builds.js';
import type { ClientRegistry } from '../clients/registry.js';
import { CLASS_MINIMUMS, SAFE_DEFAULTS } from '../meetings/settings.js';
import { policyConflicts } from '../policy/conflicts.js';
import type { PolicyStore } from '../policy/policy-store.js';
import type { AuditLog } from '../storage/audit.js';
import { parseBody } from './parse-body.js';
import { requireAdmin } from './require-admin.js';

export interface PolicyRouteDeps {
  policy: PolicyStore;
  audit: AuditLog;
  builds: ClientBuilds;
  clients: ClientRegistry;
  /** Whether single sign-on is configured (local passwords may be turned off only then). */
  ssoConfigured: () => boolean;
}

const HOUR = 3_600_000;

/** Why this policy cannot be stored, in words; empty when it can. */
function refusals(policy: OrgPolicy, deps: PolicyRouteDeps): string[] {
  const found = policyConflicts(policy);
  if (!policy.localPasswords && !deps.ssoConfigured()) found.push('localPasswords cannot be turned off before single sign-on is configured (nobody could sign in)');
  if (policy.minimumClientBuild !== null && !meetsMinimum(deps.builds.served, policy.minimumClientBuild)) {
    found.push(`minimumClientBuild ${policy.minimumClientBuild} is above the build this server serves (${versionOf(deps.builds.served) ?? deps.builds.served}): every client would be refused`);
  }
  return found;
}

export function policyRoutes(app: FastifyInstance, deps: PolicyRouteDeps): void {
  const { e2ee: _e2ee, ...sensitiveMinimum } = CLASS_MINIMUMS.sensitive;
  void _e2ee;
  const view = (): AdminPolicyView => ({
    policy: deps.policy.current(),
    ssoConfigured: deps.ssoConfigured(),
    servedBuild: deps.builds.served,
    safeDefaults: SAFE_DEFAULTS,
    sensitiveMinimum,
  });

  app.get('/api/admin/policy', async (request, reply) => {
    requireAdmin(request);
    return reply.header('cache-control', 'no-store').send(view());
  });

  app.put('/api/admin/policy', async (request, reply) => {
    const admin = requireAdmin(request);
    const next = parseBody(OrgPolicy, request.body);
    const refused = refusals(next, deps);
    if (refused.length > 0) {
      await deps.audit.append({ actor: admin.id, action: 'policy.refused', clientAddress: request.ip, details: { refused, attempted: next } });
      throw new ParleyError('policy_conflict', refused.join('; '));
    }
    await deps.policy.update(next, { actor: admin.id, clientAddress: request.ip });
    return reply.header('cache-control', 'no-store').send(view());
  });

  app.get('/api/policy/public', async (_request, reply) => {
    const { supportContact, minimumBrowsers, locked, guestsMayModerate } = deps.policy.current();
    const body: PublicPolicy = { supportContact, minimumBrowsers, locked, guestsMayModerate };
    return reply.header('cache-control', 'no-store').send(body);
  });

  app.get('/api/admin/clients', async (request, reply) => {
    requireAdmin(request);
    const query = request.query as { hours?: unknown };
    const hours = Math.min(Math.max(Number.parseInt(typeof query.hours === 'string' ? query.hours : '24', 10) || 24, 1), 24 * 30);
    // Every node's clients (several nodes: this node's sockets and the others' shared lists).
    const now = await deps.clients.connected();
    const body: AdminClientsView = {
      servedBuild: deps.builds.served,
      minimumBuild: deps.builds.minimum(),
      connected: now.clients,
      nodes: now.nodes,
      partial: now.partial,
      samples: await deps.clients.samples(Date.now() - hours * HOUR),
    };
    return reply.header('cache-control', 'no-store').send(body);
  });
}
