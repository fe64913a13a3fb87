import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ssoFailureOf, ssoStartHref } from './ssoApi.js';

test('the sign-in link carries where to go next', () => {
  assert.equal(ssoStartHref('/'), '/api/auth/oidc/start');
  assert.equal(ssoStartHref('/m/abcd-efgh-jkmn-pqrs'), '/api/auth/oidc/start?next=%2Fm%2Fabcd-efgh-jkmn-pqrs');
});

test('a failed single sign-on is explained by its coded reason; unknown reasons get a generic text', () => {
  assert.equal(ssoFailureOf('?next=/about'), null);
  assert.equal(ssoFailureOf('?error=sso_failed&reason=account_disabled')?.reason, 'account_disabled');
  assert.match(ssoFailureOf('?error=sso_failed&reason=account_not_allowed')?.text ?? '', /administrator/);
  assert.equal(ssoFailureOf('?error=sso_failed&reason=<script>')?.reason, 'internal');
});
