/** The client's mirror of the switches, and who may act on whom from a participant row. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { MeetingSettings, ParticipantInfo } from '@parley/protocol';
import { allowedFor, moderationFor } from './permissions.js';

const SETTINGS: MeetingSettings = {
  access: 'anyone',
  lobby: true,
  joinBeforeHost: false,
  membersSkipLobby: false,
  public: false,
  features: { chat: true, privateChat: false, screenShare: 'hosts', fileSharing: false, reactions: true, raiseHand: true, renameSelf: true, unmuteSelf: false, startVideo: true },
  linkPolicy: 'block',
  linkAllowList: [],
  autoLockOnDisruption: false,
  locked: false,
  sensitivity: 'standard',
  e2ee: false,
  forcedBySensitivity: [],
  lockedByPolicy: [],
};
const person = (role: ParticipantInfo['role'], identity: ParticipantInfo['identity'] = 'guest'): ParticipantInfo => ({
  id: `p_${role}00`,
  displayName: role,
  role,
  identity,
  handRaised: false,
  connection: 'connected',
  joinedAt: 1,
});
const ON = { micOn: true, camOn: true, sharing: true };

test('switches bind participants and guests, never moderators; attendees may do none of it', () => {
  const guest = allowedFor('guest', SETTINGS);
  assert.equal(guest.chat, true);
  assert.equal(guest.privateChat, false);
  assert.equal(guest.screenShare, false, 'hosts only');
  assert.equal(guest.unmuteSelf, false);
  assert.equal(allowedFor('cohost', SETTINGS).screenShare, true);
  assert.equal(allowedFor('attendee', SETTINGS).chat, false);
  assert.equal(allowedFor('participant', { ...SETTINGS, features: { ...SETTINGS.features, chat: false, privateChat: true } }).privateChat, false, 'private chat needs chat');
  assert.equal(allowedFor(undefined, null).chat, false);
});

test('co-hosts cannot act on hosts or other co-hosts; hosts can; everyone may report', () => {
  const allowed = allowedFor('cohost', SETTINGS);
  assert.equal(moderationFor('cohost', person('host', 'member'), false, ON, allowed).mute, false);
  assert.equal(moderationFor('cohost', person('cohost', 'member'), false, ON, allowed).remove, false);
  assert.equal(moderationFor('host', person('cohost', 'member'), false, ON, allowed).remove, true);
  const onGuest = moderationFor('cohost', person('guest'), false, ON, allowed);
  assert.deepEqual(onGuest, { mute: true, askToUnmute: false, stopVideo: true, stopScreenShare: true, rename: true, remove: true, report: true });
  assert.equal(moderationFor('cohost', person('participant', 'member'), false, ON, allowed).rename, false, 'accounts keep their names');
  const asGuest = moderationFor('guest', person('participant', 'member'), false, { micOn: false, camOn: false, sharing: false }, allowedFor('guest', SETTINGS));
  assert.deepEqual(asGuest, { mute: false, askToUnmute: false, stopVideo: false, stopScreenShare: false, rename: false, remove: false, report: true });
});

test('one’s own row offers renaming oneself only where allowed, and only to guests', () => {
  assert.equal(moderationFor('guest', person('guest'), true, ON, allowedFor('guest', SETTINGS)).rename, true);
  assert.equal(moderationFor('participant', person('participant', 'member'), true, ON, allowedFor('participant', SETTINGS)).rename, false);
  const off = { ...SETTINGS, features: { ...SETTINGS.features, renameSelf: false } };
  assert.equal(moderationFor('guest', person('guest'), true, ON, allowedFor('guest', off)).rename, false);
  assert.equal(moderationFor('guest', person('guest'), true, ON, allowedFor('guest', off)).report, false, 'nobody reports themselves');
});
