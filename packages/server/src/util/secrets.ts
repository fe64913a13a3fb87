/**
 * Random identifiers and secret hashing. Meeting IDs and passcodes come from a CSPRNG over the
 * readable alphabet; passcodes are stored only as salted scrypt hashes and compared in constant time.
 */
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { GENERATED_PASSCODE_LENGTH, MEETING_ID_GROUPS, READABLE_ALPHABET } from '@parley/protocol';

function readable(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += READABLE_ALPHABET[randomInt(READABLE_ALPHABET.length)];
  return out;
}

/** 80 random bits, grouped: `k7qm-x2hd-9tfa-wr3p`. Never sequential. */
export function newMeetingId(): string {
  return Array.from({ length: MEETING_ID_GROUPS }, () => readable(4)).join('-');
}

/** 40 random bits. */
export function newPasscode(): string {
  return readable(GENERATED_PASSCODE_LENGTH);
}

/** An opaque URL-safe ID with `bytes` random bytes (participants, tracks, negotiations). */
export function newOpaqueId(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

// N = 2^15, r = 8: ~32 MiB and tens of milliseconds per hash; slow enough to make offline guessing costly.
const SCRYPT: ScryptOptions = { N: 1 << 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;

function scryptAsync(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$hash`, base64url parts. */
export async function hashSecret(secret: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(secret, salt, SCRYPT);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** A hash of a random secret nobody knows: verifying against it costs the same as a real check. */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashSecret(randomBytes(16).toString('hex'));
  return decoy;
}

/** Constant-time verification of `secret` against a stored hash. False for malformed hashes. */
export async function verifySecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !saltText || !keyText) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const options: ScryptOptions = { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem };
  const actual = await scryptAsync(secret, Buffer.from(saltText, 'base64url'), options);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
