/** The console's People calls: the accounts list and what an administrator does to an account. */
import { AdminUserResult, AdminUsersPage, type OrgRole } from '@parley/protocol';
import type { ApiClient } from '../api.js';

export interface UsersFilter {
  q: string;
  role: OrgRole | '';
  disabled: '' | 'true' | 'false';
  cursor: string | null;
  limit: number;
}

export function listUsers(api: ApiClient, filter: UsersFilter): Promise<AdminUsersPage> {
  const params = new URLSearchParams({ limit: String(filter.limit) });
  if (filter.q.trim()) params.set('q', filter.q.trim());
  if (filter.role) params.set('role', filter.role);
  if (filter.disabled) params.set('disabled', filter.disabled);
  if (filter.cursor) params.set('cursor', filter.cursor);
  return api.call('GET', `/api/admin/users?${params.toString()}`, AdminUsersPage);
}

const path = (id: string, action: string): string => `/api/admin/users/${encodeURIComponent(id)}/${action}`;

export function setDisabled(api: ApiClient, id: string, disabled: boolean): Promise<AdminUserResult> {
  return api.call('POST', path(id, disabled ? 'disable' : 'enable'), AdminUserResult, {});
}

export function resetPassword(api: ApiClient, id: string, password: string): Promise<AdminUserResult> {
  return api.call('POST', path(id, 'reset-password'), AdminUserResult, { password });
}

export function changeRole(api: ApiClient, id: string, orgRole: OrgRole): Promise<AdminUserResult> {
  return api.call('POST', path(id, 'role'), AdminUserResult, { orgRole });
}
