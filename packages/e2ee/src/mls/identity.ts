/**
 * The identity a leaf's credential binds (RFC 9420 §5.3): who the server verified this client to be.
 * It travels as the `identity` bytes of a BasicCredential, encoded canonically so that every client
 * decodes the same bytes to the same identity and no two encodings mean the same person.
 */
import { MlsError } from './errors.js';

export interface Identity {
  /** The server-minted participant ID of this connection (an opaque ID). */
  readonly participantId: string;
  /** The signed-in account's ID; null for guests. */
  readonly accountId: string | null;
  /** The display name the server accepted (already normalised by the protocol's DisplayName). */
  readonly displayName: string;
}

/** Opaque server-minted IDs, as in @parley/protocol's OpaqueId. */
const OPAQUE_ID = /^[A-Za-z0-9_-]{6,64}$/;
/** Matches @parley/protocol's DisplayName bound: 1..64 code points. */
const MAX_DISPLAY_NAME_CODE_POINTS = 64;
// C0/C1 controls and line/paragraph separators; the protocol's DisplayName refuses them too.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;
const LONE_SURROGATE = /\p{Cs}/u;
/** Far above any valid encoding (3 fields, the longest 64 code points of up to 4 bytes, JSON-escaped). */
export const MAX_IDENTITY_BYTES = 1024;

const KEYS = ['v', 'participantId', 'accountId', 'displayName'] as const;
const VERSION = 1;

/** Throws mls_bad_identity unless `identity` is one this module will encode. */
export function validateIdentity(identity: Identity): Identity {
  const { participantId, accountId, displayName } = identity;
  if (typeof participantId !== 'string' || !OPAQUE_ID.test(participantId)) {
    throw new MlsError('mls_bad_identity', 'participantId is not an opaque ID');
  }
  if (accountId !== null && (typeof accountId !== 'string' || !OPAQUE_ID.test(accountId))) {
    throw new MlsError('mls_bad_identity', 'accountId is neither null nor an opaque ID');
  }
  if (typeof displayName !== 'string' || displayName.length === 0 || displayName.trim() !== displayName) {
    throw new MlsError('mls_bad_identity', 'displayName is empty or has surrounding spaces');
  }
  if ([...displayName].length > MAX_DISPLAY_NAME_CODE_POINTS || CONTROL.test(displayName)) {
    throw new MlsError('mls_bad_identity', 'displayName is too long or has control characters');
  }
  if (LONE_SURROGATE.test(displayName) || displayName !== displayName.normalize('NFKC')) {
    throw new MlsError('mls_bad_identity', 'displayName is not NFKC-normalised well-formed Unicode');
  }
  return { participantId, accountId, displayName };
}

/**
 * Canonical bytes: UTF-8 JSON with keys in a fixed order and no whitespace,
 * `{"v":1,"participantId":…,"accountId":…,"displayName":…}`. JSON.stringify's escaping is fixed by
 * ECMA-262, so encoding is a function; decoding re-encodes and compares, so it is injective.
 */
export function encodeIdentity(identity: Identity): Uint8Array {
  const { participantId, accountId, displayName } = validateIdentity(identity);
  const json = JSON.stringify({ v: VERSION, participantId, accountId, displayName });
  return new TextEncoder().encode(json);
}

/** Decodes and validates canonical identity bytes; throws mls_bad_identity on anything else. */
export function decodeIdentity(bytes: Uint8Array): Identity {
  if (bytes.length === 0 || bytes.length > MAX_IDENTITY_BYTES) {
    throw new MlsError('mls_bad_identity', 'identity bytes are empty or too long');
  }
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new MlsError('mls_bad_identity', 'identity bytes are not UTF-8 JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MlsError('mls_bad_identity', 'identity is not a JSON object');
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  if (keys.length !== KEYS.length || !KEYS.every((k, i) => keys[i] === k) || record.v !== VERSION) {
    throw new MlsError('mls_bad_identity', 'identity has unexpected keys or version');
  }
  const { participantId, accountId, displayName } = record;
  if (typeof participantId !== 'string' || typeof displayName !== 'string' || (accountId !== null && typeof accountId !== 'string')) {
    throw new MlsError('mls_bad_identity', 'identity fields have the wrong types');
  }
  const identity = validateIdentity({ participantId, accountId, displayName });
  if (!bytesEqual(encodeIdentity(identity), bytes)) {
    throw new MlsError('mls_bad_identity', 'identity bytes are not in canonical form');
  }
  return identity;
}

/** The same person on the same connection: all three fields equal (exact code points). */
export function sameIdentity(a: Identity, b: Identity): boolean {
  return a.participantId === b.participantId && a.accountId === b.accountId && a.displayName === b.displayName;
}

function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
