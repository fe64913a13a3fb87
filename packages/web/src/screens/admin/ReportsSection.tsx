/** The console's Reports section (being built: see issue 10). */
import type { ReactElement } from 'react';

export function ReportsSection(): ReactElement {
  return (
    <section className="card stack" aria-labelledby="admin-reports-title">
      <h2 id="admin-reports-title">Reports</h2>
      <p className="muted">Not available yet.</p>
    </section>
  );
}
