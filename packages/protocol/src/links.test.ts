/** The link classifier against a corpus of hostile inputs (each disguise) and of ordinary text. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedHttpsUrl, findLinkAttempts, linkDestinations, normaliseForLinks, segmentChat } from './links.js';

/** [input, must it be dangerous (never clickable)?] */
export const HOSTILE: [string, boolean][] = [
  // UNC paths and their disguises
  ['\\\\attacker\\share', true],
  ['open \\\\10.0.0.5\\c$\\secrets.docx please', true],
  ['\\\\evil.example.com@SSL\\DavWWWRoot\\x', true],
  ['\\\\\\\\tripled\\share', true],
  ['%5C%5Cattacker%5Cshare', true],
  ['%255C%255Cdouble-encoded%255Cshare', true],
  ['\uff3c\uff3cattacker\uff3cshare', true], // fullwidth reverse solidus
  ['\u2216\u2216attacker\u2216share', true], // set minus
  ['\ufe68\ufe68attacker\ufe68share', true], // small reverse solidus
  ['\u29f5\u29f5attacker\u29f5share', true], // reverse solidus operator
  ['\\\u200b\\attacker\\share', true], // zero-width space between
  ['&#92;&#92;attacker&#92;share', true], // HTML references
  ['//attacker/share', true],
  ['\uff0f\uff0fattacker\uff0fshare', true],
  // file:, smb: and friends
  ['file:///C:/Windows/System32/calc.exe', true],
  ['FILE://server/share/doc.pdf', true],
  ['fIlE:\\\\server\\share', true],
  ['smb://fileserver/finance', true],
  ['SMB:\\\\fileserver\\finance', true],
  ['search-ms:/query=invoice', true],
  ['ms-msdt:/id PCWDiagnostic', true],
  ['file%3A%2F%2Fserver%2Fshare', true],
  // javascript:, vbscript:, data:
  ['javascript:alert(document.cookie)', true],
  ['JaVaScRiPt:alert(1)', true],
  ['java\tscript:alert(1)', true],
  ['java\nscript:alert(1)', true],
  ['java\u0000script:alert(1)', true],
  ['javascript&#58;alert(1)', true],
  ['javascript&colon;alert(1)', true],
  ['javascript%3Aalert(1)', true],
  ['\u200bjavascript:alert(1)', true],
  ['javascript\uff1aalert(1)', true], // fullwidth colon
  ['vbscript:msgbox("x")', true],
  ['VBScript:Execute', true],
  ['data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', true],
  ['DATA:text/html,<script>alert(1)</script>', true],
  ['data:image/svg+xml,<svg onload=alert(1)>', true],
  // web links, plain and disguised
  ['https://example.com/login', false],
  ['http://phish.example.net', false],
  ['see www.evil.com for details', false],
  ['evil.com/reset-password', false],
  ['download setup.zip now', false],
  ['https\uff1a\uff0f\uff0fevil.com', true], // fullwidth colon and slashes
  ['https:\u2215\u2215evil.com', true], // division slashes
  ['hxxps://evil.com', false],
  ['https%3A%2F%2Fevil.com', true],
  ['evil\u3002com', false], // ideographic full stop
  ['ftp://files.example.org/pub', false],
  ['192.168.1.20/admin', false],
  ['10.0.0.1:8080', false],
];

export const ORDINARY: string[] = [
  'Good morning everyone!',
  'Can you hear me?',
  "Let's meet at 3:30 tomorrow.",
  'The ratio is 16:9, not 4:3.',
  'Budget is $1,250.50 for Q3.',
  'e.g. the second option, i.e. the cheaper one',
  'Version 2.4.1 fixed it.',
  'Email me at bob@example.com when ready.',
  'I use JavaScript: it is fine.',
  'Here is the data: 42 rows.',
  'and/or both',
  'Slide 3/10 please',
  'Use a backslash \\ in the path',
  'It costs 3.50 per unit.',
  'Dr. Smith joined.',
  'Mr.Jones is late',
  'Q&A at the end',
  'See section 4.2.',
  'My notes are in report-final.docx',
  'Agenda: 1) budget 2) hiring',
  'The URL is in the invite',
  'Thanks, that works :)',
  'Temperature was 21.5 degrees.',
  'Room 101 or 102?',
  'Nice work 👍',
];

test(`the corpus: ${HOSTILE.length} hostile inputs are all flagged, dangerous ones as dangerous`, () => {
  assert.ok(HOSTILE.length >= 40);
  for (const [input, dangerous] of HOSTILE) {
    const attempts = findLinkAttempts(input);
    assert.ok(attempts.length > 0, `not flagged: ${JSON.stringify(input)}`);
    if (dangerous) assert.ok(attempts.some((a) => a.dangerous), `not flagged as dangerous: ${JSON.stringify(input)}`);
  }
});

test(`the corpus: ${ORDINARY.length} ordinary messages stay unflagged`, () => {
  for (const input of ORDINARY) assert.deepEqual(findLinkAttempts(input), [], JSON.stringify(input));
});

test('only plainly written https links that the policy accepts become clickable', () => {
  const allow = (url: URL) => allowedHttpsUrl(url.href, ['example.org']) !== null;
  assert.deepEqual(segmentChat('See https://docs.example.org/a?b=1.', allow), [
    { text: 'See ' },
    { link: 'https://docs.example.org/a?b=1', text: 'https://docs.example.org/a?b=1' },
    { text: '.' },
  ]);
  for (const input of ['https://evil.com/x', 'http://example.org', 'https://user:pw@example.org', 'https://example.org.evil.com', 'https://ex\u0430mple.org']) {
    assert.ok(segmentChat(input, allow).every((s) => !('link' in s)), input);
  }
  for (const [input] of HOSTILE) {
    assert.ok(segmentChat(input, () => true).every((s) => !('link' in s) || s.link.startsWith('https://')), input);
  }
  for (const [input, dangerous] of HOSTILE) {
    if (dangerous) assert.ok(segmentChat(input, () => true).every((s) => !('link' in s)), `dangerous yet clickable: ${input}`);
  }
});

test('the allow-list matches whole domains and their subdomains only', () => {
  assert.ok(allowedHttpsUrl('https://example.org/x', ['example.org']));
  assert.ok(allowedHttpsUrl('https://a.b.example.org', ['example.org']));
  assert.equal(allowedHttpsUrl('https://badexample.org', ['example.org']), null);
  assert.equal(allowedHttpsUrl('http://example.org', ['example.org']), null);
  assert.equal(allowedHttpsUrl('javascript:alert(1)', ['example.org']), null);
});

test('a backslash before @ never makes a link, whatever the policy (M4)', () => {
  const text = 'https://attacker.example\\@trusted.example/';
  assert.deepEqual(segmentChat(text, () => true), [{ text }]);
});

test('moderators see where each link really goes (M4)', () => {
  const destinations = linkDestinations('https://attacker.example\\@trusted.example/ or \\\\fs01\\share or www.evil.com/x or https://docs.example.org');
  assert.deepEqual(
    destinations.map((d) => [d.kind, d.host, d.dangerous]),
    [
      ['url', 'attacker.example', true],
      ['unc', 'fs01', true],
      ['domain', 'www.evil.com', false],
      ['url', 'docs.example.org', false],
    ],
  );
});

test('entity names that are keys of every object decode to nothing (L3)', () => {
  assert.equal(normaliseForLinks('&constructor; &__proto__; &tostring;'), '&constructor; &__proto__; &tostring;');
});
