import assert from 'node:assert/strict';
import { test } from 'node:test';
import { browserShortfall, outdatedBrowserText, parseUserAgent } from './browsers.js';

const UAS: [string, string, number | null, string][] = [
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', 'chromium', 131, 'Chrome'],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.86', 'chromium', 131, 'Edge'],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0', 'chromium', 120, 'Opera'],
  ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/124.0.6367.60 Safari/537.36', 'chromium', 124, 'Chrome'],
  ['Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.6723.102 Mobile Safari/537.36', 'chromium', 130, 'Chrome'],
  ['Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Firefox/115.0', 'firefox', 115, 'Firefox'],
  ['Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0', 'firefox', 133, 'Firefox'],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15', 'safari', 17, 'Safari'],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1', 'safari', 17, 'Safari'],
  // On iOS every browser is WebKit: Chrome and Firefox there follow the system's version.
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 16_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/131.0.6778.73 Mobile/15E148 Safari/604.1', 'safari', 16, 'Safari'],
  ['Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/132.0 Mobile/15E148 Safari/605.1.15', 'safari', 18, 'Safari'],
];

test('the three WebRTC families and their major versions are read from real User-Agents', () => {
  for (const [ua, family, major, name] of UAS) assert.deepEqual(parseUserAgent(ua), { family, major, name }, ua);
});

test('anything else is an unknown browser with no version', () => {
  for (const ua of [undefined, '', 'curl/8.5.0', 'node', 'Mozilla/5.0 (compatible; MSIE 10.0; Windows NT 6.1)', 'Chrome/', 'Firefox/0', `Firefox/${'9'.repeat(30)}`]) {
    assert.equal(parseUserAgent(ua).family, 'other', String(ua));
    assert.equal(parseUserAgent(ua).major, null);
  }
});

test('a browser falls short of its own family’s minimum only', () => {
  const firefox115 = parseUserAgent(UAS[5]?.[0]);
  assert.equal(browserShortfall(firefox115, { firefox: 128 }), 128);
  assert.equal(browserShortfall(firefox115, { firefox: 115 }), null);
  assert.equal(browserShortfall(firefox115, { chromium: 200, safari: 99 }), null);
  assert.equal(browserShortfall(parseUserAgent('curl/8'), { chromium: 1, firefox: 1, safari: 1 }), null, 'no minimum applies to other clients');
  assert.equal(browserShortfall({ family: 'safari', name: 'Safari', major: null }, { safari: 17 }), 17, 'an unknown version of a family with a minimum falls short');
});

test('the outdated-browser text names the browser, the requirement and whom to contact', () => {
  const firefox115 = parseUserAgent(UAS[5]?.[0]);
  assert.equal(outdatedBrowserText(firefox115, 128, ' the IT desk '), 'Your browser (Firefox 115) is out of date. Your organization requires Firefox 128 or later. Contact the IT desk.');
  assert.match(outdatedBrowserText(firefox115, 128, ''), /Contact your IT support\.$/);
});
