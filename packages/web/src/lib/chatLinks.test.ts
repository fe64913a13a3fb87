/** Only https: links become <a>; the composer's hint follows the meeting's link policy. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { linkHint, safeHttpsHref } from './chatLinks.js';

test('only https URLs are ever hrefs (defense in depth behind the server’s vetting)', () => {
  assert.equal(safeHttpsHref('https://example.org/agenda'), 'https://example.org/agenda');
  for (const bad of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'data:text/html,<b>x</b>', 'file:///etc/passwd', '\\\\fileserver\\share', 'http://example.org', 'https://user:pw@example.org', 'not a url', ' https://x']) {
    const href = safeHttpsHref(bad);
    assert.ok(href === null || href.startsWith('https://'), `${bad} → ${String(href)}`);
    if (!bad.trim().startsWith('https://')) assert.equal(href, null, bad);
  }
  assert.equal(safeHttpsHref('https://user:pw@example.org'), null);
});

test('the composer warns before sending what the policy will do with a link', () => {
  assert.equal(linkHint('hello there', 'block', false), null);
  assert.equal(linkHint('see https://example.org', 'block', false), 'blocked');
  assert.equal(linkHint('see example.org', 'hold', false), 'held');
  assert.equal(linkHint('\\\\fileserver\\share\\budget.xlsx', 'allow', false), 'text-only');
  assert.equal(linkHint('see https://example.org', 'allow', false), null);
  assert.equal(linkHint('see https://example.org', 'block', true), null, 'moderators are never held back');
});
