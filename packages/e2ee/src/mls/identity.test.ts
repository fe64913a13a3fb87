/** Identities encode canonically, decode only from canonical bytes, and refuse what the protocol refuses. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MlsError } from './errors.js';
import { decodeIdentity, encodeIdentity, sameIdentity, validateIdentity, type Identity } from './identity.js';

const ann: Identity = { participantId: 'p_ann123', accountId: 'acct_ann01', displayName: 'Ann Ö 😀' };
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const code = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (err) {
    return err instanceof MlsError ? err.code : 'not an MlsError';
  }
  return undefined;
};

test('encoding is fixed-order UTF-8 JSON and round-trips', () => {
  const bytes = encodeIdentity(ann);
  assert.equal(new TextDecoder().decode(bytes), '{"v":1,"participantId":"p_ann123","accountId":"acct_ann01","displayName":"Ann Ö 😀"}');
  assert.deepEqual(decodeIdentity(bytes), ann);
  const guest = { participantId: 'p_guest1', accountId: null, displayName: 'Guest' };
  assert.deepEqual(decodeIdentity(encodeIdentity(guest)), guest);
  // Field order in the input object does not matter.
  assert.deepEqual(encodeIdentity({ displayName: ann.displayName, accountId: ann.accountId, participantId: ann.participantId }), bytes);
});

test('only the canonical bytes decode', () => {
  const canonical = new TextDecoder().decode(encodeIdentity(ann));
  const variants = [
    canonical.replace(',', ', '), // whitespace
    '{"participantId":"p_ann123","v":1,"accountId":"acct_ann01","displayName":"Ann Ö 😀"}', // key order
    canonical.replace('}', ',"extra":1}'), // extra key
    canonical.replace('"v":1', '"v":2'), // version
    canonical.replace('Ö', '\\u00d6'), // another JSON escape of the same string
    canonical.replace('"acct_ann01"', '1'), // wrong type
    '[]',
    'null',
    'not json',
  ];
  for (const v of variants) assert.equal(code(() => decodeIdentity(utf8(v))), 'mls_bad_identity', v);
  assert.equal(code(() => decodeIdentity(new Uint8Array([0x7b, 0xff, 0x7d]))), 'mls_bad_identity', 'invalid UTF-8');
  assert.equal(code(() => decodeIdentity(new Uint8Array(0))), 'mls_bad_identity');
  assert.equal(code(() => decodeIdentity(new Uint8Array(2000).fill(0x20))), 'mls_bad_identity');
});

test('fields are validated like the protocol validates them', () => {
  const bad: Identity[] = [
    { ...ann, participantId: 'short' },
    { ...ann, participantId: 'has space' },
    { ...ann, participantId: 'x'.repeat(65) },
    { ...ann, accountId: '' },
    { ...ann, displayName: '' },
    { ...ann, displayName: ' padded' },
    { ...ann, displayName: 'a'.repeat(65) },
    { ...ann, displayName: 'line\nbreak' },
    { ...ann, displayName: 'ﬁ ligature' }, // not NFKC
    { ...ann, displayName: 'lone \ud800 surrogate' },
  ];
  for (const identity of bad) assert.equal(code(() => encodeIdentity(identity)), 'mls_bad_identity', JSON.stringify(identity));
  assert.equal(code(() => validateIdentity({ ...ann, displayName: '😀'.repeat(64) })), undefined, '64 code points are fine');
});

test('sameIdentity compares all three fields', () => {
  assert.equal(sameIdentity(ann, { ...ann }), true);
  assert.equal(sameIdentity(ann, { ...ann, displayName: 'Ann Ö 😁' }), false);
  assert.equal(sameIdentity(ann, { ...ann, accountId: null }), false);
  assert.equal(sameIdentity(ann, { ...ann, participantId: 'p_ann124' }), false);
});
