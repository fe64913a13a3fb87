/**
 * The client's addresses: `/`, `/m/<meeting id>`, `/signin?next=<path>`, `/setup`, `/about`, and the
 * administrators' console `/admin` (people) and `/admin/<section>`.
 * Secrets arrive in the fragment (`#pwd=` for a meeting's passcode, `#token=` for the one-time
 * setup token, `#public` for a meeting without a passcode, `&sensitive` for a sensitive meeting's
 * link: a hint for the pre-join screen, the server decides), are read once and taken out of the
 * address bar at once, so they are neither shoulder-surfed, kept in history, nor sent anywhere.
 */
import { MEETING_ID_PATTERN, normaliseMeetingId } from '@parley/protocol';

/** The sections of the administrators' console, in the order its navigation lists them. */
export const ADMIN_SECTIONS = ['people', 'policy', 'clients', 'audit', 'reports', 'posture'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

function adminSection(name: string): AdminSection | null {
  return (ADMIN_SECTIONS as readonly string[]).includes(name) ? (name as AdminSection) : null;
}

export type Route =
  | { page: 'home' }
  | { page: 'meeting'; meetingId: string }
  | { page: 'signin'; next: string }
  | { page: 'setup' }
  | { page: 'admin'; section: AdminSection }
  | { page: 'about' }
  | { page: 'bad-link' };

/** What a link's fragment carried. */
export interface Fragment {
  passcode: string | null;
  /** The link is to a public meeting (no passcode to ask for). */
  isPublic: boolean;
  /** The link says the meeting is sensitive (a hint until the server confirms it at join). */
  sensitive: boolean;
  setupToken: string | null;
}

export const NO_FRAGMENT: Fragment = { passcode: null, isPublic: false, sensitive: false, setupToken: null };

export function parseRoute(pathname: string, search = ''): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' };
  if (pathname === '/signin') return { page: 'signin', next: safeNext(new URLSearchParams(search).get('next')) };
  if (pathname === '/setup') return { page: 'setup' };
  if (pathname === '/admin' || pathname === '/admin/') return { page: 'admin', section: 'people' };
  if (pathname === '/about') return { page: 'about' };
  const admin = /^\/admin\/([a-z]+)\/?$/.exec(pathname);
  if (admin?.[1]) {
    const section = adminSection(admin[1]);
    return section ? { page: 'admin', section } : { page: 'bad-link' };
  }
  const m = /^\/m\/([^/]+)\/?$/.exec(pathname);
  if (!m?.[1]) return { page: 'bad-link' };
  let raw: string;
  try {
    raw = decodeURIComponent(m[1]);
  } catch {
    return { page: 'bad-link' };
  }
  const id = normaliseMeetingId(raw);
  return MEETING_ID_PATTERN.test(id) ? { page: 'meeting', meetingId: id } : { page: 'bad-link' };
}

/** The address of a route (without any secret). */
export function pathOf(route: Route): string {
  switch (route.page) {
    case 'home':
    case 'bad-link':
      return '/';
    case 'meeting':
      return meetingPath(route.meetingId);
    case 'signin':
      return route.next === '/' ? '/signin' : `/signin?next=${encodeURIComponent(route.next)}`;
    case 'setup':
      return '/setup';
    case 'admin':
      return route.section === 'people' ? '/admin' : `/admin/${route.section}`;
    case 'about':
      return '/about';
  }
}

/**
 * Where to go after signing in: only one of our own pages, never another site (`//evil`,
 * `https://…`, `/\evil`) and never back to the sign-in page itself.
 */
export function safeNext(next: string | null): string {
  if (!next) return '/';
  const route = parseRoute(next.split('?')[0] ?? '');
  return route.page === 'meeting' || route.page === 'admin' || route.page === 'about' ? pathOf(route) : '/';
}

/** Reads the current address's fragment and removes it from the address bar. */
export function takeFragment(): Fragment {
  const hash = window.location.hash.replace(/^#/, '');
  if (!hash) return NO_FRAGMENT;
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search);
  return parseFragment(hash);
}

/**
 * Parses `pwd=…&token=…&public&sensitive`. Not URLSearchParams: that reads `+` as a space, and a chosen
 * passcode may contain a `+`.
 */
export function parseFragment(hash: string): Fragment {
  const params = new Map<string, string>();
  for (const part of hash.replace(/^#/, '').split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (key && !params.has(key)) params.set(key, decode(value));
  }
  const pwd = params.get('pwd');
  const token = params.get('token');
  return {
    passcode: pwd && pwd.length <= 128 ? pwd : null,
    isPublic: params.has('public'),
    sensitive: params.has('sensitive'),
    setupToken: token && token.length <= 200 ? token : null,
  };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

export function meetingPath(meetingId: string): string {
  return `/m/${meetingId}`;
}

/** Opens a meeting's pre-join screen with what its link said (passcode, public, sensitive). */
export type OnJoin = (meetingId: string, passcode: string | null, isPublic: boolean, sensitive?: boolean) => void;

/** Accepts a meeting ID or a whole join link; returns the ID and any passcode in the link. */
export function parseJoinInput(input: string): { meetingId: string; passcode: string | null; isPublic: boolean; sensitive: boolean } | null {
  const text = input.trim();
  const link = /\/m\/([0-9a-z-]+)(#\S*)?/i.exec(text);
  const id = normaliseMeetingId(link?.[1] ?? text);
  if (!MEETING_ID_PATTERN.test(id)) return null;
  const fragment = link?.[2] ? parseFragment(link[2]) : NO_FRAGMENT;
  return { meetingId: id, passcode: fragment.passcode, isPublic: fragment.isPublic, sensitive: fragment.sensitive };
}
