/**
 * The "Security code" people compare out of band: a rendering of the epoch authenticator
 * (RFC 9420 §8.7), a secret every member of an epoch derives and nobody else can. Equal codes on
 * every screen mean everyone is in the same epoch of the same group, with no one in the middle.
 *
 * Derivation: take the first 30 bytes of the epoch authenticator as six 5-byte chunks; read each
 * chunk as a big-endian unsigned 40-bit integer, reduce it mod 100 000 and zero-pad it to 5 digits;
 * join the six groups with single spaces. 30 digits carry ~99.7 bits; the modulo bias is below 1e-7
 * per group (2^40 is ~1.1e7 times 10^5).
 */
export const SECURITY_CODE_GROUPS = 6;
export const SECURITY_CODE_GROUP_DIGITS = 5;
const CHUNK_BYTES = 5;

export function securityCodeFromAuthenticator(epochAuthenticator: Uint8Array): string {
  if (epochAuthenticator.length < SECURITY_CODE_GROUPS * CHUNK_BYTES) {
    throw new RangeError(`the epoch authenticator must have at least ${SECURITY_CODE_GROUPS * CHUNK_BYTES} bytes`);
  }
  const groups: string[] = [];
  for (let g = 0; g < SECURITY_CODE_GROUPS; g++) {
    let value = 0n;
    for (const byte of epochAuthenticator.subarray(g * CHUNK_BYTES, (g + 1) * CHUNK_BYTES)) {
      value = (value << 8n) | BigInt(byte);
    }
    groups.push((value % 10n ** BigInt(SECURITY_CODE_GROUP_DIGITS)).toString().padStart(SECURITY_CODE_GROUP_DIGITS, '0'));
  }
  return groups.join(' ');
}
