/** What the live region says: joins batched, moderators' waiting room and admissions, hands, being muted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LobbyEntry, ParticipantInfo } from '@parley/protocol';
import { announcement, emptyBatch, gather, isEmpty, type Batch, type Seen } from './announcements.js';
import { meetingReducer, type MeetingState } from './meetingState.js';
import { joinedMeeting, testLocal, testRoom } from './test-settings.js';

const person = (id: string, displayName = id, handRaised = false): ParticipantInfo => ({
  id,
  displayName,
  role: 'participant',
  identity: 'guest',
  handRaised,
  connection: 'connected',
  joinedAt: 1,
});
const waiting = (id: string, displayName: string): LobbyEntry => ({ id, displayName, identity: 'guest', email: null, since: 1 });
const seen = (participants: ParticipantInfo[], lobby: LobbyEntry[] = []): Seen => ({ selfId: 'p_self00', participants: [person('p_self00', 'Me'), ...participants], lobby, notices: [] });

/** Gathers the changes along a sequence of states, as the live region does between announcements. */
function along(...states: Seen[]): Batch {
  let batch = emptyBatch();
  for (let i = 1; i < states.length; i++) batch = gather(batch, states[i - 1] as Seen, states[i] as Seen);
  return batch;
}

test('one join, two, and many (said as a count)', () => {
  const none = seen([]);
  assert.equal(announcement(along(none, seen([person('p_a', 'Ann')])), false), 'Ann joined.');
  assert.equal(announcement(along(none, seen([person('p_a', 'Ann')]), seen([person('p_a', 'Ann'), person('p_b', 'Bo')])), false), 'Ann and Bo joined.');
  const many = [person('p_a', 'Ann'), person('p_b', 'Bo'), person('p_c', 'Cy')];
  assert.equal(announcement(along(none, seen(many)), false), '3 people joined.');
  assert.equal(announcement(along(seen(many), seen([])), false), '3 people left.');
});

test('oneself is never announced, and nothing changing says nothing', () => {
  const batch = along({ selfId: 'p_self00', participants: [], lobby: [], notices: [] }, seen([]));
  assert.ok(isEmpty(batch));
  assert.equal(announcement(batch, true), '');
});

test('moderators hear who waits and who was admitted; others only hear the join', () => {
  const states = [seen([]), seen([], [waiting('l_1', 'Gina')]), seen([], []), seen([person('p_g', 'Gina')])];
  assert.equal(announcement(along(states[0] as Seen, states[1] as Seen), true), 'Gina is waiting in the waiting room.');
  assert.equal(announcement(along(states[0] as Seen, states[1] as Seen), false), '');
  assert.equal(announcement(along(...states.slice(1)), true), 'Gina admitted.');
  assert.equal(announcement(along(seen([]), seen([person('p_g', 'Gina')])), false), 'Gina joined.');
  assert.equal(announcement(along(seen([]), seen([], [waiting('l_1', 'A'), waiting('l_2', 'B'), waiting('l_3', 'C')])), true), '3 people are waiting in the waiting room.');
  // Denied or gone from the queue, not joined: nothing said about an admission.
  assert.equal(announcement(along(seen([], [waiting('l_1', 'Gina')]), seen([])), true), '');
});

test('raised hands (not lowered ones)', () => {
  const down = seen([person('p_a', 'Ann'), person('p_b', 'Bo')]);
  const annUp = seen([person('p_a', 'Ann', true), person('p_b', 'Bo')]);
  assert.equal(announcement(along(down, annUp), false), 'Ann raised a hand.');
  assert.equal(announcement(along(down, annUp, seen([person('p_a', 'Ann', true), person('p_b', 'Bo', true)])), false), 'Ann and Bo raised their hands.');
  assert.equal(announcement(along(annUp, down), false), '');
});

function joined(): MeetingState {
  return joinedMeeting(
    testRoom({ self: { ...person('p_self00', 'Me'), role: 'participant', identity: 'member' }, participants: [{ ...person('p_host00', 'Hana'), role: 'host', identity: 'member' }] }),
    testLocal(true),
  );
}

test('a moderator muting this person is said as "You are muted by the host" (the reducer’s own notice)', () => {
  const before = joined();
  const after = meetingReducer(before, { type: 'event', event: { type: 'moderatorAction', action: 'muted', by: 'Hana' } });
  assert.equal(announcement(gather(emptyBatch(), before, after), false), 'You are muted by the host.');
  const stopped = meetingReducer(before, { type: 'event', event: { type: 'moderatorAction', action: 'videoStopped', by: 'Hana' } });
  assert.equal(announcement(gather(emptyBatch(), before, stopped), false), '');
});
