/** The console's Clients section (being built: see issue 10). */
import type { ReactElement } from 'react';

export function ClientsSection(): ReactElement {
  return (
    <section className="card stack" aria-labelledby="admin-clients-title">
      <h2 id="admin-clients-title">Clients</h2>
      <p className="muted">Not available yet.</p>
    </section>
  );
}
