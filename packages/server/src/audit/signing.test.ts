import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CheckpointSigner, publicKeyFromPem, signatureProblem } from './signing.js';

describe('checkpoint signing', () => {
  it('creates the key file once, mode 0600, and reads the same key back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'parley-key-'));
    try {
      const path = join(dir, 'key.pem');
      const first = CheckpointSigner.open(path);
      assert.equal(statSync(path).mode & 0o777, 0o600);
      const again = CheckpointSigner.open(path);
      assert.equal(again.keyId, first.keyId);
      assert.match(readFileSync(path, 'utf8'), /BEGIN PRIVATE KEY/);
      assert.equal(publicKeyFromPem(first.publicKeyPem()).asymmetricKeyType, 'ed25519');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('accepts its own checkpoints and refuses altered or foreign ones', () => {
    const signer = new CheckpointSigner(generateKeyPairSync('ed25519').privateKey);
    const checkpoint = signer.sign(10, 'ab'.repeat(32), 1_700_000_000_000);
    assert.equal(signatureProblem(checkpoint, signer.publicKey), undefined);
    assert.equal(signatureProblem({ ...checkpoint, treeSize: 9 }, signer.publicKey), 'bad signature');
    assert.equal(signatureProblem({ ...checkpoint, headHash: 'cd'.repeat(32) }, signer.publicKey), 'bad signature');
    const other = new CheckpointSigner(generateKeyPairSync('ed25519').privateKey);
    assert.equal(signatureProblem(checkpoint, other.publicKey), 'signed by another key');
    // A forger who copies the key id still cannot sign.
    const forged = { ...other.sign(10, 'ab'.repeat(32), 1), keyId: signer.keyId };
    assert.equal(signatureProblem(forged, signer.publicKey), 'bad signature');
  });
});
