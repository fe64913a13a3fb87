/** The tab's stored resume credential: per meeting, validated, cleared. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clearResume, loadResume, saveResume, type StoredResume } from './resumeStore.js';

function memoryStorage(): Storage {
  const data = new Map<string, string>();
  return {
    get length() {
      return data.size;
    },
    clear: () => data.clear(),
    getItem: (k) => data.get(k) ?? null,
    key: (i) => [...data.keys()][i] ?? null,
    removeItem: (k) => void data.delete(k),
    setItem: (k, v) => void data.set(k, v),
  };
}

const STORED: StoredResume = {
  meetingId: 'k7qm-x2hd-9tfa-wr3p',
  participantId: 'p_abcdef',
  token: 'resume-token-0123456789',
  windowSeconds: 60,
  micOn: true,
  camOn: false,
  cameraId: 'cam1',
  micId: '',
  speakerId: '',
  displayName: 'Ann',
};

test('stored for one meeting only, and gone once cleared', () => {
  const storage = memoryStorage();
  saveResume(STORED, storage);
  assert.deepEqual(loadResume(STORED.meetingId, storage), STORED);
  assert.equal(loadResume('zzzz-zzzz-zzzz-zzzz', storage), null, 'another meeting is not resumed');
  clearResume(storage, 'p_other0');
  assert.deepEqual(loadResume(STORED.meetingId, storage), STORED, 'another participant’s session does not clear it');
  clearResume(storage, STORED.participantId);
  assert.equal(loadResume(STORED.meetingId, storage), null);
  saveResume(STORED, storage);
  clearResume(storage);
  assert.equal(loadResume(STORED.meetingId, storage), null);
});

test('anything malformed is ignored; no storage is no credential', () => {
  const storage = memoryStorage();
  storage.setItem('parley.resume.v1', '{not json');
  assert.equal(loadResume(STORED.meetingId, storage), null);
  storage.setItem('parley.resume.v1', JSON.stringify({ ...STORED, token: 'short' }));
  assert.equal(loadResume(STORED.meetingId, storage), null);
  assert.equal(loadResume(STORED.meetingId, null), null);
  saveResume(STORED, null);
});
