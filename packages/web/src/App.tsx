/**
 * The client's top level: which screen is showing, and the secrets read from the address (a
 * meeting's passcode, the setup token), which live only here, in memory. Navigation between
 * screens is client-side, so a passcode survives a detour through the sign-in page without ever
 * returning to the address bar or reaching the server before `join`. A reload of a meeting this tab
 * is in (its resume credential is in sessionStorage) skips pre-join and comes straight back.
 */
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { Account, AccountContext } from './lib/account.js';
import { NavigateContext } from './lib/nav.js';
import { loadResume, type StoredResume } from './lib/resumeStore.js';
import { parseRoute, pathOf, takeFragment, type Fragment, type Route } from './lib/route.js';
import { MeetingSession, type JoinOptions } from './lib/session.js';
import { AdminConsole } from './screens/admin/AdminConsole.js';
import { About } from './screens/About.js';
import { ErrorScreen } from './screens/ErrorScreen.js';
import { UpdateBanner } from './components/UpdateBanner.js';
import { Home } from './screens/Home.js';
import { Meeting } from './screens/Meeting.js';
import { PreJoin } from './screens/PreJoin.js';
import { Setup } from './screens/Setup.js';
import { SignIn } from './screens/SignIn.js';

interface Initial {
  route: Route;
  fragment: Fragment;
}

/** What the link to one meeting carried, kept so "Rejoin" and sign-in detours need no retyping. */
interface MeetingSecret {
  meetingId: string;
  passcode: string | null;
  isPublic: boolean;
  /** The link said the meeting is sensitive (the pre-join screen says so; the server decides). */
  sensitive: boolean;
}

/** Joining again as the stored participant: their devices as they were, opened by the session. */
function resumeOptions(stored: StoredResume): JoinOptions {
  const { meetingId, displayName, micOn, camOn, cameraId, micId, speakerId } = stored;
  return { meetingId, passcode: null, displayName, microphone: null, camera: null, micOn, camOn, cameraId, micId, speakerId, resume: stored };
}

function secretFor(route: Route, fragment: Fragment): MeetingSecret | null {
  return route.page === 'meeting' ? { meetingId: route.meetingId, passcode: fragment.passcode, isPublic: fragment.isPublic, sensitive: fragment.sensitive } : null;
}

export function App({ initial }: { initial: Initial }): ReactElement {
  const [account] = useState(() => new Account());
  const [route, setRoute] = useState<Route>(initial.route);
  const [secret, setSecret] = useState<MeetingSecret | null>(() => secretFor(initial.route, initial.fragment));
  const [setupToken, setSetupToken] = useState<string | null>(initial.fragment.setupToken);
  const [session, setSession] = useState<MeetingSession | null>(null);

  useEffect(() => void account.refresh(), [account]);

  useEffect(() => {
    const onPop = (): void => {
      const next = parseRoute(window.location.pathname, window.location.search);
      const fragment = takeFragment();
      setRoute(next);
      setSession(null);
      if (fragment.setupToken) setSetupToken(fragment.setupToken);
      // A fresh link replaces what we kept; coming back to the same meeting keeps it.
      setSecret((kept) => {
        const fresh = secretFor(next, fragment);
        if (fresh && (fresh.passcode || fresh.isPublic)) return fresh;
        return kept && next.page === 'meeting' && kept.meetingId !== next.meetingId ? null : kept;
      });
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  // Whenever the session is replaced or dropped, the old one releases its devices and connections.
  useEffect(() => () => session?.close(), [session]);

  const navigate = useCallback((to: Route) => {
    const path = pathOf(to);
    if (window.location.pathname + window.location.search !== path) window.history.pushState(null, '', path);
    setSession(null);
    if (to.page === 'home') setSecret(null);
    if (to.page === 'meeting') setSecret((kept) => (kept?.meetingId === to.meetingId ? kept : null));
    setRoute(to);
  }, []);

  const openMeeting = useCallback(
    (meetingId: string, passcode: string | null, isPublic: boolean, sensitive = false) => {
      navigate({ page: 'meeting', meetingId });
      setSecret({ meetingId, passcode, isPublic, sensitive });
    },
    [navigate],
  );

  const join = useCallback((opts: JoinOptions) => {
    const s = new MeetingSession(opts, account.api);
    setSession(s);
    if (opts.passcode) setSecret((kept) => ({ meetingId: opts.meetingId, passcode: opts.passcode, isPublic: kept?.isPublic ?? false, sensitive: kept?.sensitive ?? false }));
    void s.start();
  }, [account]);

  // A reload in a meeting: resume at once (once, even where StrictMode runs effects twice).
  const [resumeOnLoad, setResumeOnLoad] = useState(() => (initial.route.page === 'meeting' ? loadResume(initial.route.meetingId) : null));
  const resumeStarted = useRef(false);
  useEffect(() => {
    if (!resumeOnLoad || resumeStarted.current) return;
    resumeStarted.current = true;
    join(resumeOptions(resumeOnLoad));
    setResumeOnLoad(null);
  }, [resumeOnLoad, join]);

  const goHome = useCallback(() => navigate({ page: 'home' }), [navigate]);

  const screen = (): ReactElement => {
    switch (route.page) {
      case 'home':
        return <Home onJoin={openMeeting} />;
      case 'signin':
        return <SignIn next={route.next} />;
      case 'setup':
        return <Setup token={setupToken} />;
      case 'admin':
        return <AdminConsole section={route.section} />;
      case 'about':
        return <About />;
      case 'bad-link':
        return <ErrorScreen code="bad-link" onHome={goHome} />;
      case 'meeting': {
        const { meetingId } = route;
        if (session) {
          return (
            <Meeting
              session={session}
              onRejoin={(code) => {
                // A wrong passcode is not worth keeping: the pre-join screen asks for it again.
                if (code === 'meeting_access_denied') setSecret((kept) => kept && { ...kept, passcode: null });
                setSession(null);
              }}
              onHome={goHome}
              onSignIn={() => navigate({ page: 'signin', next: pathOf(route) })}
            />
          );
        }
        if (resumeOnLoad) {
          return (
            <main className="center-screen">
              <div className="joining" role="status">
                <span className="spinner" aria-hidden="true" /> Rejoining…
              </div>
            </main>
          );
        }
        const kept = secret?.meetingId === meetingId ? secret : null;
        return (
          <PreJoin
            key={meetingId}
            meetingId={meetingId}
            passcode={kept?.passcode ?? null}
            isPublic={kept?.isPublic ?? false}
            sensitive={kept?.sensitive ?? false}
            onJoin={join}
          />
        );
      }
    }
  };

  return (
    <AccountContext value={account}>
      <NavigateContext value={navigate}>
        <UpdateBanner />
        {screen()}
      </NavigateContext>
    </AccountContext>
  );
}

export function readInitialRoute(): Initial {
  const route = parseRoute(window.location.pathname, window.location.search);
  return { route, fragment: takeFragment() };
}
