/**
 * The checkpoint signing key (Ed25519, node:crypto) and what a checkpoint signature covers.
 * The private key lives in one PEM file, created on first start with mode 0600 and never logged;
 * anyone holding the public key (`npm run parley -- audit public-key`) can check checkpoints.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { linkSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import type { Checkpoint } from './chain.js';

export const KEY_FILE_NAME = 'audit-signing-key.pem';

export function keyFilePath(dataDir: string, configured: string | undefined): string {
  return configured ?? join(dataDir, KEY_FILE_NAME);
}

/** The key's identity: SHA-256 (hex) of its public key's SubjectPublicKeyInfo DER. */
export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** The exact bytes signed: canonical JSON of the checkpoint's claim, with a type that binds its meaning. */
export function checkpointMessage(c: Pick<Checkpoint, 'treeSize' | 'headHash' | 'at' | 'keyId'>): Buffer {
  const text = canonicalize({ type: 'parley.audit.checkpoint.v1', treeSize: c.treeSize, headHash: c.headHash, at: c.at, keyId: c.keyId });
  return Buffer.from(text ?? '', 'utf8');
}

export class CheckpointSigner {
  readonly publicKey: KeyObject;
  readonly keyId: string;
  readonly #privateKey: KeyObject;

  constructor(privateKey: KeyObject) {
    if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('the audit signing key must be an Ed25519 key');
    this.#privateKey = privateKey;
    this.publicKey = createPublicKey(privateKey);
    this.keyId = keyIdOf(this.publicKey);
  }

  /**
   * Reads the key file, or creates it (mode 0600, exclusive create: never overwrites) when absent.
   * `warn` hears about a key file others may read (the message never holds the key).
   */
  static open(path: string, warn: (message: string) => void = () => {}): CheckpointSigner {
    let pem: string;
    try {
      pem = readFileSync(path, 'utf8');
      if ((statSync(path).mode & 0o077) !== 0) warn(`the audit signing key file ${path} is readable by others: chmod 600 it`);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const { privateKey } = generateKeyPairSync('ed25519');
      pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      // Written whole to a private file, then linked into place: never overwrites, and a process that
      // shares the data directory and starts at the same moment never reads a half-written key.
      const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      writeFileSync(partial, pem, { mode: 0o600, flag: 'wx' });
      try {
        linkSync(partial, path);
      } catch (raced) {
        if ((raced as NodeJS.ErrnoException).code !== 'EEXIST') throw raced;
        pem = readFileSync(path, 'utf8'); // the other process's key: one key for both
      } finally {
        unlinkSync(partial);
      }
    }
    return new CheckpointSigner(createPrivateKey(pem));
  }

  publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  }

  sign(treeSize: number, headHash: string, at: number): Checkpoint {
    const claim = { treeSize, headHash, at, keyId: this.keyId };
    return { ...claim, signature: sign(null, checkpointMessage(claim), this.#privateKey).toString('base64') };
  }
}

/** Why a checkpoint's signature does not hold under `publicKey`, or undefined when it does. */
export function signatureProblem(checkpoint: Checkpoint, publicKey: KeyObject): string | undefined {
  if (checkpoint.keyId !== keyIdOf(publicKey)) return 'signed by another key';
  let ok = false;
  try {
    ok = verify(null, checkpointMessage(checkpoint), publicKey, Buffer.from(checkpoint.signature, 'base64'));
  } catch {
    ok = false;
  }
  return ok ? undefined : 'bad signature';
}

/** A public key from PEM (SPKI) text. */
export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error('not an Ed25519 public key');
  return key;
}
