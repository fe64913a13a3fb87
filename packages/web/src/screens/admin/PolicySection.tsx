/** The console's Policy section (being built: see issue 10). */
import type { ReactElement } from 'react';

export function PolicySection(): ReactElement {
  return (
    <section className="card stack" aria-labelledby="admin-policy-title">
      <h2 id="admin-policy-title">Policy</h2>
      <p className="muted">Not available yet.</p>
    </section>
  );
}
