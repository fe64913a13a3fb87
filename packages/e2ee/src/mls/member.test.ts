/**
 * Members enforce Parley's policy on top of MLS. Mallory is a real member of the group driven with
 * ts-mls directly (no policy), so what she sends is valid MLS that only our policy refuses.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MlsError } from './errors.js';
import { encodeIdentity, type Identity } from './identity.js';
import { ExternalSender, groupExtensions } from './external-sender.js';
import { createMember } from './member.js';
import {
  capabilities,
  createApplicationMessage,
  createCommit,
  createGroup,
  createProposal,
  decodeMessage,
  defaultClientConfig,
  emptyPskIndex,
  encodeMessage,
  encodeTree,
  generateKeyPackage,
  keyPackageLifetime,
  processMessage,
  suite,
  type ClientState,
  type CreateCommitResult,
} from './mls-lib.js';

const id = (name: string): Identity => ({ participantId: `p_${name.toLowerCase()}01`, accountId: null, displayName: name });
const mallory = id('Mallory');

async function codeOf(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (err) {
    return err instanceof MlsError ? err.code : `not an MlsError: ${String(err)}`;
  }
  return undefined;
}

async function rawKeyPackage(identity: Identity) {
  return generateKeyPackage({ credentialType: 'basic', identity: encodeIdentity(identity) }, capabilities(), keyPackageLifetime(Date.now()), [], await suite());
}

/** Feeds a server proposal to Mallory's raw state (she accepts anything). */
async function rawReceive(state: ClientState, message: Uint8Array): Promise<ClientState> {
  const m = decodeMessage(message);
  assert.ok(m.wireformat === 'mls_public_message' || m.wireformat === 'mls_private_message');
  const r = await processMessage(m, state, emptyPskIndex, () => 'accept', await suite());
  return r.newState;
}

function welcomeBytes(c: CreateCommitResult): Uint8Array {
  assert.ok(c.welcome);
  return encodeMessage({ version: 'mls10', wireformat: 'mls_welcome', welcome: c.welcome });
}

/**
 * Mallory creates the group with `server` as external sender; the server adds Alice; Mallory
 * commits it honestly. Alice is told `aliceSees` is the server; Mallory's credential is `malloryCredential`.
 */
async function malloryAndAlice(options: { server?: ExternalSender; aliceSees?: ExternalSender; malloryCredential?: Uint8Array } = {}) {
  const server = options.server ?? (await ExternalSender.generate());
  const groupId = crypto.getRandomValues(new Uint8Array(16));
  const mkp = await generateKeyPackage(
    { credentialType: 'basic', identity: options.malloryCredential ?? encodeIdentity(mallory) },
    capabilities(),
    keyPackageLifetime(Date.now()),
    [],
    await suite(),
  );
  let m = await createGroup(groupId, mkp.publicPackage, mkp.privatePackage, groupExtensions(server.externalSenderBytes()), await suite(), defaultClientConfig);
  const alice = await createMember(id('Alice'));
  m = await rawReceive(m, await server.proposeAdd(groupId, 0, alice.keyPackage()));
  const c = await createCommit({ state: m, cipherSuite: await suite() });
  m = c.newState;
  const joined = alice.joinFromWelcome(welcomeBytes(c), encodeTree(m.ratchetTree), (options.aliceSees ?? server).externalSenderBytes());
  return { server, groupId, m, alice, joined };
}

test('an honest group: Alice joins Mallory’s group through the server’s proposal', async () => {
  const { alice, joined, m } = await malloryAndAlice();
  await joined;
  assert.equal(alice.epoch, 1);
  assert.deepEqual(alice.members().map((x) => x.identity), [mallory, id('Alice')]);
  assert.equal(alice.ownLeafIndex(), 1);
  assert.equal(m.groupContext.epoch, 1n);
  assert.equal(await codeOf(() => alice.keyPackage()), 'mls_already_in_group', 'a key package is used once');
});

test('members refuse proposals from members, public or encrypted', async () => {
  const { alice, joined, m } = await malloryAndAlice();
  await joined;
  const eve = await rawKeyPackage(id('Eve'));
  for (const publicMessage of [true, false]) {
    const p = await createProposal(m, publicMessage, { proposalType: 'add', add: { keyPackage: eve.publicPackage } }, await suite());
    assert.equal(await codeOf(alice.handleProposal(encodeMessage(p.message), { kind: 'add', identity: id('Eve') })), 'mls_forbidden_proposal');
  }
});

test('members refuse a commit with an Add by value, and still take the next honest commit', async () => {
  const { alice, joined, server, groupId, m } = await malloryAndAlice();
  await joined;
  const eve = await rawKeyPackage(id('Eve'));
  const byValue = await createCommit({ state: m, cipherSuite: await suite() }, { extraProposals: [{ proposalType: 'add', add: { keyPackage: eve.publicPackage } }] });
  const before = alice.securityCode();
  assert.equal(await codeOf(alice.handleCommit(encodeMessage(byValue.commit))), 'mls_forbidden_proposal');
  assert.equal(alice.epoch, 1, 'Alice stayed in her epoch');
  assert.equal(alice.securityCode(), before);

  // The server adds Carol; Mallory (from her state before the bad commit) commits it honestly.
  const carol = await createMember(id('Carol'));
  const add = await server.proposeAdd(groupId, 1, carol.keyPackage());
  await alice.handleProposal(add, { kind: 'add', identity: carol.identity });
  const honest = await createCommit({ state: await rawReceive(m, add), cipherSuite: await suite() });
  await alice.handleCommit(encodeMessage(honest.commit));
  await carol.joinFromWelcome(welcomeBytes(honest), encodeTree(honest.newState.ratchetTree), server.externalSenderBytes());
  assert.equal(alice.epoch, 2);
  assert.equal(carol.securityCode(), alice.securityCode());
  assert.deepEqual(alice.members().map((x) => x.identity.displayName), ['Mallory', 'Alice', 'Carol']);
});

test('members refuse a commit that leaves out a server proposal', async () => {
  const { alice, joined, server, groupId, m } = await malloryAndAlice();
  await joined;
  const carol = await createMember(id('Carol'));
  await alice.handleProposal(await server.proposeAdd(groupId, 1, carol.keyPackage()), { kind: 'add', identity: carol.identity });
  // Mallory never stored the proposal: her commit is empty (an UpdatePath only).
  const empty = await createCommit({ state: m, cipherSuite: await suite() });
  assert.equal(await codeOf(alice.handleCommit(encodeMessage(empty.commit))), 'mls_forbidden_proposal');
  assert.equal(alice.epoch, 1);
});

test('members refuse proposals signed by anyone but the group’s external sender', async () => {
  const { alice, joined, groupId } = await malloryAndAlice();
  await joined;
  const impostor = await ExternalSender.generate();
  const carol = await createMember(id('Carol'));
  assert.equal(await codeOf(alice.handleProposal(await impostor.proposeAdd(groupId, 1, carol.keyPackage()), { kind: 'add', identity: carol.identity })), 'mls_forbidden_proposal');
});

test('members refuse a proposal that is not the one the server announced', async () => {
  const { alice, joined, server, groupId } = await malloryAndAlice();
  await joined;
  const carol = await createMember(id('Carol'));
  const add = await server.proposeAdd(groupId, 1, carol.keyPackage());
  assert.equal(await codeOf(alice.handleProposal(add, { kind: 'add', identity: id('Dave') })), 'mls_unexpected_proposal');
  assert.equal(await codeOf(alice.handleProposal(add, { kind: 'remove', identity: carol.identity })), 'mls_unexpected_proposal');
  assert.equal(await codeOf(alice.handleProposal(add, { kind: 'add', identity: { ...carol.identity, displayName: 'Carol 2' } })), 'mls_unexpected_proposal');
  // A Remove of leaf 0 (Mallory) that claims to remove Alice.
  const lying = await server.proposeRemove(groupId, 1, 0, alice.identity);
  assert.equal(await codeOf(alice.handleProposal(lying, { kind: 'remove', identity: alice.identity })), 'mls_unexpected_proposal');
  assert.equal(await codeOf(alice.handleProposal(await server.proposeAdd(groupId, 0, carol.keyPackage()), { kind: 'add', identity: carol.identity })), 'mls_stale_message');
  // The right expectation is accepted; while it waits for a commit, chat must wait too (RFC 9420 §12.1).
  await alice.handleProposal(add, { kind: 'add', identity: carol.identity });
  assert.equal(await codeOf(alice.encryptChat(new Uint8Array([1]))), 'mls_pending_proposals');
});

test('a joiner refuses a group whose external sender is not the server it was told about', async () => {
  const { joined } = await malloryAndAlice({ aliceSees: await ExternalSender.generate() });
  assert.equal(await codeOf(joined), 'mls_bad_external_sender');
});

test('a joiner refuses a Welcome into a tree with a leaf that holds no valid identity', async () => {
  const { joined } = await malloryAndAlice({ malloryCredential: new TextEncoder().encode('mallory') });
  await assert.rejects(joined, (err) => err instanceof MlsError && err.code === 'mls_bad_welcome' && /credential/.test(err.message));
});

test('chat: the sender is authenticated from its leaf; other groups’ messages are refused', async () => {
  const { alice, joined, m } = await malloryAndAlice();
  await joined;
  const text = new TextEncoder().encode('hello from Mallory');
  const sent = await createApplicationMessage(m, text, await suite());
  const got = await alice.decryptChat(encodeMessage({ version: 'mls10', wireformat: 'mls_private_message', privateMessage: sent.privateMessage }));
  assert.deepEqual(got.sender, mallory);
  assert.equal(got.senderLeafIndex, 0);
  assert.deepEqual(got.plaintext, text);

  const other = await malloryAndAlice();
  await other.joined;
  const elsewhere = await other.alice.encryptChat(text);
  assert.equal(await codeOf(alice.decryptChat(elsewhere)), 'mls_wrong_group');
  assert.equal(await codeOf(alice.decryptChat(new Uint8Array(60 * 1024))), 'mls_bad_message');
});
