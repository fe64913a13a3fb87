/**
 * The administrators' console: one page with a navigation bar over its sections (People, Policy,
 * Clients, Audit, Reports, Posture). Each section is its own component in this folder and talks to
 * its own `/api/admin/...` routes; the server refuses anyone but an administrator whatever the page shows.
 */
import type { ReactElement } from 'react';
import { AccountBar } from '../../components/AccountBar.js';
import { Link } from '../../components/Link.js';
import { useAccount } from '../../lib/account.js';
import { ADMIN_SECTIONS, pathOf, type AdminSection } from '../../lib/route.js';
import { AuditSection } from './AuditSection.js';
import { ClientsSection } from './ClientsSection.js';
import { PeopleSection } from './PeopleSection.js';
import { PolicySection } from './PolicySection.js';
import { PostureSection } from './PostureSection.js';
import { ReportsSection } from './ReportsSection.js';

const LABEL: Record<AdminSection, string> = {
  people: 'People',
  policy: 'Policy',
  clients: 'Clients',
  audit: 'Audit',
  reports: 'Reports',
  posture: 'Posture',
};

function Section({ section }: { section: AdminSection }): ReactElement {
  switch (section) {
    case 'people':
      return <PeopleSection />;
    case 'policy':
      return <PolicySection />;
    case 'clients':
      return <ClientsSection />;
    case 'audit':
      return <AuditSection />;
    case 'reports':
      return <ReportsSection />;
    case 'posture':
      return <PostureSection />;
  }
}

export function AdminConsole({ section }: { section: AdminSection }): ReactElement {
  const { state } = useAccount();
  const here = { page: 'admin', section } as const;
  return (
    <div className="page">
      <AccountBar here={here} />
      <main className="admin-console">
        <h1>Administration</h1>
        {state.status === 'loading' ? (
          <p className="muted">Checking…</p>
        ) : !state.user ? (
          <p>
            <Link to={{ page: 'signin', next: pathOf(here) }}>Sign in</Link> as an administrator to manage the organization.
          </p>
        ) : state.user.orgRole !== 'admin' ? (
          <p data-testid="admin-forbidden">Only administrators manage the organization.</p>
        ) : (
          <>
            <nav className="admin-nav" aria-label="Administration">
              <ul className="admin-tabs">
                {ADMIN_SECTIONS.map((name) => (
                  <li key={name}>
                    <Link to={{ page: 'admin', section: name }} className={name === section ? 'admin-tab active' : 'admin-tab'} testId={`admin-tab-${name}`}>
                      <span aria-current={name === section ? 'page' : undefined}>{LABEL[name]}</span>
                    </Link>
                  </li>
                ))}
              </ul>
            </nav>
            <Section section={section} />
          </>
        )}
      </main>
    </div>
  );
}
