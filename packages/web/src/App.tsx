/**
 * The client's top level: which screen is showing. Routes are `/` and `/m/<id>`; the pre-join
 * screen becomes the meeting screen when a session starts, and a session's end offers rejoining.
 */
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { meetingPath, parseRoute, takePasscodeFromHash, type Route } from './lib/route.js';
import { MeetingSession, type JoinOptions } from './lib/session.js';
import { ErrorScreen } from './screens/ErrorScreen.js';
import { Home } from './screens/Home.js';
import { Meeting } from './screens/Meeting.js';
import { PreJoin } from './screens/PreJoin.js';

interface Initial {
  route: Route;
  passcode: string | null;
}

export function App({ initial }: { initial: Initial }): ReactElement {
  const [route, setRoute] = useState<Route>(initial.route);
  // Kept in memory only, so "Rejoin" works without the passcode ever returning to the address bar.
  const [passcode, setPasscode] = useState<string | null>(initial.passcode);
  const [session, setSession] = useState<MeetingSession | null>(null);

  useEffect(() => {
    const onPop = (): void => {
      setRoute(parseRoute(window.location.pathname));
      setPasscode(takePasscodeFromHash());
      setSession(null);
    };
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  // Whenever the session is replaced or dropped, the old one releases its devices and connections.
  useEffect(() => () => session?.close(), [session]);

  const goHome = useCallback(() => {
    window.history.pushState(null, '', '/');
    setSession(null);
    setPasscode(null);
    setRoute({ page: 'home' });
  }, []);

  const openMeeting = useCallback((meetingId: string, pwd: string | null) => {
    window.history.pushState(null, '', meetingPath(meetingId));
    setPasscode(pwd);
    setRoute({ page: 'meeting', meetingId });
  }, []);

  const join = useCallback((opts: JoinOptions) => {
    const s = new MeetingSession(opts);
    setSession(s);
    if (opts.passcode) setPasscode(opts.passcode);
    void s.start();
  }, []);

  if (route.page === 'home') return <Home onJoin={openMeeting} />;
  if (route.page === 'bad-link') return <ErrorScreen code="bad-link" onHome={goHome} />;
  if (session) return <Meeting session={session} onRejoin={() => setSession(null)} onHome={goHome} />;
  return <PreJoin key={route.meetingId} meetingId={route.meetingId} passcode={passcode} onJoin={join} />;
}

export function readInitialRoute(): Initial {
  const route = parseRoute(window.location.pathname);
  return { route, passcode: takePasscodeFromHash() };
}
