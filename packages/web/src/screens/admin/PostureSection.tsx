/** The console's Posture section (being built: see issue 10). */
import type { ReactElement } from 'react';

export function PostureSection(): ReactElement {
  return (
    <section className="card stack" aria-labelledby="admin-posture-title">
      <h2 id="admin-posture-title">Posture</h2>
      <p className="muted">Not available yet.</p>
    </section>
  );
}
