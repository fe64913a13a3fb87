import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inviteLink, inviteText, knownPasscode, onMeetingsChanged, rememberPasscode, shownLink, type InviteFacts } from './invite.js';

const FACTS: InviteFacts = { origin: 'https://meet.example', meetingId: 'k7qm-x2hd-9tfa-wr3p', title: 'Budget', sensitive: false, hasPasscode: true, passcode: 'ab+cd ef' };

test('a known passcode rides in the link fragment, encoded, and is spelled out', () => {
  assert.equal(inviteLink(FACTS), 'https://meet.example/m/k7qm-x2hd-9tfa-wr3p#pwd=ab%2Bcd%20ef');
  const text = inviteText(FACTS);
  assert.match(text, /Meeting ID: k7qm-x2hd-9tfa-wr3p/);
  assert.match(text, /Passcode: ab\+cd ef/);
  assert.match(text, /“Budget”/);
});

test('the link shown on screen masks the passcode; one without a passcode shows as is', () => {
  assert.equal(shownLink(FACTS), 'https://meet.example/m/k7qm-x2hd-9tfa-wr3p#pwd=••••••');
  assert.equal(shownLink({ ...FACTS, sensitive: true }), 'https://meet.example/m/k7qm-x2hd-9tfa-wr3p#pwd=••••••&sensitive');
  assert.equal(shownLink({ ...FACTS, passcode: null }), 'https://meet.example/m/k7qm-x2hd-9tfa-wr3p');
});

test('an unknown passcode is never invented: the link has none and the text says to ask the host', () => {
  const facts = { ...FACTS, passcode: null };
  assert.equal(inviteLink(facts), 'https://meet.example/m/k7qm-x2hd-9tfa-wr3p');
  assert.match(inviteText(facts), /Passcode: ask the host/);
  assert.doesNotMatch(inviteText(facts), /pwd=/);
});

test('public and sensitive meetings say so in the link and the text', () => {
  assert.equal(inviteLink({ ...FACTS, hasPasscode: false, passcode: null }), 'https://meet.example/m/k7qm-x2hd-9tfa-wr3p#public');
  assert.doesNotMatch(inviteText({ ...FACTS, hasPasscode: false, passcode: null }), /Passcode/);
  const sensitive = { ...FACTS, sensitive: true };
  assert.match(inviteLink(sensitive), /&sensitive$/);
  assert.match(inviteText(sensitive), /sign in with your organization account/);
});

test('remembered passcodes are per meeting and announced', () => {
  let calls = 0;
  const stop = onMeetingsChanged(() => calls++);
  rememberPasscode('aaaa-bbbb-cccc-dddd', 'one');
  rememberPasscode('aaaa-bbbb-cccc-dddd', 'two');
  stop();
  rememberPasscode('eeee-ffff-gggg-hhhh', 'three');
  assert.equal(knownPasscode('aaaa-bbbb-cccc-dddd'), 'two');
  assert.equal(knownPasscode('zzzz-zzzz-zzzz-zzzz'), null);
  assert.equal(calls, 2);
});
