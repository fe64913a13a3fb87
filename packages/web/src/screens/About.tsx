/** About Parley: this server's build and what it is made of (being built: see issue 10). */
import type { ReactElement } from 'react';
import { AccountBar } from '../components/AccountBar.js';

export function About(): ReactElement {
  return (
    <div className="page">
      <AccountBar here={{ page: 'about' }} />
      <main className="narrow">
        <section className="card stack">
          <h1>About Parley</h1>
        </section>
      </main>
    </div>
  );
}
