/**
 * About Parley: this server's build, this page's client build, and what the server is made of (its
 * CycloneDX SBOM, written at build time). Signed-in people see the builds and the SBOM's size; the
 * component list and the download are for administrators (a version list is a map for attackers).
 */
import { useEffect, useState, type ReactElement } from 'react';
import type { AboutInfo } from '@parley/protocol';
import { AccountBar } from '../components/AccountBar.js';
import { Link } from '../components/Link.js';
import { useAccount } from '../lib/account.js';
import { fetchAbout } from '../lib/aboutApi.js';
import { ApiRequestError } from '../lib/api.js';
import { downloadSbom } from '../lib/admin/postureApi.js';
import { CLIENT_BUILD } from '../lib/socket.js';

function Components({ about }: { about: AboutInfo }): ReactElement | null {
  const [filter, setFilter] = useState('');
  if (!about.components) return null;
  const shown = about.components.filter((c) => c.name.includes(filter.trim().toLowerCase()));
  return (
    <div className="stack">
      <h2>Components</h2>
      <input className="input" type="search" placeholder="Filter by name" aria-label="Filter components" value={filter} onChange={(e) => setFilter(e.target.value)} />
      <div className="admin-table-wrap">
        <table className="admin-table" data-testid="about-components">
          <thead>
            <tr>
              <th scope="col">Package</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={`${c.name}@${c.version}`}>
                <td className="mono small">{c.name}</td>
                <td className="mono small">{c.version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

export function About(): ReactElement {
  const { account, state } = useAccount();
  const [about, setAbout] = useState<AboutInfo | null>(null);
  const [error, setError] = useState<string | null>(null);
  const signedIn = Boolean(state.user);

  useEffect(() => {
    if (!signedIn) return;
    fetchAbout(account.api).then(setAbout, (err: unknown) => {
      account.noteFailure(err);
      setError(err instanceof ApiRequestError ? err.message : 'The server’s build could not be read.');
    });
  }, [account, signedIn]);

  const download = (): void => {
    if (!about) return;
    downloadSbom(account.api, about.serverBuild).catch((err: unknown) => setError(err instanceof ApiRequestError ? err.message : 'The SBOM could not be downloaded.'));
  };

  return (
    <div className="page">
      <AccountBar here={{ page: 'about' }} />
      <main className="narrow">
        <section className="card stack">
          <h1>About Parley</h1>
          <p className="muted">Self-hostable web meetings, secure by default.</p>
          <dl className="about-facts">
            <dt>This page (client build)</dt>
            <dd className="mono" data-testid="about-client-build">
              {CLIENT_BUILD}
            </dd>
            <dt>Server build</dt>
            <dd className="mono" data-testid="about-server-build">
              {about?.serverBuild ?? (signedIn ? '…' : '—')}
            </dd>
            {about && (
              <>
                <dt>Software bill of materials</dt>
                <dd data-testid="about-sbom">
                  {about.sbom.available ? `${about.sbom.bomFormat} ${about.sbom.specVersion}, ${about.sbom.componentCount} components${about.sbom.generatedAt ? `, generated ${new Date(about.sbom.generatedAt).toLocaleString()}` : ''}` : `not available: ${about.sbom.reason}`}
                </dd>
              </>
            )}
          </dl>
          {!signedIn && state.status !== 'loading' && (
            <p>
              <Link to={{ page: 'signin', next: '/about' }}>Sign in</Link> to see the server’s build.
            </p>
          )}
          {error && (
            <p className="error-text" role="alert">
              {error}
            </p>
          )}
          {about?.components && about.sbom.available && (
            <p>
              <button type="button" className="btn" onClick={download} data-testid="about-sbom-download">
                Download the SBOM (CycloneDX JSON)
              </button>
            </p>
          )}
          {about && <Components about={about} />}
        </section>
      </main>
    </div>
  );
}
