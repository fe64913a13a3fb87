/**
 * The link classifier: finds every attempt to post a link in chat text, including disguised ones,
 * and cuts text into plain segments and vetted clickable links. Shared by the server (which decides)
 * and the web client (which renders only `https:` links the server vetted, and checks again).
 *
 * Disguises undone before looking: Unicode compatibility forms (NFKC) and look-alike slashes,
 * backslashes, colons and dots; invisible and control characters; percent-encoding (up to three
 * layers); HTML character references; letter case.
 */
import type { ChatSegment } from './model.js';

export type LinkAttemptKind = 'url' | 'dangerous-scheme' | 'unc' | 'domain';

export interface LinkAttempt {
  kind: LinkAttemptKind;
  /** The attempt as written in the (normalised) text. */
  text: string;
  /** Never clickable, whatever the policy: UNC paths, file:, smb:, javascript:, data:, vbscript: and disguises. */
  dangerous: boolean;
  /** Where the original text differs from its normalised form around the attempt. */
  disguised: boolean;
}

const LOOKALIKES: Record<string, string> = {
  // slashes
  '\u2044': '/', '\u2215': '/', '\u29f8': '/', '\uff0f': '/', '\u2571': '/', '\u27cb': '/', '\u3033': '/', '\u1735': '/',
  // backslashes
  '\u2216': '\\', '\u29f5': '\\', '\u29f9': '\\', '\ufe68': '\\', '\uff3c': '\\', '\u2572': '\\', '\u27cd': '\\',
  // colons
  '\u2236': ':', '\ua789': ':', '\ufe13': ':', '\ufe55': ':', '\uff1a': ':', '\u0589': ':', '\u05c3': ':', '\u02d0': ':', '\u02f8': ':', '\u1361': ':',
  // dots
  '\u3002': '.', '\uff0e': '.', '\uff61': '.', '\u2024': '.', '\u0701': '.', '\u0702': '.', '\ua4f8': '.',
};
const LOOKALIKE_PATTERN = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'gu');
// Zero-width and formatting characters, soft hyphen, C0/C1 controls (tab and newline included).
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/gu;

function decodePercent(text: string): string {
  let current = text;
  for (let i = 0; i < 3; i++) {
    const next = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    if (next === current) break;
    current = next;
  }
  return current;
}

function decodeEntities(text: string): string {
  const named: Record<string, string> = { colon: ':', sol: '/', bsol: '\\', period: '.', amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", tab: '\t', newline: '\n' };
  return text
    .replace(/&#x([0-9a-f]{1,6});?/gi, (m, hex: string) => safeChar(parseInt(hex, 16), m))
    .replace(/&#([0-9]{1,7});?/g, (m, dec: string) => safeChar(parseInt(dec, 10), m))
    .replace(/&([a-z]+);/gi, (m, name: string) => (Object.hasOwn(named, name.toLowerCase()) ? (named[name.toLowerCase()] ?? m) : m));
}

function safeChar(code: number, fallback: string): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** The text as a browser or a file explorer would read it: every disguise above undone, lower case. */
export function normaliseForLinks(text: string): string {
  let t = text.normalize('NFKC').replace(LOOKALIKE_PATTERN, (c) => LOOKALIKES[c] ?? c);
  t = decodeEntities(decodePercent(t));
  t = t.normalize('NFKC').replace(LOOKALIKE_PATTERN, (c) => LOOKALIKES[c] ?? c);
  return t.replace(INVISIBLE, '').toLowerCase();
}

const TLDS =
  'com|net|org|edu|gov|mil|int|info|biz|io|co|us|uk|de|fr|ru|cn|jp|in|br|au|ca|eu|nl|es|it|pl|se|ch|be|at|dk|no|fi|cz|pt|gr|ie|nz|za|mx|ar|kr|tw|hk|sg|me|tv|cc|ly|gl|to|xyz|top|site|online|app|dev|page|zip|mov|link|click|live|shop|store|club|tech|cloud|ai|gg|sh|ws|la|ms|su|ua|tk|ml|ga|cf|gq|pw|icu|buzz|rest|fit|work|win|bid|download|review|country|stream|gdn|men|loan|date|racing|party|science|cam|monster|quest|sbs|cfd|lol|fyi|wiki|news|email|support|help|host|space|website|one|pro|mobi|name|asia|tel|jobs|travel|museum|aero|coop|cat|ir|id|my|vn|th|ph|pk|tr|il|ae|sa|eg|ng|ke';

// Order matters: earlier patterns win where matches overlap.
const PATTERNS: { kind: LinkAttemptKind; dangerous: boolean; re: RegExp }[] = [
  { kind: 'unc', dangerous: true, re: /\\\\+[^\s\\/]+(?:[\\/][^\s]*)?/g },
  { kind: 'dangerous-scheme', dangerous: true, re: /\b(?:javascript|vbscript|livescript)\s*:\S+/g },
  { kind: 'dangerous-scheme', dangerous: true, re: /\bdata\s*:\s*(?:[a-z]+\/[a-z0-9.+-]+|[;,]|text\b|image\b|application\b)\S*/g },
  { kind: 'dangerous-scheme', dangerous: true, re: /\b(?:file|smb|cifs|nfs|afp|webdav|ms-[a-z-]+|search-ms|jar|view-source|intent)\s*:\s*[/\\]\S*/g },
  { kind: 'url', dangerous: false, re: /\b[a-z][a-z0-9+.-]{1,30}:\/\/\S+/g },
  { kind: 'unc', dangerous: true, re: /(?<![:\w/])\/\/[a-z0-9][a-z0-9.-]*[a-z0-9](?:\/\S*)?(?=\s|$)/g },
  { kind: 'domain', dangerous: false, re: new RegExp(`(?<![@\\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)+(?:${TLDS})\\b(?:[/:?#]\\S*)?`, 'g') },
  { kind: 'domain', dangerous: false, re: /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?::\d{1,5})?(?:\/\S*)?(?![\w.])/g },
];

/** Every link attempt in `text`, in order, disguised or not. Empty for ordinary text. */
export function findLinkAttempts(text: string): LinkAttempt[] {
  const normal = normaliseForLinks(text);
  const plain = text.toLowerCase();
  const taken: [number, number][] = [];
  const found: { at: number; attempt: LinkAttempt }[] = [];
  for (const { kind, dangerous, re } of PATTERNS) {
    for (const match of normal.matchAll(re)) {
      const start = match.index;
      const end = start + match[0].length;
      if (taken.some(([a, b]) => start < b && end > a)) continue;
      taken.push([start, end]);
      const attemptText = match[0].replace(/[.,;!?)\]}'"]+$/, '');
      const disguised = !plain.includes(attemptText);
      // A disguised web link is a trick, not a convenience: never clickable. So is one whose text names a
      // different host than it goes to (user info before the host, or a backslash a browser reads as `/`).
      const deceptive = kind === 'url' && (attemptText.includes('\\') || /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*@/.test(attemptText));
      found.push({ at: start, attempt: { kind, text: attemptText, dangerous: dangerous || deceptive || (disguised && kind !== 'domain'), disguised } });
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.attempt);
}

/** An `https:` URL whose host is a listed domain or a subdomain of one. */
export function allowedHttpsUrl(candidate: string, allowList: readonly string[]): URL | null {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.username || url.password) return null;
  const host = url.hostname.toLowerCase();
  return allowList.some((d) => host === d || host.endsWith(`.${d}`)) ? url : null;
}

/**
 * Cuts the original text into plain segments and clickable links. A link is clickable only if it
 * is written plainly (no disguise) as an `https:` URL that `clickable` accepts; everything else,
 * including UNC paths and other schemes, stays text.
 */
export function segmentChat(text: string, clickable: (url: URL) => boolean): ChatSegment[] {
  const segments: ChatSegment[] = [];
  const re = /https:\/\/[^\s<>"'`]+/gi;
  let last = 0;
  for (const match of text.matchAll(re)) {
    const raw = match[0].replace(/[.,;!?)\]}'"]+$/, '');
    const start = match.index;
    let url: URL | null = null;
    try {
      url = new URL(raw);
    } catch {
      url = null;
    }
    // Plain ASCII and no backslash: `https://a.example\@b.example/` reads as b.example but goes to a.example.
    const plainAscii = /^[\x21-\x7e]+$/.test(raw) && !raw.includes('\\');
    if (!url || !plainAscii || url.protocol !== 'https:' || url.username || url.password || !clickable(url)) continue;
    if (start > last) segments.push({ text: text.slice(last, start) });
    segments.push({ link: url.href, text: raw });
    last = start + raw.length;
  }
  if (last < text.length) segments.push({ text: text.slice(last) });
  return segments;
}

export interface LinkDestination {
  /** The attempt as written (normalised). */
  text: string;
  /** Where it really goes: the host a browser or file explorer would contact, or null if none can be read. */
  host: string | null;
  kind: LinkAttemptKind;
  dangerous: boolean;
}

/**
 * Where each link attempt in `text` goes, for a moderator deciding on a held message: the host as a
 * browser parses it (so `https://a.example\@b.example/` shows a.example), the server of a UNC path.
 */
export function linkDestinations(text: string): LinkDestination[] {
  return findLinkAttempts(text).map((a) => ({ text: a.text, host: destinationHost(a), kind: a.kind, dangerous: a.dangerous }));
}

function destinationHost(attempt: LinkAttempt): string | null {
  if (attempt.kind === 'unc') return /^[\\/]{2,}([^\\/\s]+)/.exec(attempt.text)?.[1] ?? null;
  const candidate = attempt.kind === 'domain' ? `https://${attempt.text}` : attempt.text.replace(/^([a-z][a-z0-9+.-]*)\s*:/, '$1:');
  try {
    return new URL(candidate).hostname || null;
  } catch {
    return null;
  }
}
