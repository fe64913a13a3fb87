/** One settings resolution: safe defaults, meeting choices, organization defaults and locks, class minimums, live state. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MeetingSettingsPatch } from '@parley/protocol';
import { CLASS_MINIMUMS, OPEN_POLICY, SAFE_DEFAULTS, classMinimums, forcedBy, lockedBy, lowers, mergeSettings, resolveSettings, weakenings, type SettingsPolicy } from './settings.js';

test('with nothing chosen, the safe defaults apply', () => {
  assert.deepEqual(resolveSettings({ policy: OPEN_POLICY, meeting: {}, live: { locked: false }, sensitivity: 'standard' }), SAFE_DEFAULTS);
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
    sensitivity: 'standard',
    e2ee: false,
    forcedBySensitivity: [],
    lockedByPolicy: [],
  });
});

test('the meeting overrides defaults; the organization policy overrides the meeting where it locks', () => {
  const policy = { defaults: { access: 'signed-in' as const }, locked: { lobby: true } };
  const resolved = resolveSettings({ policy, meeting: { lobby: false, joinBeforeHost: true }, live: { locked: true }, sensitivity: 'standard' });
  assert.equal(resolved.access, 'signed-in', 'policy default');
  assert.equal(resolved.lobby, true, 'locked by policy despite the meeting');
  assert.equal(resolved.joinBeforeHost, true, 'meeting choice');
  assert.equal(resolved.locked, true, 'live state');
  const overridden = resolveSettings({ policy, meeting: { access: 'organization' }, live: { locked: false }, sensitivity: 'standard' });
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
  resolveSettings({ policy, meeting, live: { locked: true }, sensitivity: 'standard' });
  assert.deepEqual(meeting, { lobby: false });
  assert.deepEqual(policy, { defaults: {}, locked: {} });
});

test('features merge key by key, from defaults, policy, meeting and policy locks', () => {
  const policy = { defaults: { features: { chat: true } }, locked: { features: { fileSharing: false } } };
  const resolved = resolveSettings({ policy, meeting: { features: { reactions: true, fileSharing: true } }, live: { locked: false }, sensitivity: 'standard' });
  assert.equal(resolved.features.chat, true, 'policy default');
  assert.equal(resolved.features.reactions, true, 'meeting choice');
  assert.equal(resolved.features.fileSharing, false, 'policy lock wins');
  assert.equal(resolved.features.raiseHand, true, 'safe default');
  assert.deepEqual(lockedBy(policy, { features: { fileSharing: true, chat: false } }), ['features.fileSharing']);
  assert.deepEqual(mergeSettings({ features: { chat: true } }, { features: { reactions: true } }), { features: { chat: true, reactions: true } });
});

/** Everything a meeting could choose that a sensitive class must override. */
const WEAKEST: MeetingSettingsPatch = {
  access: 'anyone',
  public: true,
  lobby: false,
  membersSkipLobby: true,
  joinBeforeHost: true,
  features: { fileSharing: true, chat: true },
};

test('a standard meeting is resolved as before: its class forces nothing', () => {
  const policy = { defaults: { access: 'signed-in' as const }, locked: { lobby: true } };
  const resolved = resolveSettings({ policy, meeting: WEAKEST, live: { locked: false }, sensitivity: 'standard' });
  assert.deepEqual(
    [resolved.access, resolved.public, resolved.lobby, resolved.membersSkipLobby, resolved.joinBeforeHost, resolved.features.fileSharing],
    ['anyone', true, true, true, true, true],
  );
  assert.deepEqual([resolved.sensitivity, resolved.e2ee, resolved.forcedBySensitivity], ['standard', false, []]);
  assert.deepEqual(forcedBy(policy, 'standard', WEAKEST), []);
});

test('a sensitive class is applied last: above the meeting, the policy defaults and the policy locks', () => {
  const policy: SettingsPolicy = {
    defaults: { access: 'anyone', lobby: false, features: { fileSharing: true } },
    locked: { public: true, joinBeforeHost: true, membersSkipLobby: true, features: { fileSharing: true } },
  };
  const resolved = resolveSettings({ policy, meeting: WEAKEST, live: { locked: true }, sensitivity: 'sensitive' });
  assert.equal(resolved.e2ee, true, 'end-to-end encryption');
  assert.equal(resolved.access, 'organization', 'signed-in organization members only');
  assert.equal(resolved.public, false, 'a passcode, no public view');
  assert.equal(resolved.lobby, true, 'waiting room');
  assert.equal(resolved.membersSkipLobby, false, 'members wait too');
  assert.equal(resolved.joinBeforeHost, false, 'nobody before the host');
  assert.equal(resolved.features.fileSharing, false, 'no files on the server');
  assert.equal(resolved.features.chat, true, 'what the class does not force stays the meeting’s choice');
  assert.equal(resolved.locked, true, 'live state still applies');
  assert.equal(resolved.sensitivity, 'sensitive');
  assert.deepEqual([...resolved.forcedBySensitivity].sort(), ['access', 'features.fileSharing', 'joinBeforeHost', 'lobby', 'membersSkipLobby', 'public']);
  assert.deepEqual(
    forcedBy(policy, 'sensitive', WEAKEST).sort(),
    ['access', 'features.fileSharing', 'joinBeforeHost', 'lobby', 'membersSkipLobby', 'public'],
    'every weakening of a forced setting is named',
  );
  assert.deepEqual(forcedBy(policy, 'sensitive', { lobby: true, access: 'organization', features: { chat: false, fileSharing: false } }), [], 'agreeing with the class is no conflict');
});

test('policy may strengthen the sensitive class but never weaken it', () => {
  const policy: SettingsPolicy = {
    defaults: {},
    locked: {},
    classes: {
      sensitive: {
        // Attempts to relax the built-in minimum: ignored.
        access: 'anyone',
        lobby: false,
        joinBeforeHost: true,
        public: true,
        linkPolicy: 'allow',
        features: { fileSharing: true, screenShare: 'everyone', chat: false, renameSelf: false },
        // A real strengthening.
        autoLockOnDisruption: true,
      },
    },
  };
  const minimums = classMinimums(policy, 'sensitive');
  assert.deepEqual(minimums, { ...CLASS_MINIMUMS.sensitive, autoLockOnDisruption: true, features: { chat: false, renameSelf: false, fileSharing: false } });
  const resolved = resolveSettings({ policy, meeting: { features: { chat: true, screenShare: 'everyone' }, autoLockOnDisruption: false, linkPolicy: 'hold' }, live: { locked: false }, sensitivity: 'sensitive' });
  assert.deepEqual([resolved.access, resolved.lobby, resolved.joinBeforeHost, resolved.public, resolved.features.fileSharing], ['organization', true, false, false, false]);
  assert.equal(resolved.features.chat, false, 'strengthened by policy: chat off');
  assert.equal(resolved.autoLockOnDisruption, true, 'strengthened by policy');
  assert.equal(resolved.linkPolicy, 'hold', 'a weakening in the class policy is ignored; the meeting’s own choice stands');
  assert.equal(resolved.features.screenShare, 'everyone', 'likewise');
  assert.ok(resolved.forcedBySensitivity.includes('features.chat') && resolved.forcedBySensitivity.includes('autoLockOnDisruption'));
  assert.deepEqual(forcedBy(policy, 'sensitive', { features: { chat: true } }), ['features.chat']);
  // The standard class is untouched by the sensitive class's policy.
  assert.deepEqual(classMinimums(policy, 'standard'), {});
});

test('a class can be raised, never lowered', () => {
  assert.equal(lowers('sensitive', 'standard'), true);
  assert.equal(lowers('standard', 'sensitive'), false);
  assert.equal(lowers('sensitive', 'sensitive'), false);
});

test('what the policy locks is listed as such; what the class forces is listed as the class’s, not twice', () => {
  const policy = { defaults: { features: { reactions: true } }, locked: { lobby: true, access: 'signed-in' as const, features: { chat: false, fileSharing: false } } };
  const standard = resolveSettings({ policy, meeting: {}, live: { locked: false }, sensitivity: 'standard' });
  assert.deepEqual(standard.lockedByPolicy, ['lobby', 'access', 'features.chat', 'features.fileSharing']);
  assert.deepEqual(standard.forcedBySensitivity, []);
  assert.equal(standard.features.reactions, true, 'a default that is not locked stays a default');
  assert.deepEqual(lockedBy(policy, { features: { reactions: false, chat: true } }), ['features.chat']);
  const sensitive = resolveSettings({ policy, meeting: {}, live: { locked: false }, sensitivity: 'sensitive' });
  assert.deepEqual(sensitive.lockedByPolicy, ['features.chat']);
  assert.ok(sensitive.forcedBySensitivity.includes('lobby') && sensitive.forcedBySensitivity.includes('access') && sensitive.forcedBySensitivity.includes('features.fileSharing'));
  assert.equal(sensitive.access, 'organization', 'the class wins over a weaker lock');
});
