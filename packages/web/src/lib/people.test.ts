/** The host's departure and raised hands in the client: who is offered as next host, the order of hands, the notices. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ParticipantInfo, Role } from '@parley/protocol';
import { meetingReducer, type MeetingState } from './meetingState.js';
import { handoverCandidates, raisedFirst } from './people.js';
import { joinedMeeting, testRoom } from './test-settings.js';

const person = (id: string, role: Role, identity: ParticipantInfo['identity'], joinedAt: number, handRaisedAt?: number): ParticipantInfo => ({
  id,
  displayName: id,
  role,
  identity,
  handRaised: handRaisedAt !== undefined,
  ...(handRaisedAt !== undefined ? { handRaisedAt } : {}),
  connection: 'connected',
  joinedAt,
});

test('next-host candidates: co-hosts, then members by tenure; guests only where the policy lets them moderate; never attendees or oneself', () => {
  const people = [
    person('self', 'host', 'member', 1),
    person('guest', 'guest', 'guest', 2),
    person('late-member', 'participant', 'member', 5),
    person('early-member', 'participant', 'member', 3),
    person('viewer', 'attendee', 'member', 4),
    person('cohost', 'cohost', 'guest', 6),
  ];
  assert.deepEqual(handoverCandidates(people, 'self', false).map((p) => p.id), ['cohost', 'early-member', 'late-member']);
  assert.deepEqual(handoverCandidates(people, 'self', true).map((p) => p.id), ['cohost', 'early-member', 'late-member', 'guest']);
});

test('raised hands come first, earliest raised on top; the rest keep join order', () => {
  const rows = [person('a', 'guest', 'guest', 1), person('b', 'guest', 'guest', 2, 50), person('c', 'guest', 'guest', 3), person('d', 'guest', 'guest', 4, 20)].map((participant) => ({ participant }));
  assert.deepEqual(raisedFirst(rows).map((r) => r.participant.id), ['d', 'b', 'a', 'c']);
});

function joined(role: Role): MeetingState {
  return joinedMeeting(testRoom({ self: person('p_self00', role, 'member', 3), participants: [person('p_bob000', 'participant', 'member', 1)] }));
}

const texts = (s: MeetingState): string[] => s.notices.map((n) => n.text);

test('everyone is told who hosts now, or that nobody moderates; the new host hears it once, from their role change', () => {
  const other = meetingReducer(joined('participant'), { type: 'event', event: { type: 'hostChanged', participantId: 'p_bob000', displayName: 'Bob', reason: 'chosen' } });
  assert.deepEqual(texts(other), ['Bob is now the host.']);
  const none = meetingReducer(joined('participant'), { type: 'event', event: { type: 'hostChanged', participantId: null, displayName: null, reason: 'none' } });
  assert.deepEqual(texts(none), ['No moderator is present; people waiting cannot be admitted.']);
  let self = meetingReducer(joined('participant'), { type: 'event', event: { type: 'participantUpdated', participant: person('p_self00', 'host', 'member', 3) } });
  self = meetingReducer(self, { type: 'event', event: { type: 'hostChanged', participantId: 'p_self00', displayName: 'p_self00', reason: 'member' } });
  assert.deepEqual(texts(self), ['You are now the host of this meeting.']);
});

test('a raised hand is a notice for moderators only; a lowered one tells its owner who lowered it', () => {
  const raised = { type: 'event', event: { type: 'handRaised', participantId: 'p_bob000', displayName: 'Bob' } } as const;
  assert.deepEqual(texts(meetingReducer(joined('cohost'), raised)), ['Bob raised a hand.']);
  assert.deepEqual(texts(meetingReducer(joined('participant'), raised)), []);
  const lowered = meetingReducer(joined('participant'), { type: 'event', event: { type: 'moderatorAction', action: 'handLowered', by: 'Hana' } });
  assert.deepEqual(texts(lowered), ['Hana lowered your hand.']);
});
