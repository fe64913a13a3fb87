/** The server's MLS side: its external-sender entry, signed proposals, and public parsing. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MlsError } from './errors.js';
import { encodeIdentity, type Identity } from './identity.js';
import { ExternalSender, groupExtensions } from './external-sender.js';
import { inspectKeyPackage, inspectMessage, inspectRatchetTree, inspectWelcome, leafIndexOf } from './inspect.js';
import {
  CIPHER_SUITE,
  capabilities,
  createGroup,
  decodeExternalSender,
  decodeMessage,
  defaultClientConfig,
  encodeMessage,
  encodeTree,
  generateKeyPackage,
  keyPackageLifetime,
  suite,
} from './mls-lib.js';

const bob: Identity = { participantId: 'p_bob001', accountId: null, displayName: 'Bob' };

async function keyPackage(identity: Identity, credentialBytes = encodeIdentity(identity), nowMs = Date.now()) {
  const kp = await generateKeyPackage({ credentialType: 'basic', identity: credentialBytes }, capabilities(), keyPackageLifetime(nowMs), [], await suite());
  return { ...kp, bytes: encodeMessage({ version: 'mls10', wireformat: 'mls_key_package', keyPackage: kp.publicPackage }) };
}

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err instanceof MlsError ? err.code : `not an MlsError: ${String(err)}`;
  }
  return undefined;
}

test('the external-sender entry names the server’s signature key', async () => {
  const es = await ExternalSender.generate();
  const decoded = decodeExternalSender(es.externalSenderBytes(), 0);
  assert.ok(decoded);
  assert.deepEqual(decoded[0].signaturePublicKey, es.signaturePublicKey);
  assert.equal(decoded[0].credential.credentialType, 'basic');
  assert.notDeepEqual((await ExternalSender.generate()).signaturePublicKey, es.signaturePublicKey, 'fresh keys each time');
});

test('proposals are public, from external sender 0, carry the target identity, and have the right header', async () => {
  const es = await ExternalSender.generate();
  const groupId = new Uint8Array([1, 2, 3, 4]);
  const kp = await keyPackage(bob);
  const add = await es.proposeAdd(groupId, 7, kp.bytes);
  assert.deepEqual(inspectMessage(add), { groupId, epoch: 7, contentType: 'proposal', wireFormat: 'mls_public_message' });
  const m = decodeMessage(add);
  assert.ok(m.wireformat === 'mls_public_message' && m.publicMessage.content.contentType === 'proposal');
  assert.deepEqual(m.publicMessage.content.sender, { senderType: 'external', senderIndex: 0 });
  assert.deepEqual(m.publicMessage.content.authenticatedData, encodeIdentity(bob));
  assert.equal(m.publicMessage.content.proposal.proposalType, 'add');

  const remove = await es.proposeRemove(groupId, 8, 3, bob);
  const r = decodeMessage(remove);
  assert.ok(r.wireformat === 'mls_public_message' && r.publicMessage.content.contentType === 'proposal');
  assert.deepEqual(r.publicMessage.content.proposal, { proposalType: 'remove', remove: { removed: 3 } });
  assert.equal(inspectMessage(remove).epoch, 8);
  assert.equal(await codeOf(es.proposeAdd(groupId, 1, add)), 'mls_bad_key_package', 'a proposal is not a key package');
});

test('inspectKeyPackage returns the identity of a valid, self-signed key package and refuses others', async () => {
  const kp = await keyPackage(bob);
  const info = await inspectKeyPackage(kp.bytes, Date.now());
  assert.deepEqual(info.identity, bob);
  assert.deepEqual(info.signatureKey, kp.publicPackage.leafNode.signaturePublicKey);
  assert.equal(info.ref.length, 32);

  const tampered = kp.bytes.slice();
  tampered[tampered.length - 1] = (tampered.at(-1) ?? 0) ^ 1; // inside the key package signature
  assert.equal(await codeOf(inspectKeyPackage(tampered)), 'mls_bad_key_package');
  assert.equal(await codeOf(inspectKeyPackage(kp.bytes.subarray(0, 40))), 'mls_bad_key_package');
  assert.equal(await codeOf(inspectKeyPackage(new Uint8Array([0, 1, 0, 5]))), 'mls_bad_key_package');
  const noIdentity = await keyPackage(bob, new TextEncoder().encode('bob'));
  assert.equal(await codeOf(inspectKeyPackage(noIdentity.bytes)), 'mls_bad_key_package');
  // Lifetimes against an injected clock (a KeyPackage is valid from a day before to 7 days after it is made).
  const dayMs = 24 * 3600 * 1000;
  const today = Date.now();
  assert.equal(await codeOf(inspectKeyPackage(kp.bytes, today + 30 * dayMs)), 'mls_bad_key_package', 'expired');
  const future = await keyPackage(bob, encodeIdentity(bob), today + 3 * dayMs);
  assert.equal(await codeOf(inspectKeyPackage(future.bytes, today)), 'mls_bad_key_package', 'not yet valid');
});

test('inspectMessage, inspectWelcome and leafIndexOf read public data only', async () => {
  const es = await ExternalSender.generate();
  const kp = await keyPackage(bob);
  assert.equal(await codeOf(() => inspectMessage(kp.bytes)), 'mls_bad_message', 'a key package is not a framed message');
  assert.equal(await codeOf(() => inspectMessage(new Uint8Array([9, 9, 9]))), 'mls_bad_message');
  assert.equal(await codeOf(() => inspectWelcome(kp.bytes)), 'mls_bad_welcome');

  const groupId = new Uint8Array(16).fill(5);
  const state = await createGroup(groupId, kp.publicPackage, kp.privatePackage, groupExtensions(es.externalSenderBytes()), await suite(), defaultClientConfig);
  assert.equal(state.groupContext.cipherSuite, CIPHER_SUITE);
  const tree = encodeTree(state.ratchetTree);
  assert.equal(leafIndexOf(tree, bob.participantId), 0);
  assert.equal(leafIndexOf(tree, 'p_nobody1'), undefined);
  const { leaves } = await inspectRatchetTree(tree, groupId);
  assert.deepEqual(leaves.map((l) => [l.leafIndex, l.identity]), [[0, bob]]);
  const forged = tree.slice();
  forged[forged.length - 1] = (forged.at(-1) ?? 0) ^ 1; // the leaf's signature
  assert.equal(await codeOf(inspectRatchetTree(forged, groupId)), 'mls_bad_ratchet_tree');
  assert.equal(await codeOf(inspectRatchetTree(tree.subarray(1), groupId)), 'mls_bad_ratchet_tree');
});
