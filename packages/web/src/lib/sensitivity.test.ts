/** The words for the sensitivity class: they claim end-to-end encryption only while it is in effect. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLASS_LABEL, E2EE_IN_EFFECT, E2EE_STATUS, FORCED_REASON, SENSITIVE_FORCES, SENSITIVE_LABEL, SENSITIVE_TITLE, isForced, lockedReason } from './sensitivity.js';

test('nothing on screen claims end-to-end encryption while the browsers do not encrypt', () => {
  const claims = /end-to-end encrypted|are encrypted in the browsers/i;
  if (E2EE_IN_EFFECT) {
    assert.match(SENSITIVE_LABEL, claims, 'once in effect, the badge says so');
  } else {
    for (const text of [CLASS_LABEL, SENSITIVE_LABEL, SENSITIVE_TITLE, SENSITIVE_FORCES, E2EE_STATUS]) assert.doesNotMatch(text, claims, text);
    assert.match(E2EE_STATUS, /not yet active/, 'and the status says so plainly');
  }
  assert.equal(SENSITIVE_LABEL.startsWith(CLASS_LABEL), true);
});

test('a setting the class forces is locked with the reason; others are not', () => {
  const settings = { forcedBySensitivity: ['lobby', 'features.fileSharing'] };
  assert.equal(isForced(settings, 'lobby'), true);
  assert.equal(lockedReason(settings, 'features.fileSharing'), FORCED_REASON);
  assert.equal(FORCED_REASON, 'Required for sensitive meetings');
  assert.equal(lockedReason(settings, 'features.chat'), undefined);
  assert.equal(lockedReason({ forcedBySensitivity: [] }, 'lobby'), undefined);
});
