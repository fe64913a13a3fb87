/**
 * Where a single sign-on may send the browser afterwards: only one of our own pages (a meeting,
 * the administrators' console, About), by the same rules as the web client's `safeNext`; anything
 * else (another site, `//evil`, `/\evil`, the sign-in page itself) becomes `/`.
 */
import { MEETING_ID_PATTERN, normaliseMeetingId } from '@parley/protocol';

export function safeNext(next: string | undefined | null): string {
  if (!next) return '/';
  const path = next.split('?')[0] ?? '';
  if (path === '/about') return '/about';
  if (path === '/admin' || path === '/admin/') return '/admin';
  const admin = /^\/admin\/([a-z]{1,32})\/?$/.exec(path);
  if (admin?.[1]) return `/admin/${admin[1]}`;
  const meeting = /^\/m\/([^/]{1,128})\/?$/.exec(path);
  if (meeting?.[1]) {
    let raw: string;
    try {
      raw = decodeURIComponent(meeting[1]);
    } catch {
      return '/';
    }
    const id = normaliseMeetingId(raw);
    if (MEETING_ID_PATTERN.test(id)) return `/m/${id}`;
  }
  return '/';
}
