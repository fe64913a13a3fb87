/** The permission table as a full matrix of roles by actions, and the mapping of messages to actions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLIENT_MESSAGE_TYPES, type ClientMessage } from '@parley/protocol';
import { SAFE_DEFAULTS } from '../meetings/settings.js';
import { ACTIONS, ROLES, actionFor, can, isModerator, type Action } from './permissions.js';

const room = { settings: SAFE_DEFAULTS };

/** The expected matrix, written out independently of the table: Y allowed, - refused. */
const EXPECTED: Record<Action, string> = {
  //                     host cohost participant guest attendee
  'media.publish':        'Y Y Y Y -',
  'lobby.manage':         'Y Y - - -',
  'meeting.lock':         'Y Y - - -',
  'meeting.settings':     'Y - - - -',
  'meeting.end':          'Y - - - -',
  'role.cohost':          'Y - - - -',
  'role.promoteAttendee': 'Y Y - - -',
};

test('every role by every action', () => {
  assert.deepEqual(ROLES, ['host', 'cohost', 'participant', 'guest', 'attendee']);
  assert.deepEqual(Object.keys(EXPECTED).sort(), [...ACTIONS].sort(), 'the matrix covers every action');
  for (const action of ACTIONS) {
    const row = EXPECTED[action].split(' ');
    ROLES.forEach((role, i) => {
      assert.equal(can({ role }, action, room), row[i] === 'Y', `${role} ${action}`);
    });
  }
});

test('moderators are hosts and co-hosts', () => {
  assert.deepEqual(ROLES.filter(isModerator), ['host', 'cohost']);
});

test('every client message maps to an action or is a self-service message', () => {
  const samples: Record<string, ClientMessage> = {
    publish: { type: 'publish', id: 1, source: 'camera', kind: 'video', mid: '0', sdp: 'x' },
    admit: { type: 'admit', id: 1, lobbyId: 'abcdefgh' },
    deny: { type: 'deny', id: 1, lobbyId: 'abcdefgh' },
    admitAll: { type: 'admitAll', id: 1 },
    lock: { type: 'lock', id: 1, locked: true },
    updateSettings: { type: 'updateSettings', id: 1, settings: {} },
    endMeeting: { type: 'endMeeting', id: 1 },
    setRole: { type: 'setRole', id: 1, participantId: 'abcdefgh', role: 'cohost' },
  };
  const expected: Record<string, Action | null> = {
    hello: null, join: null, leave: null, answer: null, setMuted: null, unpublish: null,
    publish: 'media.publish', admit: 'lobby.manage', deny: 'lobby.manage', admitAll: 'lobby.manage',
    lock: 'meeting.lock', updateSettings: 'meeting.settings', endMeeting: 'meeting.end', setRole: 'role.cohost',
  };
  for (const type of CLIENT_MESSAGE_TYPES) {
    const message = samples[type] ?? ({ type, id: 1 } as ClientMessage);
    assert.equal(actionFor(message), expected[type], type);
  }
  assert.equal(actionFor({ type: 'setRole', id: 1, participantId: 'abcdefgh', role: 'participant' }), 'role.promoteAttendee');
});
