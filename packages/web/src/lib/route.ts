/**
 * The two addresses the client knows: `/` and `/m/<meeting id>`. The passcode arrives in the
 * fragment (`#pwd=`) and is taken out of the address bar at once, so it is neither shoulder-surfed
 * nor kept in history.
 */
import { MEETING_ID_PATTERN, normaliseMeetingId } from '@parley/protocol';

export type Route = { page: 'home' } | { page: 'meeting'; meetingId: string } | { page: 'bad-link' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  const m = /^\/m\/([^/]+)\/?$/.exec(pathname);
  if (!m?.[1]) return { page: 'bad-link' };
  const id = normaliseMeetingId(decodeURIComponent(m[1]));
  return MEETING_ID_PATTERN.test(id) ? { page: 'meeting', meetingId: id } : { page: 'bad-link' };
}

/** Reads `#pwd=` from the current address and removes the fragment from it. */
export function takePasscodeFromHash(): string | null {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash) return null;
  const pwd = new URLSearchParams(hash).get('pwd');
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return pwd && pwd.length <= 128 ? pwd : null;
}

export function meetingPath(meetingId: string): string {
  return `/m/${meetingId}`;
}

/** Accepts a meeting ID or a whole join link; returns the ID and any passcode in the link. */
export function parseJoinInput(input: string): { meetingId: string; passcode: string | null } | null {
  const text = input.trim();
  const link = /\/m\/([0-9a-z-]+)(?:#pwd=([^&\s]+))?/i.exec(text);
  const id = normaliseMeetingId(link?.[1] ?? text);
  if (!MEETING_ID_PATTERN.test(id)) return null;
  return { meetingId: id, passcode: link?.[2] ? decodeURIComponent(link[2]) : null };
}
