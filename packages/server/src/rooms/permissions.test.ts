/** The permission table as a full matrix of roles by actions, under safe defaults and with every switch on. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLIENT_MESSAGE_TYPES, type ClientMessage, type MeetingSettings } from '@parley/protocol';
import { SAFE_DEFAULTS } from '../meetings/settings.js';
import { ACTIONS, ROLES, actionFor, can, isModerator, type Action } from './permissions.js';

const safe = { settings: SAFE_DEFAULTS };
const allOn: { settings: MeetingSettings } = {
  settings: {
    ...SAFE_DEFAULTS,
    features: { chat: true, privateChat: true, screenShare: 'everyone', fileSharing: true, reactions: true, raiseHand: true, renameSelf: true, unmuteSelf: true, startVideo: true },
  },
};

/**
 * The expected matrix, written out independently of the table. Columns: host cohost participant guest attendee.
 * First under safe defaults, then with every switch on. Y allowed, - refused.
 */
const EXPECTED: Record<Action, [safe: string, allOn: string]> = {
  'media.publish':         ['Y Y Y Y -', 'Y Y Y Y -'],
  'media.screenShare':     ['Y Y - - -', 'Y Y Y Y -'],
  'media.unmuteSelf':      ['Y Y Y Y -', 'Y Y Y Y -'],
  'media.startVideo':      ['Y Y Y Y -', 'Y Y Y Y -'],
  'chat.send':             ['Y Y - - -', 'Y Y Y Y -'],
  'chat.private':          ['Y Y - - -', 'Y Y Y Y -'],
  'file.share':            ['Y Y - - -', 'Y Y Y Y -'],
  'reaction.send':         ['Y Y - - -', 'Y Y Y Y -'],
  'hand.raise':            ['Y Y Y Y -', 'Y Y Y Y -'],
  'self.rename':           ['Y Y - - -', 'Y Y Y Y -'],
  'participant.report':    ['Y Y Y Y Y', 'Y Y Y Y Y'],
  'lobby.manage':          ['Y Y - - -', 'Y Y - - -'],
  'meeting.lock':          ['Y Y - - -', 'Y Y - - -'],
  'meeting.suspend':       ['Y Y - - -', 'Y Y - - -'],
  'moderate.participants': ['Y Y - - -', 'Y Y - - -'],
  'role.promoteAttendee':  ['Y Y - - -', 'Y Y - - -'],
  'meeting.settings':      ['Y - - - -', 'Y - - - -'],
  'meeting.sensitivity':   ['Y - - - -', 'Y - - - -'],
  'meeting.end':           ['Y - - - -', 'Y - - - -'],
  'role.cohost':           ['Y - - - -', 'Y - - - -'],
};

test('every role by every action, under safe defaults and with every switch on', () => {
  assert.deepEqual(ROLES, ['host', 'cohost', 'participant', 'guest', 'attendee']);
  assert.deepEqual(Object.keys(EXPECTED).sort(), [...ACTIONS].sort(), 'the matrix covers every action');
  for (const action of ACTIONS) {
    for (const [column, room] of [[0, safe], [1, allOn]] as const) {
      const row = EXPECTED[action][column].split(' ');
      ROLES.forEach((role, i) => assert.equal(can({ role }, action, room), row[i] === 'Y', `${role} ${action} (${column === 0 ? 'safe' : 'all on'})`));
    }
  }
});

test('private chat needs chat on as well', () => {
  const privateOnly = { settings: { ...SAFE_DEFAULTS, features: { ...SAFE_DEFAULTS.features, privateChat: true } } };
  assert.equal(can({ role: 'participant' }, 'chat.private', privateOnly), false);
});

test('moderators are hosts and co-hosts', () => {
  assert.deepEqual(ROLES.filter(isModerator), ['host', 'cohost']);
});

test('every client message maps to one action or is a self-service message', () => {
  const samples: Partial<Record<string, ClientMessage>> = {
    publish: { type: 'publish', id: 1, source: 'microphone', kind: 'audio', rtpParameters: {} },
    admit: { type: 'admit', id: 1, lobbyId: 'abcdefgh' },
    deny: { type: 'deny', id: 1, lobbyId: 'abcdefgh' },
    setRole: { type: 'setRole', id: 1, participantId: 'abcdefgh', role: 'cohost' },
    chat: { type: 'chat', id: 1, text: 'hi' },
    rename: { type: 'rename', id: 1, displayName: 'x' },
  };
  const expected: Record<string, Action | null> = {
    hello: null, join: null, resume: null, leave: null, setMuted: null, unpublish: null,
    setupMedia: null, connectTransport: null, restartIce: null, resumeSubscription: null, setSubscription: null,
    publish: 'media.publish', admit: 'lobby.manage', deny: 'lobby.manage', admitAll: 'lobby.manage',
    lock: 'meeting.lock', updateSettings: 'meeting.settings', setSensitivity: 'meeting.sensitivity', endMeeting: 'meeting.end', setRole: 'role.cohost',
    chat: 'chat.send', approveMessage: 'moderate.participants', rejectMessage: 'moderate.participants',
    remove: 'moderate.participants', allowBack: 'moderate.participants', mute: 'moderate.participants',
    muteAll: 'moderate.participants', askToUnmute: 'moderate.participants', stopVideo: 'moderate.participants',
    stopScreenShare: 'moderate.participants', rename: 'self.rename', raiseHand: 'hand.raise',
    lowerAllHands: 'moderate.participants', lowerHand: 'moderate.participants', react: 'reaction.send', suspend: 'meeting.suspend', report: 'participant.report',
    e2eeReady: null, e2eeGroupCreated: null, e2eeCommit: null, e2eeChat: 'chat.send', firstFrame: null,
  };
  for (const type of CLIENT_MESSAGE_TYPES) {
    const message = samples[type] ?? ({ type, id: 1 } as ClientMessage);
    assert.equal(actionFor(message), expected[type], type);
  }
  const variants: [ClientMessage, Action][] = [
    [{ type: 'setRole', id: 1, participantId: 'abcdefgh', role: 'participant' }, 'role.promoteAttendee'],
    [{ type: 'publish', id: 1, source: 'screen', kind: 'video', rtpParameters: {} }, 'media.screenShare'],
    [{ type: 'publish', id: 1, source: 'camera', kind: 'video', rtpParameters: {} }, 'media.startVideo'],
    [{ type: 'chat', id: 1, text: 'hi', to: 'abcdefgh' }, 'chat.private'],
    [{ type: 'rename', id: 1, participantId: 'abcdefgh', displayName: 'x' }, 'moderate.participants'],
  ];
  for (const [message, action] of variants) assert.equal(actionFor(message), action, JSON.stringify(message));
});
