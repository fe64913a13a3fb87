import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lostDevices } from './deviceFollower.js';

const device = (kind: MediaDeviceKind, deviceId: string): MediaDeviceInfo => ({ kind, deviceId, groupId: '', label: deviceId, toJSON: () => ({}) });
const LISTS = {
  cameras: [device('videoinput', 'cam-1'), device('videoinput', 'cam-2')],
  microphones: [device('audioinput', 'mic-1')],
  speakers: [device('audiooutput', 'spk-1')],
};

test('a device in use that is no longer plugged in is lost', () => {
  assert.deepEqual(lostDevices({ camera: 'cam-3', microphone: 'mic-1', speaker: 'spk-2' }, LISTS), ['camera', 'speaker']);
});

test('devices still there, none open, or defaults are not lost', () => {
  assert.deepEqual(lostDevices({ camera: 'cam-2', microphone: 'mic-1', speaker: 'spk-1' }, LISTS), []);
  assert.deepEqual(lostDevices({ camera: null, microphone: null, speaker: '' }, LISTS), []);
  assert.deepEqual(lostDevices({ camera: 'default', microphone: 'default', speaker: 'default' }, LISTS), []);
});

test('an empty list (no permission) proves nothing', () => {
  assert.deepEqual(lostDevices({ camera: 'cam-9', microphone: 'mic-9', speaker: 'spk-9' }, { cameras: [], microphones: [], speakers: [] }), []);
});
