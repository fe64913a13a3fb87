/** The wire schemas accept what the protocol says and nothing else. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CLIENT_MESSAGE_TYPES,
  ClientMessage,
  CreateMeetingRequest,
  DisplayName,
  MeetingSettingsPatch,
  ERRORS,
  ERROR_CODES,
  MEETING_ID_PATTERN,
  ParleyError,
  READABLE_ALPHABET,
  SERVER_MESSAGE_TYPES,
  ServerMessage,
  isErrorCode,
  normaliseMeetingId,
} from './index.js';

const meetingId = 'k7qm-x2hd-9tfa-wr3p';

test('client messages parse by type and require an id', () => {
  const join = ClientMessage.parse({ type: 'join', id: 2, meetingId, passcode: 'ab12cd34', displayName: '  Ann  ' });
  assert.equal(join.type === 'join' && join.displayName, 'Ann');
  assert.equal(ClientMessage.safeParse({ type: 'join', meetingId, displayName: 'Ann' }).success, false, 'no id');
  assert.equal(ClientMessage.safeParse({ type: 'join', id: 0, meetingId, displayName: 'Ann' }).success, false, 'id must be positive');
  assert.equal(ClientMessage.safeParse({ type: 'nope', id: 1 }).success, false);
  assert.deepEqual(CLIENT_MESSAGE_TYPES, [
    'hello', 'join', 'resume', 'setupMedia', 'connectTransport', 'restartIce', 'publish', 'unpublish',
    'resumeSubscription', 'setSubscription', 'setMuted', 'leave',
    'admit', 'deny', 'admitAll', 'lock', 'setRole', 'updateSettings', 'setSensitivity', 'endMeeting',
    'chat', 'approveMessage', 'rejectMessage', 'remove', 'allowBack', 'mute', 'muteAll', 'askToUnmute',
    'stopVideo', 'stopScreenShare', 'rename', 'raiseHand', 'lowerAllHands', 'lowerHand', 'react', 'suspend', 'report',
    'e2eeReady', 'e2eeGroupCreated', 'e2eeCommit', 'e2eeChat', 'firstFrame',
  ]);
});

test('end-to-end encryption messages carry base64 MLS bytes only, within bounds', () => {
  assert.ok(ClientMessage.safeParse({ type: 'e2eeReady', id: 1, keyPackage: 'AAECAwQ=' }).success);
  for (const bad of ['', 'not base64!', 'AAE', 'A'.repeat(60_004), 42]) {
    assert.equal(ClientMessage.safeParse({ type: 'e2eeReady', id: 1, keyPackage: bad }).success, false, String(bad).slice(0, 20));
  }
  assert.equal(ClientMessage.safeParse({ type: 'e2eeCommit', id: 1, commit: 'AAAA' }).success, false, 'the ratchet tree is required');
  const event = { type: 'e2ee', message: { kind: 'rejected', code: 'mls_stale_commit', input: 'commit', reason: 'stale' } };
  assert.ok(ServerMessage.safeParse(event).success);
  assert.equal(ServerMessage.safeParse({ ...event, message: { ...event.message, code: 'whatever' } }).success, false);
});

test('media messages check their values; media parameters must be JSON objects', () => {
  const base = { type: 'publish', id: 1, source: 'camera', kind: 'video', rtpParameters: { codecs: [], encodings: [] } };
  assert.ok(ClientMessage.safeParse(base).success);
  assert.equal(ClientMessage.safeParse({ ...base, source: 'hologram' }).success, false);
  for (const bad of ['v=0', [], null, 42]) assert.equal(ClientMessage.safeParse({ ...base, rtpParameters: bad }).success, false, JSON.stringify(bad));
  assert.equal(ClientMessage.safeParse({ type: 'setupMedia', id: 1, rtpCapabilities: 'x' }).success, false);
  assert.equal(ClientMessage.safeParse({ type: 'connectTransport', id: 1, transportId: '../etc', dtlsParameters: {} }).success, false, 'IDs are opaque tokens');
  assert.equal(ClientMessage.safeParse({ type: 'setSubscription', id: 1, trackId: 'abcdefgh', layer: 'ultra' }).success, false);
  assert.equal(ClientMessage.safeParse({ type: 'resume', id: 1, meetingId, participantId: 'abcdefgh', token: 'short' }).success, false);
});

test('display names are trimmed, bounded and free of control characters', () => {
  assert.equal(DisplayName.parse(' Zoë '), 'Zoë');
  for (const bad of ['', '   ', 'a'.repeat(65), 'evil\u0000name', 'line\nbreak', 'line\u2028separator']) {
    assert.equal(DisplayName.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

test('display names are NFKC-normalised, lose bidi controls, and must show something (L7)', () => {
  assert.equal(DisplayName.parse('evil\u202egnp.exe'), 'evilgnp.exe', 'bidi override stripped');
  assert.equal(DisplayName.parse('\u061cAda\u2066'), 'Ada', 'arabic letter mark and isolates stripped');
  assert.equal(DisplayName.parse('\uff21\uff44\uff41'), 'Ada', 'full-width letters folded');
  assert.equal(DisplayName.parse('Zoë 👩‍💻'), 'Zoë 👩‍💻', 'ordinary names and emoji sequences are kept');
  for (const invisible of ['\u200b', '\u3164', '\u3164\u3164', '\uffa0', '\u115f\u1160', '\u2800', '\u200b\u200d\ufeff', '\u061c', '\u00a0\u2003']) {
    assert.equal(DisplayName.safeParse(invisible).success, false, JSON.stringify(invisible));
  }
});

test('meeting IDs use the unambiguous alphabet in four groups of four', () => {
  assert.match(meetingId, MEETING_ID_PATTERN);
  for (const bad of ['k7qm-x2hd-9tfa', 'K7QM-X2HD-9TFA-WR3P', 'k7qm-x2hd-9tfa-wr3i', 'k7qm-x2hd-9tfa-wr3l', 'k7qmx2hd9tfawr3p']) {
    assert.doesNotMatch(bad, MEETING_ID_PATTERN, bad);
  }
  assert.equal(READABLE_ALPHABET.length, 32);
  assert.equal(normaliseMeetingId(' K7QM X2HD 9TFA WR3P '), meetingId);
});

test('server messages: replies and events parse; an error code must be in the taxonomy', () => {
  assert.ok(ServerMessage.safeParse({ type: 'error', id: null, code: 'bad_request', message: 'x' }).success);
  assert.equal(ServerMessage.safeParse({ type: 'error', id: 1, code: 'made_up', message: 'x' }).success, false);
  assert.ok(
    ServerMessage.safeParse({ type: 'subscription', trackId: 'abcdefgh', consumerId: 'c1', kind: 'video', rtpParameters: { codecs: [] } }).success,
  );
  assert.ok(SERVER_MESSAGE_TYPES.includes('participantLeft'));
});

test('errors carry their code and HTTP status', () => {
  const err = new ParleyError('meeting_access_denied');
  assert.equal(err.status, 403);
  assert.equal(err.message, ERRORS.meeting_access_denied.text);
  assert.ok(isErrorCode('forbidden'));
  assert.ok(!isErrorCode('toString'));
  assert.ok(ERROR_CODES.length >= 10);
});

test('a chat segment keeps its link through parsing', async () => {
  const { ChatSegment } = await import('./model.js');
  assert.deepEqual(ChatSegment.parse({ link: 'https://example.org/', text: 'https://example.org' }), { link: 'https://example.org/', text: 'https://example.org' });
  assert.deepEqual(ChatSegment.parse({ text: 'plain' }), { text: 'plain' });
  assert.equal(ChatSegment.safeParse({ text: 'x', html: '<b>' }).success, false);
});

test('sensitivity: a class of its own, chosen at creation and raised by setSensitivity, never a host setting', () => {
  assert.equal(CreateMeetingRequest.safeParse({ sensitivity: 'sensitive' }).success, true);
  assert.equal(CreateMeetingRequest.safeParse({}).success, true, 'omitted: standard');
  for (const bad of ['secret', 'SENSITIVE', '', 1, null]) assert.equal(CreateMeetingRequest.safeParse({ sensitivity: bad }).success, false, JSON.stringify(bad));
  assert.equal(ClientMessage.safeParse({ type: 'setSensitivity', id: 1, sensitivity: 'sensitive' }).success, true);
  assert.equal(ClientMessage.safeParse({ type: 'setSensitivity', id: 1, sensitivity: 'top-secret' }).success, false);
  // What the class forces is read-only: a host cannot patch the class, end-to-end encryption or the forced list.
  for (const key of ['sensitivity', 'e2ee', 'forcedBySensitivity', 'locked']) {
    assert.equal(MeetingSettingsPatch.safeParse({ [key]: key === 'forcedBySensitivity' ? [] : false }).success, false, key);
  }
  assert.ok(ServerMessage.safeParse({ type: 'bye', reason: 'sensitivity-raised', message: 'x' }).success);
});
