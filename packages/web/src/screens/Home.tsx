/**
 * The start page. Members (and administrators) create meetings; everyone else is told that hosting
 * needs an organization account. Joining by meeting ID and passcode is always there. A fresh
 * install says where to find its one-time setup link.
 */
import type { ReactElement } from 'react';
import { AccountBar } from '../components/AccountBar.js';
import { CreateMeeting } from '../components/CreateMeeting.js';
import { JoinById } from '../components/JoinById.js';
import { MyMeetings } from '../components/home/MyMeetings.js';
import { Link } from '../components/Link.js';
import { canHost, useAccount } from '../lib/account.js';
import type { OnJoin } from '../lib/route.js';

function HostingCard(): ReactElement {
  const { state } = useAccount();
  if (state.status === 'loading') {
    return (
      <section className="card" aria-busy="true">
        <h1>Start a meeting</h1>
        <p className="muted">Checking your account…</p>
      </section>
    );
  }
  if (state.setupRequired) {
    return (
      <section className="card stack" data-testid="setup-required">
        <h1>Finish setting up Parley</h1>
        <p>This server has no administrator yet, so nobody can host meetings.</p>
        <p className="muted">
          When the server started it printed a one-time setup link in its console (it ends in <span className="mono">/setup#token=…</span>). Open that link
          to create the first administrator.
        </p>
      </section>
    );
  }
  if (state.user) {
    return (
      <section className="card stack" data-testid="external-cannot-host">
        <h1>Start a meeting</h1>
        <p>Your account is external to the organization: you can join meetings, but only members host them.</p>
      </section>
    );
  }
  return (
    <section className="card stack" data-testid="sign-in-to-host">
      <h1>Start a meeting</h1>
      <p>Hosting a meeting requires an organization account, so every meeting has a known, accountable host.</p>
      <p className="muted small">You can join a meeting without an account if its host allows guests.</p>
      <div className="row">
        <Link to={{ page: 'signin', next: '/' }} className="btn btn-primary" testId="home-sign-in">
          Sign in to host
        </Link>
      </div>
    </section>
  );
}

export function Home({ onJoin }: { onJoin: OnJoin }): ReactElement {
  const { state } = useAccount();
  return (
    <div className="page">
      <AccountBar here={{ page: 'home' }} />
      <main className="home">
        <div className="home-grid">
          {canHost(state.user) ? <CreateMeeting onJoin={onJoin} /> : <HostingCard />}
          <JoinById onJoin={onJoin} />
        </div>
        {canHost(state.user) && <MyMeetings onJoin={onJoin} />}
      </main>
    </div>
  );
}
