/** The console's Reports calls: open or closed reports with their context, and closing one. */
import { AdminReport, AdminReportsPage } from '@parley/protocol';
import type { ApiClient } from '../api.js';

export function listReports(api: ApiClient, status: 'open' | 'closed'): Promise<AdminReportsPage> {
  return api.call('GET', `/api/admin/reports?status=${status}`, AdminReportsPage);
}

export function closeReport(api: ApiClient, id: string, resolution: string): Promise<AdminReport> {
  return api.call('POST', `/api/admin/reports/${encodeURIComponent(id)}/close`, AdminReport, { resolution });
}
