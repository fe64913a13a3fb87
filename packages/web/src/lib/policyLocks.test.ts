/**
 * What hosts see of the organization's locks, and how the Policy page edits them: locked settings
 * carry their reason (the class's first), the create form takes the locked values, guests are not
 * offered the co-host role unless the policy allows it, and a lock moves a setting's value out of the
 * defaults (a default beside its lock is a contradiction the server refuses).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_POLICY, type MeetingSettings, type ParticipantInfo } from '@parley/protocol';
import { SAFE_CHOICES, settingsPatch, withLocks } from '../components/SecurityOptions.js';
import { sensitiveSets, settingOf, withSensitive, withSetting } from './admin/policyDraft.js';
import { roleActions } from './roles.js';
import { FORCED_REASON, POLICY_REASON, isForced, lockedReason } from './sensitivity.js';

test('a setting the policy locks says so; one the class forces says that instead', () => {
  const settings = { forcedBySensitivity: ['lobby'], lockedByPolicy: ['features.chat', 'lobby'] };
  assert.equal(lockedReason(settings, 'features.chat'), POLICY_REASON);
  assert.equal(POLICY_REASON, 'Locked by your organization');
  assert.equal(lockedReason(settings, 'lobby'), FORCED_REASON);
  assert.equal(lockedReason(settings, 'features.reactions'), undefined);
  assert.equal(isForced(settings, 'features.chat'), true);
  assert.equal(isForced({ forcedBySensitivity: [] }, 'features.chat'), false, 'an older copy without lockedByPolicy locks nothing');
});

test('the create form takes the locked values, and asks the server only for them', () => {
  const weak = { ...SAFE_CHOICES, lobby: false, access: 'anyone' as const };
  const locked = withLocks(weak, { lobby: true, access: 'signed-in' });
  assert.deepEqual(locked, { ...SAFE_CHOICES, access: 'signed-in' });
  assert.deepEqual(settingsPatch(locked), { access: 'signed-in' });
  assert.equal(withLocks({ ...SAFE_CHOICES, sensitive: true, access: 'organization' }, { access: 'signed-in' }).access, 'organization', 'a sensitive meeting keeps its class’s access');
});

test('guests are offered the co-host role only where the policy allows it', () => {
  const guest: ParticipantInfo = { id: 'g', displayName: 'Gus', role: 'guest', identity: 'guest', handRaised: false, connection: 'connected', joinedAt: 0 };
  const member: ParticipantInfo = { ...guest, id: 'm', role: 'participant', identity: 'member' };
  assert.equal(roleActions('host', guest, false).makeCohost, false);
  assert.equal(roleActions('host', guest, false, true).makeCohost, true);
  assert.equal(roleActions('host', member, false).makeCohost, true);
});

test('the Policy page: locking moves a value from the defaults to the locks, unlocking moves it back', () => {
  const safe = { features: { chat: false, reactions: false }, lobby: true } as unknown as MeetingSettings;
  let policy = withSetting(DEFAULT_POLICY, safe, 'features.chat', true, false);
  assert.deepEqual(policy.defaults, { features: { chat: true } });
  assert.deepEqual(settingOf(policy, safe, 'features.chat'), { value: true, locked: false });
  policy = withSetting(policy, safe, 'features.chat', true, true);
  assert.deepEqual([policy.defaults, policy.locked], [{}, { features: { chat: true } }]);
  assert.deepEqual(settingOf(policy, safe, 'features.chat'), { value: true, locked: true });
  policy = withSetting(policy, safe, 'features.chat', false, false);
  assert.deepEqual([policy.defaults, policy.locked], [{}, {}], 'a safe default is not repeated in the policy');
  policy = withSetting(policy, safe, 'lobby', true, true);
  assert.deepEqual(policy.locked, { lobby: true });
  policy = withSensitive(policy, 'features.reactions', true);
  policy = withSensitive(policy, 'autoLockOnDisruption', true, true);
  assert.deepEqual(policy.classes, { sensitive: { features: { reactions: false }, autoLockOnDisruption: true } });
  assert.equal(sensitiveSets(policy, 'features.reactions'), true);
  assert.equal(sensitiveSets(policy, 'autoLockOnDisruption', true), true);
  policy = withSensitive(withSensitive(policy, 'features.reactions', false), 'autoLockOnDisruption', false);
  assert.equal(policy.classes, undefined);
});
