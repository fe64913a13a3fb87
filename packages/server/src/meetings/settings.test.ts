/** One settings resolution: safe defaults, meeting choices, organization defaults and locks, live state. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OPEN_POLICY, SAFE_DEFAULTS, lockedBy, mergeSettings, resolveSettings, weakenings } from './settings.js';

test('with nothing chosen, the safe defaults apply', () => {
  assert.deepEqual(resolveSettings({ policy: OPEN_POLICY, meeting: {}, live: { locked: false } }), SAFE_DEFAULTS);
  assert.deepEqual(SAFE_DEFAULTS, {
    access: 'anyone',
    lobby: true,
    joinBeforeHost: false,
    membersSkipLobby: false,
    public: false,
    features: { chat: false, privateChat: false, screenShare: 'hosts', fileSharing: false, reactions: false, raiseHand: true, renameSelf: false, unmuteSelf: true, startVideo: true },
    linkPolicy: 'block',
    linkAllowList: [],
    autoLockOnDisruption: false,
    locked: false,
  });
});

test('the meeting overrides defaults; the organization policy overrides the meeting where it locks', () => {
  const policy = { defaults: { access: 'signed-in' as const }, locked: { lobby: true } };
  const resolved = resolveSettings({ policy, meeting: { lobby: false, joinBeforeHost: true }, live: { locked: true } });
  assert.equal(resolved.access, 'signed-in', 'policy default');
  assert.equal(resolved.lobby, true, 'locked by policy despite the meeting');
  assert.equal(resolved.joinBeforeHost, true, 'meeting choice');
  assert.equal(resolved.locked, true, 'live state');
  const overridden = resolveSettings({ policy, meeting: { access: 'organization' }, live: { locked: false } });
  assert.equal(overridden.access, 'organization', 'a meeting may tighten a default');
});

test('changes the policy locks, and changes that weaken a safe default, are named', () => {
  const policy = { defaults: {}, locked: { lobby: true, public: false } };
  assert.deepEqual(lockedBy(policy, { lobby: false, joinBeforeHost: true }), ['lobby']);
  assert.deepEqual(lockedBy(policy, { lobby: true }), []);
  assert.deepEqual(weakenings({ lobby: false, joinBeforeHost: true, access: 'organization', public: true, membersSkipLobby: false }), ['lobby', 'joinBeforeHost', 'public']);
  assert.deepEqual(weakenings({ linkPolicy: 'allow', features: { chat: true, unmuteSelf: false, screenShare: 'everyone' } }), ['linkPolicy', 'features.chat', 'features.screenShare']);
});

test('resolution is pure: inputs are not changed', () => {
  const meeting = { lobby: false };
  const policy = { defaults: {}, locked: {} };
  resolveSettings({ policy, meeting, live: { locked: true } });
  assert.deepEqual(meeting, { lobby: false });
  assert.deepEqual(policy, { defaults: {}, locked: {} });
});

test('features merge key by key, from defaults, policy, meeting and policy locks', () => {
  const policy = { defaults: { features: { chat: true } }, locked: { features: { fileSharing: false } } };
  const resolved = resolveSettings({ policy, meeting: { features: { reactions: true, fileSharing: true } }, live: { locked: false } });
  assert.equal(resolved.features.chat, true, 'policy default');
  assert.equal(resolved.features.reactions, true, 'meeting choice');
  assert.equal(resolved.features.fileSharing, false, 'policy lock wins');
  assert.equal(resolved.features.raiseHand, true, 'safe default');
  assert.deepEqual(lockedBy(policy, { features: { fileSharing: true, chat: false } }), ['features.fileSharing']);
  assert.deepEqual(mergeSettings({ features: { chat: true } }, { features: { reactions: true } }), { features: { chat: true, reactions: true } });
});
