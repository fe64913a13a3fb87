/** The console's Policy and Clients sections: their `/api/admin/...` calls. */
import { AdminClientsView, AdminPolicyView, type OrgPolicy } from '@parley/protocol';
import type { ApiClient } from '../api.js';

export function loadPolicy(api: ApiClient): Promise<AdminPolicyView> {
  return api.call('GET', '/api/admin/policy', AdminPolicyView);
}

export function savePolicy(api: ApiClient, policy: OrgPolicy): Promise<AdminPolicyView> {
  return api.call('PUT', '/api/admin/policy', AdminPolicyView, policy);
}

export function loadClients(api: ApiClient, hours = 24): Promise<AdminClientsView> {
  return api.call('GET', `/api/admin/clients?hours=${hours}`, AdminClientsView);
}
