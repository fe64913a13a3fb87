import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeNext } from './oidc-next.js';

const id = 'abcd-efgh-jkmn-pqrs';

test('after single sign-on, only our own meeting, admin and about pages are destinations', () => {
  assert.equal(safeNext(`/m/${id}`), `/m/${id}`);
  assert.equal(safeNext(`/m/${id.toUpperCase()}`), `/m/${id}`);
  assert.equal(safeNext('/admin'), '/admin');
  assert.equal(safeNext('/admin/posture'), '/admin/posture');
  assert.equal(safeNext('/about'), '/about');
  for (const evil of ['//evil.example', 'https://evil.example/m/' + id, '/\\evil.example', 'javascript:alert(1)', '/signin?next=/admin', '/m/%E0%A4%A', '/m/not-an-id', '/admin/../x', '', null, undefined]) {
    assert.equal(safeNext(evil), '/', String(evil));
  }
});
