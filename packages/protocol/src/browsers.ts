/**
 * Which browser a User-Agent names, and whether the organization's minimum versions accept it (C1:
 * the browser is the part whose patch level the office cannot control). Three families matter for
 * WebRTC: Chromium (Chrome, Edge, Opera, Chromium itself: the engine's major version), Firefox, and
 * Safari (WebKit; on iOS every browser is WebKit and follows the system's version). Anything else is
 * `other` and no minimum applies to it (it is not a browser Parley supports, or not a browser at all).
 * Used by the server at `hello` and by the web client before the lobby.
 */
import type { BrowserMinimums } from './policy.js';

export type BrowserFamily = 'chromium' | 'firefox' | 'safari' | 'other';

export interface BrowserVersion {
  family: BrowserFamily;
  /** What to call it: Chrome, Edge, Opera, Chromium, Firefox, Safari, or "an unknown browser". */
  name: string;
  /** The major version; null when unknown. */
  major: number | null;
}

const UNKNOWN: BrowserVersion = { family: 'other', name: 'an unknown browser', major: null };

function majorOf(ua: string, token: RegExp): number | null {
  const match = token.exec(ua);
  if (!match?.[1]) return null;
  const major = Number.parseInt(match[1], 10);
  return Number.isSafeInteger(major) && major > 0 && major < 100_000 ? major : null;
}

/** Parses a User-Agent header (at most its first 512 characters are read). */
export function parseUserAgent(header: string | undefined | null): BrowserVersion {
  if (!header) return UNKNOWN;
  const ua = header.slice(0, 512);
  // iOS and iPadOS: every browser is WebKit; its version is the system's.
  if (/\b(?:iPhone|iPad|iPod)\b/.test(ua)) {
    const ios = majorOf(ua, /\bOS (\d+)[_.]\d/);
    const version = majorOf(ua, /\bVersion\/(\d+)/);
    return { family: 'safari', name: 'Safari', major: version ?? ios };
  }
  const firefox = majorOf(ua, /\bFirefox\/(\d+)/);
  if (firefox !== null && !/\bSeamonkey\//i.test(ua)) return { family: 'firefox', name: 'Firefox', major: firefox };
  const chromium = majorOf(ua, /\b(?:Chrome|Chromium|HeadlessChrome)\/(\d+)/);
  if (chromium !== null) {
    const name = /\bEdg(?:e|A)?\//.test(ua) ? 'Edge' : /\bOPR\//.test(ua) ? 'Opera' : /\bChromium\//.test(ua) ? 'Chromium' : 'Chrome';
    return { family: 'chromium', name, major: chromium };
  }
  if (/\bSafari\//.test(ua) && /\bAppleWebKit\//.test(ua)) {
    const version = majorOf(ua, /\bVersion\/(\d+)/);
    if (version !== null) return { family: 'safari', name: 'Safari', major: version };
  }
  return UNKNOWN;
}

/** The minimum a browser falls below, if it does (an unknown version of a family with a minimum falls below it). */
export function browserShortfall(browser: BrowserVersion, minimums: BrowserMinimums): number | null {
  if (browser.family === 'other') return null;
  const minimum = minimums[browser.family];
  if (minimum === undefined) return null;
  return browser.major === null || browser.major < minimum ? minimum : null;
}

/** The outdated-browser sentence, naming the organization's IT support contact. */
export function outdatedBrowserText(browser: BrowserVersion, minimum: number, supportContact: string): string {
  const version = browser.major === null ? browser.name : `${browser.name} ${browser.major}`;
  const contact = supportContact.trim() ? `Contact ${supportContact.trim()}.` : 'Contact your IT support.';
  return `Your browser (${version}) is out of date. Your organization requires ${browser.name} ${minimum} or later. ${contact}`;
}
