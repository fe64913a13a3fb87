/** The console's Audit section (being built: see issue 10). */
import type { ReactElement } from 'react';

export function AuditSection(): ReactElement {
  return (
    <section className="card stack" aria-labelledby="admin-audit-title">
      <h2 id="admin-audit-title">Audit</h2>
      <p className="muted">Not available yet.</p>
    </section>
  );
}
