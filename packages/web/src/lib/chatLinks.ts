/**
 * Chat is text (control C10). The server vets which links are clickable; the client checks again
 * before making an `<a>`: only a URL that parses and whose scheme is `https:` ever becomes one.
 * Also the composer's hint: whether the text the person is typing holds a link attempt the
 * meeting's policy will refuse or hold.
 */
import { findLinkAttempts, type LinkPolicy } from '@parley/protocol';

/** The href to use for a vetted link segment, or null to show it as text. */
export function safeHttpsHref(link: string): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  return url.protocol === 'https:' && !url.username && !url.password ? url.href : null;
}

export type LinkHint = 'blocked' | 'held' | 'text-only' | null;

/**
 * What will happen to the links in `text` before it is sent. Moderators' links are never held;
 * under `allow`, links that are not plain `https:` links to listed domains stay text (and UNC paths
 * or scripts alert the moderators).
 */
export function linkHint(text: string, policy: LinkPolicy, trusted: boolean): LinkHint {
  if (trusted) return null;
  const attempts = findLinkAttempts(text);
  if (attempts.length === 0) return null;
  if (policy === 'block') return 'blocked';
  if (policy === 'hold') return 'held';
  return attempts.some((a) => a.dangerous) ? 'text-only' : null;
}

export const LINK_HINT_TEXT: Record<Exclude<LinkHint, null>, string> = {
  blocked: 'Links aren’t allowed in this meeting’s chat.',
  held: 'Messages with links wait for a moderator’s approval.',
  'text-only': 'File shares and scripts are never clickable; moderators are told about them.',
};
