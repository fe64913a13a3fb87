/** The meeting reducer: server events in, state out. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RequestResult } from '@parley/protocol';
import { initialMeetingState, meetingReducer, tilesOf, type MeetingState } from './meetingState.js';

const track = (id: string): MediaStreamTrack => ({ id }) as unknown as MediaStreamTrack;

function joined(): MeetingState {
  const result: RequestResult<'join'> = {
    meeting: { id: 'k7qm-x2hd-9tfa-wr3p', title: 'T' },
    self: { id: 'p_self00', displayName: 'Me', role: 'participant', joinedAt: 3 },
    participants: [{ id: 'p_bob000', displayName: 'Bob', role: 'host', joinedAt: 1 }],
    tracks: [
      { id: 't_bobmic', participantId: 'p_bob000', kind: 'audio', source: 'microphone', muted: false },
      { id: 't_bobcam', participantId: 'p_bob000', kind: 'video', source: 'camera', muted: false },
    ],
    iceServers: [],
  };
  const local = { micOn: true, camOn: false, screenOn: false, cameraTrack: null, screenTrack: null, speakerId: '', deviceError: null };
  return meetingReducer(initialMeetingState(local), { type: 'joined', result });
}

test('join orders participants by join time and keeps their tracks', () => {
  const s = joined();
  assert.equal(s.phase, 'joined');
  assert.deepEqual(s.participants.map((p) => p.displayName), ['Bob', 'Me']);
  assert.equal(Object.keys(s.tracks).length, 2);
});

test('a camera tile shows video only once media arrived and while unmuted', () => {
  let s = joined();
  assert.equal(tilesOf(s).cameras[0]?.video, null);
  s = meetingReducer(s, { type: 'remoteTrack', trackId: 't_bobcam', track: track('x') });
  assert.equal(tilesOf(s).cameras[0]?.video?.id, 'x');
  s = meetingReducer(s, {
    type: 'event',
    event: { type: 'trackUpdated', track: { id: 't_bobcam', participantId: 'p_bob000', kind: 'video', source: 'camera', muted: true } },
  });
  assert.equal(tilesOf(s).cameras[0]?.video, null);
});

test('a screen share adds its own tile; unpublishing removes it and its media', () => {
  let s = joined();
  const screen = { id: 't_bobscr', participantId: 'p_bob000', kind: 'video', source: 'screen', muted: false } as const;
  s = meetingReducer(s, { type: 'event', event: { type: 'trackPublished', track: screen } });
  s = meetingReducer(s, { type: 'remoteTrack', trackId: 't_bobscr', track: track('s') });
  assert.equal(tilesOf(s).screens.length, 1);
  s = meetingReducer(s, { type: 'event', event: { type: 'trackUnpublished', trackId: 't_bobscr' } });
  assert.equal(tilesOf(s).screens.length, 0);
  assert.equal('t_bobscr' in s.media, false);
});

test('a participant leaving takes their tracks and media along', () => {
  let s = joined();
  s = meetingReducer(s, { type: 'remoteTrack', trackId: 't_bobcam', track: track('x') });
  s = meetingReducer(s, { type: 'event', event: { type: 'participantLeft', participantId: 'p_bob000', reason: 'left' } });
  assert.deepEqual(s.participants.map((p) => p.id), ['p_self00']);
  assert.deepEqual(s.tracks, {});
  assert.deepEqual(s.media, {});
});

test('nothing changes after the session ended', () => {
  let s = meetingReducer(joined(), { type: 'ended', ending: { code: 'left', message: '' } });
  const before = s;
  s = meetingReducer(s, { type: 'event', event: { type: 'participantLeft', participantId: 'p_bob000', reason: 'left' } });
  assert.equal(s, before);
});
