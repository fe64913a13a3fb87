/** Addresses: routes, the fragment's secrets, and where signing in may send you back to. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseFragment, parseJoinInput, parseRoute, pathOf, safeNext } from './route.js';

const id = 'k7qm-x2hd-9tfa-wr3p';

test('routes parse and print back', () => {
  assert.deepEqual(parseRoute('/'), { page: 'home' });
  assert.deepEqual(parseRoute(`/m/${id.toUpperCase()}`), { page: 'meeting', meetingId: id });
  assert.deepEqual(parseRoute('/m/nope'), { page: 'bad-link' });
  assert.deepEqual(parseRoute('/m/%E0%A4%A'), { page: 'bad-link' }, 'a malformed escape is a bad link, not a crash');
  assert.deepEqual(parseRoute('/signin', `?next=${encodeURIComponent(`/m/${id}`)}`), { page: 'signin', next: `/m/${id}` });
  for (const page of ['setup', 'about'] as const) assert.deepEqual(parseRoute(`/${page}`), { page });
  assert.deepEqual(parseRoute('/admin'), { page: 'admin', section: 'people' });
  assert.deepEqual(parseRoute('/admin/audit'), { page: 'admin', section: 'audit' });
  assert.equal(pathOf({ page: 'admin', section: 'people' }), '/admin');
  assert.equal(pathOf({ page: 'admin', section: 'policy' }), '/admin/policy');
  assert.deepEqual(parseRoute('/admin/nonsense'), { page: 'bad-link' });
  assert.equal(pathOf({ page: 'signin', next: `/m/${id}` }), `/signin?next=%2Fm%2F${id}`);
  assert.equal(pathOf({ page: 'signin', next: '/' }), '/signin');
});

test('after signing in, only our own meeting and admin pages are destinations', () => {
  assert.equal(safeNext(`/m/${id}`), `/m/${id}`);
  assert.equal(safeNext('/admin'), '/admin');
  assert.equal(safeNext('/admin/posture'), '/admin/posture');
  for (const evil of ['//evil.example', 'https://evil.example/m/' + id, '/\\evil.example', 'javascript:alert(1)', '/signin?next=/admin', '', null]) {
    assert.equal(safeNext(evil), '/', String(evil));
  }
});

test('the fragment carries the passcode (a + stays a +), the setup token and the public and sensitive markers', () => {
  assert.deepEqual(parseFragment('#pwd=ab12cd34'), { passcode: 'ab12cd34', isPublic: false, sensitive: false, setupToken: null });
  assert.deepEqual(parseFragment('#pwd=ab12cd34&sensitive'), { passcode: 'ab12cd34', isPublic: false, sensitive: true, setupToken: null });
  assert.equal(parseFragment('#pwd=sensitive').sensitive, false, 'a passcode that reads "sensitive" is only a passcode');
  assert.equal(parseFragment('pwd=a%2Bb+c%26d').passcode, 'a+b+c&d');
  assert.equal(parseFragment('#token=xyz').setupToken, 'xyz');
  assert.equal(parseFragment('#public').isPublic, true);
  assert.equal(parseFragment('#pwd=' + 'x'.repeat(129)).passcode, null);
  assert.equal(parseFragment('#pwd=%E0%A4%A').passcode, '%E0%A4%A', 'a malformed escape is kept as typed');
});

test('a pasted link or a bare ID joins', () => {
  assert.deepEqual(parseJoinInput(`https://parley.example/m/${id}#pwd=ab12cd34`), { meetingId: id, passcode: 'ab12cd34', isPublic: false, sensitive: false });
  assert.deepEqual(parseJoinInput(`https://parley.example/m/${id}#pwd=ab12cd34&sensitive`), { meetingId: id, passcode: 'ab12cd34', isPublic: false, sensitive: true });
  assert.deepEqual(parseJoinInput(`https://parley.example/m/${id}#public`), { meetingId: id, passcode: null, isPublic: true, sensitive: false });
  assert.deepEqual(parseJoinInput(' K7QM X2HD 9TFA WR3P '), { meetingId: id, passcode: null, isPublic: false, sensitive: false });
  assert.equal(parseJoinInput('hello'), null);
});
