import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY } from '@parley/protocol';
import { policyConflicts } from './conflicts.js';

test('a coherent policy has no conflicts, stricter locks included', () => {
  assert.deepEqual(policyConflicts(DEFAULT_POLICY), []);
  assert.deepEqual(policyConflicts({ ...DEFAULT_POLICY, defaults: { features: { chat: true } }, locked: { access: 'signed-in', lobby: true, features: { fileSharing: false } } }), []);
  assert.deepEqual(policyConflicts({ ...DEFAULT_POLICY, defaults: { lobby: true }, locked: { lobby: true } }), [], 'a default equal to its lock');
  assert.deepEqual(policyConflicts({ ...DEFAULT_POLICY, classes: { sensitive: { features: { chat: false } }, standard: { lobby: true } } }), []);
});

test('defaults against locks, locks weakening the sensitive class, and weakening class additions are all named', () => {
  assert.deepEqual(policyConflicts({ ...DEFAULT_POLICY, defaults: { features: { chat: true } }, locked: { features: { chat: false } } }), ['defaults.features.chat differs from locked.features.chat']);
  assert.deepEqual(policyConflicts({ ...DEFAULT_POLICY, locked: { public: true, features: { fileSharing: true } } }), [
    'locked.public contradicts the sensitive class (which requires false)',
    'locked.features.fileSharing contradicts the sensitive class (which requires false)',
  ]);
  assert.deepEqual(policyConflicts({ ...DEFAULT_POLICY, classes: { sensitive: { lobby: false } } }), [
    "classes.sensitive.lobby contradicts the sensitive class's built-in minimum (true)",
    'classes.sensitive.lobby would weaken a safe default (a class only adds requirements)',
  ]);
  assert.deepEqual(policyConflicts({ ...DEFAULT_POLICY, classes: { standard: { features: { reactions: true } } } }), [
    'classes.standard.features.reactions would weaken a safe default (a class only adds requirements)',
  ]);
});
