/** The console's Audit section talking to GET /api/admin/audit and /api/admin/audit/status. */
import { AuditPage, AuditStatusView } from '@parley/protocol';
import type { ApiClient } from '../api.js';

/** What the section's filter form holds: empty strings are "any". Dates are local calendar days (YYYY-MM-DD). */
export interface AuditFilters {
  meetingId: string;
  person: string;
  action: string;
  fromDate: string;
  toDate: string;
}

export const NO_FILTERS: AuditFilters = { meetingId: '', person: '', action: '', fromDate: '', toDate: '' };

/** A local calendar day's first (or last) millisecond, as ISO 8601 UTC. */
function dayBound(date: string, end: boolean): string | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) return undefined;
  const [, y, m, d] = match;
  const at = end ? new Date(Number(y), Number(m) - 1, Number(d), 23, 59, 59, 999) : new Date(Number(y), Number(m) - 1, Number(d));
  return at.toISOString();
}

/** The query string for one page of events matching `filters`, older than `before` when given. */
export function auditQuery(filters: AuditFilters, before: number | null, limit = 50): string {
  const params = new URLSearchParams();
  if (filters.meetingId.trim()) params.set('meetingId', filters.meetingId.trim());
  if (filters.person.trim()) params.set('person', filters.person.trim());
  if (filters.action.trim()) params.set('action', filters.action.trim());
  const from = dayBound(filters.fromDate, false);
  const to = dayBound(filters.toDate, true);
  if (from) params.set('from', from);
  if (to) params.set('to', to);
  if (before !== null) params.set('before', String(before));
  params.set('limit', String(limit));
  return params.toString();
}

export function fetchAuditPage(api: ApiClient, filters: AuditFilters, before: number | null): Promise<AuditPage> {
  return api.call('GET', `/api/admin/audit?${auditQuery(filters, before)}`, AuditPage);
}

export function fetchAuditStatus(api: ApiClient): Promise<AuditStatusView> {
  return api.call('GET', '/api/admin/audit/status', AuditStatusView);
}
