/**
 * SFrame cipher suites. Suites 1-5 are RFC 9605's (§4.5, IANA registry §8.1). Suites 6-8, AES-256-CTR
 * with HMAC-SHA-512, are NOT in RFC 9605: the SFrame working group's repository (sframe-wg/sframe,
 * reference implementation and test-vectors-aes256.json) numbers them so; they are here only so those
 * published vectors can be checked, and Parley does not use them.
 */
import { SFrameError } from './errors.js';

export const CipherSuite = {
  AES_128_CTR_HMAC_SHA256_80: 0x0001,
  AES_128_CTR_HMAC_SHA256_64: 0x0002,
  AES_128_CTR_HMAC_SHA256_32: 0x0003,
  AES_128_GCM_SHA256_128: 0x0004,
  AES_256_GCM_SHA512_128: 0x0005,
  /** Not RFC 9605: sframe-wg/sframe's AES-256-CTR extension (see the file comment). */
  AES_256_CTR_HMAC_SHA512_80: 0x0006,
  /** Not RFC 9605: sframe-wg/sframe's AES-256-CTR extension. */
  AES_256_CTR_HMAC_SHA512_64: 0x0007,
  /** Not RFC 9605: sframe-wg/sframe's AES-256-CTR extension. */
  AES_256_CTR_HMAC_SHA512_32: 0x0008,
} as const;

export type CipherSuiteId = (typeof CipherSuite)[keyof typeof CipherSuite];

/** What Parley encrypts media with: full 128-bit tags, AES-GCM is hardware-fast in every browser. */
export const PARLEY_CIPHER_SUITE: CipherSuiteId = CipherSuite.AES_128_GCM_SHA256_128;

/** The constants of RFC 9605 §4.4 / §4.5 for one suite. */
export interface CipherSuiteParams {
  readonly id: CipherSuiteId;
  readonly name: keyof typeof CipherSuite;
  /** GCM, or the encrypt-then-MAC construction of RFC 9605 §4.5.1. */
  readonly aead: 'AES-GCM' | 'AES-CTR-HMAC';
  /** Hash for HKDF (and for HMAC in the CTR suites). */
  readonly hash: 'SHA-256' | 'SHA-512';
  /** Hash.Nh: hash output bytes. */
  readonly nh: number;
  /** AEAD.Nka: AES key bytes inside the compound key (CTR suites); equals nk for GCM. */
  readonly nka: number;
  /** AEAD.Nk: AEAD key bytes (Nka + Nh for the CTR suites). */
  readonly nk: number;
  /** AEAD.Nn: nonce bytes. */
  readonly nn: number;
  /** AEAD.Nt: tag bytes. */
  readonly nt: number;
  /** Registered by RFC 9605. */
  readonly rfc9605: boolean;
}

function ctrHmac(id: CipherSuiteId, name: keyof typeof CipherSuite, aes: 16 | 32, nt: number, rfc9605: boolean): CipherSuiteParams {
  const [hash, nh] = aes === 16 ? (['SHA-256', 32] as const) : (['SHA-512', 64] as const);
  return { id, name, aead: 'AES-CTR-HMAC', hash, nh, nka: aes, nk: aes + nh, nn: 12, nt, rfc9605 };
}

const SUITES: ReadonlyMap<number, CipherSuiteParams> = new Map<number, CipherSuiteParams>(
  [
    ctrHmac(0x0001, 'AES_128_CTR_HMAC_SHA256_80', 16, 10, true),
    ctrHmac(0x0002, 'AES_128_CTR_HMAC_SHA256_64', 16, 8, true),
    ctrHmac(0x0003, 'AES_128_CTR_HMAC_SHA256_32', 16, 4, true),
    { id: 0x0004, name: 'AES_128_GCM_SHA256_128', aead: 'AES-GCM', hash: 'SHA-256', nh: 32, nka: 16, nk: 16, nn: 12, nt: 16, rfc9605: true } as const,
    { id: 0x0005, name: 'AES_256_GCM_SHA512_128', aead: 'AES-GCM', hash: 'SHA-512', nh: 64, nka: 32, nk: 32, nn: 12, nt: 16, rfc9605: true } as const,
    ctrHmac(0x0006, 'AES_256_CTR_HMAC_SHA512_80', 32, 10, false),
    ctrHmac(0x0007, 'AES_256_CTR_HMAC_SHA512_64', 32, 8, false),
    ctrHmac(0x0008, 'AES_256_CTR_HMAC_SHA512_32', 32, 4, false),
  ].map((s) => [s.id, s]),
);

/** Every suite known here, in id order. */
export const ALL_CIPHER_SUITES: readonly CipherSuiteParams[] = [...SUITES.values()];

/** The parameters of suite `id`; SFrameError 'unsupported-suite' for any other number. */
export function cipherSuite(id: number): CipherSuiteParams {
  const suite = SUITES.get(id);
  if (!suite) throw new SFrameError('unsupported-suite', `cipher suite 0x${id.toString(16).padStart(4, '0')} is not supported`);
  return suite;
}
