/**
 * The delivery service with real members and the real external sender: a small in-memory meeting
 * routes the DS's deliveries to MlsMember clients the way the browser will. Time is injected.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DeliveryService, type Delivery, type DsMessage } from './delivery.js';
import { ExternalSender } from './external-sender.js';
import { createMember, type ChatMessage, type MlsMember } from './member.js';
import { MlsError } from './errors.js';
import type { Identity } from './identity.js';

const TIMEOUT = 5_000;
const id = (name: string): Identity => ({ participantId: `p_${name.toLowerCase()}01`, accountId: `a_${name.toLowerCase()}01`, displayName: name });

class Client {
  readonly pid: string;
  readonly member: MlsMember;
  readonly inbox: DsMessage[] = [];
  readonly chats: ChatMessage[] = [];
  readonly errors: unknown[] = [];
  /** Commit requests kept for the test to answer (or not). */
  readonly heldRequests: DsMessage[] = [];
  holdCommitRequests = false;
  left = false;
  /** The key package this client gave the DS. */
  readonly keyPackage: Uint8Array;

  constructor(member: MlsMember) {
    this.member = member;
    this.pid = member.identity.participantId;
    this.keyPackage = member.keyPackage();
  }

  rejected(): { code: string; input: string }[] {
    return this.inbox.flatMap((m) => (m.kind === 'rejected' ? [{ code: m.code, input: m.input }] : []));
  }
}

class Meeting {
  readonly ds: DeliveryService;
  readonly es: ExternalSender;
  readonly clients = new Map<string, Client>();
  /** Every byte string that went into or came out of the DS. */
  readonly seenByDs: Uint8Array[] = [];
  /** Deliveries addressed to someone who had left: must stay empty. */
  readonly toTheGone: Delivery[] = [];
  /** The DS's clock: starts at the real time (key package lifetimes are real), then moves only by tick. */
  now = Date.now();
  #queue: Delivery[] = [];

  private constructor(es: ExternalSender) {
    this.es = es;
    this.ds = new DeliveryService({ externalSender: es, now: this.now, commitTimeoutMs: TIMEOUT, maxAddsPerBatch: 4 });
  }

  static async open(): Promise<Meeting> {
    return new Meeting(await ExternalSender.generate());
  }

  /** A participant's client becomes ready; the meeting runs until nothing is left to deliver. */
  async join(name: string, options: { holdCommitRequests?: boolean } = {}): Promise<Client> {
    const client = new Client(await createMember(id(name)));
    client.holdCommitRequests = options.holdCommitRequests ?? false;
    this.clients.set(client.pid, client);
    this.seenByDs.push(client.keyPackage);
    await this.send(this.ds.memberReady(client.pid, client.member.identity, client.keyPackage));
    return client;
  }

  async leave(client: Client): Promise<void> {
    const out = await this.ds.memberGone(client.pid);
    // The 'removed' notice is the last delivery a leaver may get; after it they are gone.
    for (const d of out) if (d.to.includes(client.pid)) client.inbox.push(d.message);
    client.left = true;
    await this.send(out.map((d) => ({ ...d, to: d.to.filter((p) => p !== client.pid) })));
  }

  async tick(ms: number): Promise<void> {
    this.now += ms;
    await this.send(this.ds.tick(this.now));
  }

  async send(deliveries: Promise<Delivery[]> | Delivery[], pump = true): Promise<void> {
    this.#queue.push(...(await deliveries));
    if (pump) await this.pump();
  }

  /** Delivers in order; each client's reaction may produce more deliveries, delivered after. */
  async pump(): Promise<void> {
    for (let d = this.#queue.shift(); d !== undefined; d = this.#queue.shift()) {
      this.#record(d.message);
      for (const pid of d.to) {
        const client = this.clients.get(pid);
        assert.ok(client, `a delivery to unknown ${pid}`);
        if (client.left) {
          this.toTheGone.push(d);
          continue;
        }
        client.inbox.push(d.message);
        try {
          await this.#react(client, d.message);
        } catch (err) {
          client.errors.push(err);
        }
      }
    }
  }

  /** What a browser does with each DS message. */
  async #react(c: Client, msg: DsMessage): Promise<void> {
    switch (msg.kind) {
      case 'create': {
        const { ratchetTree } = await c.member.createGroup(msg.groupId, msg.externalSender);
        await this.send(this.ds.groupCreated(c.pid, msg.groupId, this.#in(ratchetTree)), false);
        return;
      }
      case 'proposals':
        for (const p of msg.proposals) await c.member.handleProposal(p.message, { kind: p.kind, identity: p.identity });
        return;
      case 'commitRequest':
        if (c.holdCommitRequests) c.heldRequests.push(msg);
        else await this.commit(c, false);
        return;
      case 'commit':
        if (msg.committer === c.pid) await c.member.confirmOwnCommit();
        else await c.member.handleCommit(msg.commit);
        return;
      case 'welcome':
        await c.member.joinFromWelcome(msg.welcome, msg.ratchetTree, msg.externalSender);
        return;
      case 'rejected':
        if (msg.input === 'commit') c.member.discardOwnCommit();
        return;
      case 'application':
        c.chats.push(await c.member.decryptChat(msg.message));
        return;
      case 'removed':
        c.left = true;
        return;
    }
  }

  /** The client commits its stored proposals and sends the commit to the DS. */
  async commit(c: Client, pump = true): Promise<void> {
    const p = await c.member.commitPending();
    await this.send(this.ds.commitReceived(c.pid, this.#in(p.commit), p.welcome && this.#in(p.welcome), this.#in(p.ratchetTree)), pump);
  }

  async chat(c: Client, text: string): Promise<Uint8Array> {
    const bytes = this.#in(await c.member.encryptChat(new TextEncoder().encode(text)));
    await this.send(this.ds.applicationReceived(c.pid, bytes));
    return bytes;
  }

  /** Live clients, in the group or not. */
  present(): Client[] {
    return [...this.clients.values()].filter((c) => !c.left);
  }

  #in(bytes: Uint8Array): Uint8Array {
    this.seenByDs.push(bytes);
    return bytes;
  }

  #record(msg: DsMessage): void {
    for (const value of Object.values(msg)) {
      if (value instanceof Uint8Array) this.seenByDs.push(value);
    }
    if (msg.kind === 'proposals') for (const p of msg.proposals) this.seenByDs.push(p.message);
  }
}

/** Everyone given is in the same epoch with the same view: members, security code, SFrame secret. */
async function assertAgree(clients: Client[], meeting: Meeting): Promise<{ epoch: number; code: string; secret: string }> {
  for (const c of clients) assert.deepEqual(c.errors, [], `${c.pid} had errors`);
  const first = clients[0];
  assert.ok(first);
  const epoch = first.member.epoch;
  const code = first.member.securityCode();
  const secret = Buffer.from(await first.member.sframeEpochSecret()).toString('hex');
  const roster = first.member.members().map((m) => m.identity.participantId).sort();
  assert.deepEqual(roster, clients.map((c) => c.pid).sort(), 'the group holds exactly these clients');
  for (const c of clients) {
    assert.equal(c.member.epoch, epoch, `${c.pid}'s epoch`);
    assert.equal(c.member.securityCode(), code, `${c.pid}'s security code`);
    assert.equal(Buffer.from(await c.member.sframeEpochSecret()).toString('hex'), secret, `${c.pid}'s SFrame secret`);
    assert.deepEqual(c.member.members().map((m) => m.identity.participantId).sort(), roster, `${c.pid}'s roster`);
  }
  const snap = meeting.ds.snapshot();
  assert.equal(snap.epoch, epoch, 'the DS agrees on the epoch');
  assert.deepEqual(
    snap.members.filter((m) => !m.gone).map((m) => [m.participantId, m.leafIndex]).sort(),
    first.member.members().map((m) => [m.identity.participantId, m.leafIndex]).sort(),
    'the DS knows every leaf index',
  );
  assert.match(code, /^\d{5}( \d{5}){5}$/);
  return { epoch, code, secret };
}

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

test('lifecycle: the first member creates, the server adds the next ones, everyone agrees; each join changes the code', async () => {
  const meeting = await Meeting.open();
  const alice = await meeting.join('Alice');
  assert.equal(alice.inbox[0]?.kind, 'create');
  const a0 = await assertAgree([alice], meeting);
  assert.equal(a0.epoch, 0);

  const bob = await meeting.join('Bob');
  const b1 = await assertAgree([alice, bob], meeting);
  assert.equal(b1.epoch, 1);
  assert.deepEqual(bob.inbox.map((m) => m.kind), ['welcome'], 'a joiner gets only its Welcome');
  assert.deepEqual(alice.inbox.map((m) => m.kind), ['create', 'proposals', 'commitRequest', 'commit'], 'the longest-present member commits');

  const carol = await meeting.join('Carol');
  const c2 = await assertAgree([alice, bob, carol], meeting);
  assert.equal(c2.epoch, 2);
  const codes = new Set([a0.code, b1.code, c2.code]);
  const secrets = new Set([a0.secret, b1.secret, c2.secret]);
  assert.equal(codes.size, 3, 'the security code changes on every join');
  assert.equal(secrets.size, 3, 'the SFrame base key changes on every join');

  // One batch in flight at a time: who arrives meanwhile waits, and then joins together in one commit.
  alice.holdCommitRequests = true;
  const dave = await meeting.join('Dave');
  const erin = await meeting.join('Erin');
  const frank = await meeting.join('Frank');
  assert.deepEqual(meeting.ds.snapshot().batch?.adds, [dave.pid]);
  assert.deepEqual(meeting.ds.snapshot().waiting, [erin.pid, frank.pid]);
  await meeting.commit(alice);
  assert.equal((await assertAgree([alice, bob, carol, dave], meeting)).epoch, 3);
  assert.deepEqual(meeting.ds.snapshot().batch?.adds, [erin.pid, frank.pid], 'the queued joins are the next batch');
  await meeting.commit(alice);
  const e4 = await assertAgree([alice, bob, carol, dave, erin, frank], meeting);
  assert.equal(e4.epoch, 4, 'both joined in one epoch');
  const welcomes = [erin, frank].map((c) => c.inbox.find((m) => m.kind === 'welcome'));
  assert.ok(welcomes[0]?.kind === 'welcome' && welcomes[1]?.kind === 'welcome');
  assert.deepEqual(welcomes[0].welcome, welcomes[1].welcome, 'one Welcome for both');
  alice.holdCommitRequests = false;
  assert.equal(meeting.toTheGone.length, 0);

  await meeting.chat(carol, 'hello everyone');
  for (const c of [alice, bob, dave, erin, frank]) {
    assert.deepEqual(c.chats.map((m) => [m.sender.participantId, new TextDecoder().decode(m.plaintext)]), [[carol.pid, 'hello everyone']]);
  }
  assert.equal(carol.chats.length, 0, 'the sender does not get its own message back');
});

test('remove: the leaver is dropped at once, gets nothing more, and cannot read what follows', async () => {
  const meeting = await Meeting.open();
  const alice = await meeting.join('Alice');
  const bob = await meeting.join('Bob');
  const carol = await meeting.join('Carol');
  const before = await assertAgree([alice, bob, carol], meeting);

  const carolSaw = carol.inbox.length;
  await meeting.leave(carol);
  assert.deepEqual(carol.inbox.slice(carolSaw).map((m) => m.kind), ['removed']);
  const after = await assertAgree([alice, bob], meeting);
  assert.equal(after.epoch, before.epoch + 1);
  assert.notEqual(after.code, before.code, 'the security code changes on leave');
  assert.notEqual(after.secret, before.secret, 'the SFrame base key changes on leave');
  assert.deepEqual(meeting.ds.snapshot().members.map((m) => m.participantId), [alice.pid, bob.pid]);

  const secret = 'after carol left';
  const bytes = await meeting.chat(alice, secret);
  assert.equal(new TextDecoder().decode(bob.chats.at(-1)?.plaintext), secret);
  assert.equal(carol.chats.length, 0);
  // Even with the ciphertext in hand, Carol's last state has no keys for this epoch.
  await assert.rejects(carol.member.decryptChat(bytes), (err) => err instanceof MlsError && err.code === 'mls_stale_message');
  // Further joins and leaves never reach her.
  const dave = await meeting.join('Dave');
  await meeting.leave(bob);
  await assertAgree([alice, dave], meeting);
  assert.equal(meeting.toTheGone.length, 0, 'nothing was addressed to Carol after she left');
  assert.deepEqual(carol.inbox.slice(carolSaw).map((m) => m.kind), ['removed']);
});

test('a stale commit is refused and its author recovers by applying the accepted one', async () => {
  const meeting = await Meeting.open();
  const alice = await meeting.join('Alice');
  const bob = await meeting.join('Bob');
  const carol = await meeting.join('Carol');
  alice.holdCommitRequests = true;
  const dave = await meeting.join('Dave');
  assert.equal(alice.heldRequests.length, 1, 'Alice was asked');
  // Both Bob (unasked) and Alice commit the same epoch; Bob's reaches the DS first.
  const bobs = await bob.member.commitPending();
  const alices = await alice.member.commitPending();
  const epoch = meeting.ds.snapshot().epoch;
  await meeting.send(meeting.ds.commitReceived(bob.pid, bobs.commit, bobs.welcome, bobs.ratchetTree));
  await meeting.send(meeting.ds.commitReceived(alice.pid, alices.commit, alices.welcome, alices.ratchetTree));
  assert.deepEqual(alice.rejected(), [{ code: 'mls_stale_commit', input: 'commit' }]);
  const now = await assertAgree([alice, bob, carol, dave], meeting);
  assert.equal(now.epoch, (epoch ?? -1) + 1);
  // Alice's own commit is gone: nothing to confirm, and the next batch works normally.
  await assert.rejects(alice.member.confirmOwnCommit(), (err) => err instanceof MlsError && err.code === 'mls_no_pending_commit');
  alice.holdCommitRequests = false;
  await meeting.leave(dave);
  await assertAgree([alice, bob, carol], meeting);
});

test('the DS refuses commits from non-members, for other epochs, with a wrong tree, or not commits', async () => {
  const meeting = await Meeting.open();
  const alice = await meeting.join('Alice');
  const bob = await meeting.join('Bob');
  const treeAtEpoch1 = bob.inbox.find((m) => m.kind === 'welcome');
  assert.ok(treeAtEpoch1?.kind === 'welcome');
  bob.holdCommitRequests = true;
  alice.holdCommitRequests = true;
  const carol = await meeting.join('Carol');
  const pending = await alice.member.commitPending();
  const codes = (ds: Delivery[]) => ds.map((d) => [d.to, d.message.kind === 'rejected' ? d.message.code : d.message.kind]);
  // Carol is being added, not yet a member.
  assert.deepEqual(codes(await meeting.ds.commitReceived(carol.pid, pending.commit, pending.welcome, pending.ratchetTree)), [[[carol.pid], 'mls_not_member']]);
  // The tree from before the commit disagrees with the membership: refused, and the next member is asked.
  const badTree = await meeting.ds.commitReceived(alice.pid, pending.commit, pending.welcome, treeAtEpoch1.ratchetTree);
  assert.deepEqual(codes(badTree), [
    [[alice.pid], 'mls_bad_ratchet_tree'],
    [[bob.pid], 'commitRequest'],
  ]);
  // No Welcome although Carol is added (Alice is no longer the one asked, so nobody else is asked).
  assert.deepEqual(codes(await meeting.ds.commitReceived(alice.pid, pending.commit, undefined, pending.ratchetTree)), [[[alice.pid], 'mls_bad_welcome']]);
  assert.equal(meeting.ds.snapshot().batch?.committer, bob.pid);
  alice.member.discardOwnCommit();
  await meeting.commit(bob);
  await assertAgree([alice, bob, carol], meeting);
  // Alice's old commit is for epoch 1; the group is at 2.
  assert.deepEqual(codes(await meeting.ds.commitReceived(alice.pid, pending.commit, pending.welcome, pending.ratchetTree)), [[[alice.pid], 'mls_stale_commit']]);
  const app = await alice.member.encryptChat(new Uint8Array([1, 2, 3]));
  assert.deepEqual(codes(await meeting.ds.commitReceived(alice.pid, app, undefined, pending.ratchetTree)), [[[alice.pid], 'mls_bad_message']]);
  assert.deepEqual(codes(await meeting.ds.commitReceived(alice.pid, new Uint8Array([1, 2]), undefined, pending.ratchetTree)), [[[alice.pid], 'mls_bad_message']]);
});

test('a key package for another identity, or a malformed one, is refused by the DS', async () => {
  const meeting = await Meeting.open();
  await meeting.join('Alice');
  const bob = await createMember(id('Bob'));
  const mallory = id('Mallory');
  const refused = async (pid: string, identity: Identity, kp: Uint8Array) =>
    (await meeting.ds.memberReady(pid, identity, kp)).map((d) => [d.to, d.message.kind === 'rejected' ? d.message.code : d.message.kind]);
  assert.deepEqual(await refused(mallory.participantId, mallory, bob.keyPackage()), [[[mallory.participantId], 'mls_bad_key_package']], 'Bob’s key package for Mallory');
  assert.deepEqual(
    await refused(bob.identity.participantId, { ...bob.identity, displayName: 'Bobby' }, bob.keyPackage()),
    [[[bob.identity.participantId], 'mls_bad_key_package']],
    'another display name than the verified one',
  );
  assert.deepEqual(await refused(mallory.participantId, bob.identity, bob.keyPackage()), [[[mallory.participantId], 'mls_bad_identity']], 'an identity for another participant');
  assert.deepEqual(await refused(bob.identity.participantId, bob.identity, new Uint8Array([0, 1, 0, 5, 0])), [[[bob.identity.participantId], 'mls_bad_key_package']]);
  const snap = meeting.ds.snapshot();
  assert.deepEqual(snap.waiting, [], 'nobody was queued');
  assert.equal(snap.batch, undefined, 'nothing was proposed');
  assert.equal(snap.epoch, 0, 'nothing happened to the group');
});

test('the DS sees only ciphertext: chat plaintext appears nowhere in what it received or sent', async () => {
  const meeting = await Meeting.open();
  const alice = await meeting.join('Alice');
  const bob = await meeting.join('Bob');
  const carol = await meeting.join('Carol');
  const secret = 'the launch date is the 14th, tell no one';
  await meeting.chat(bob, secret);
  await meeting.chat(alice, secret + secret);
  assert.equal(new TextDecoder().decode(carol.chats[0]?.plaintext), secret);
  assert.equal(new TextDecoder().decode(carol.chats[1]?.plaintext), secret + secret);
  const needles = [secret, 'launch date', 'tell no one'].map((s) => new TextEncoder().encode(s));
  assert.ok(meeting.seenByDs.length > 10);
  for (const bytes of meeting.seenByDs) for (const n of needles) assert.equal(contains(bytes, n), false);
  // What the DS relays is exactly what the sender encrypted.
  const relayed = alice.inbox.filter((m) => m.kind === 'application');
  assert.equal(relayed.length, 1);
});

test('application messages: only from members, only for the current epoch', async () => {
  const meeting = await Meeting.open();
  const alice = await meeting.join('Alice');
  const bob = await meeting.join('Bob');
  const old = await alice.member.encryptChat(new TextEncoder().encode('epoch 1'));
  await meeting.join('Carol');
  const stale = await meeting.ds.applicationReceived(alice.pid, old);
  assert.deepEqual(stale.map((d) => d.message.kind === 'rejected' && d.message.code), ['mls_stale_message']);
  const fresh = await alice.member.encryptChat(new TextEncoder().encode('epoch 2'));
  const outsider = await meeting.ds.applicationReceived('p_outsider1', fresh);
  assert.deepEqual(outsider.map((d) => d.message.kind === 'rejected' && d.message.code), ['mls_not_member']);
  const ok = await meeting.ds.applicationReceived(alice.pid, fresh);
  assert.deepEqual(ok.map((d) => [d.message.kind, [...d.to].sort()]), [['application', [bob.pid, id('Carol').participantId].sort()]]);
});

test('a committer who goes silent is replaced after the timeout, on tick; one who leaves, at once', async () => {
  const meeting = await Meeting.open();
  const alice = await meeting.join('Alice');
  const bob = await meeting.join('Bob');
  const carol = await meeting.join('Carol');
  alice.holdCommitRequests = true; // Alice, the longest present, never answers.
  const dave = await meeting.join('Dave');
  assert.equal(meeting.ds.snapshot().batch?.committer, alice.pid);
  await meeting.tick(0); // the clock starts for this request
  await meeting.tick(TIMEOUT - 1);
  assert.equal(meeting.ds.snapshot().batch?.committer, alice.pid, 'not before the timeout');
  assert.ok(!bob.inbox.some((m) => m.kind === 'commitRequest'));
  await meeting.tick(1);
  assert.equal(meeting.ds.snapshot().batch, undefined, 'Bob was asked, committed, and the batch is done');
  assert.ok(bob.inbox.some((m) => m.kind === 'commitRequest'));
  await assertAgree([alice, bob, carol, dave], meeting);

  // Alice (still silent) is asked again next time; she leaves mid-batch and Bob is asked without waiting.
  const erin = await meeting.join('Erin');
  assert.equal(meeting.ds.snapshot().batch?.committer, alice.pid);
  await meeting.leave(alice);
  await meeting.pump();
  await assertAgree([bob, carol, dave, erin], meeting);
  assert.deepEqual(meeting.ds.snapshot().members.map((m) => m.participantId).sort(), [bob.pid, carol.pid, dave.pid, erin.pid].sort());
  assert.equal(meeting.toTheGone.length, 0);
});

test('a creator who goes silent is replaced; a joiner who leaves mid-batch is added, not welcomed, then removed', async () => {
  const meeting = await Meeting.open();
  const silent = new Client(await createMember(id('Silent')));
  meeting.clients.set(silent.pid, silent);
  silent.left = true; // never reacts: deliveries to it are recorded in toTheGone
  await meeting.send(meeting.ds.memberReady(silent.pid, silent.member.identity, silent.member.keyPackage()));
  const alice = await meeting.join('Alice');
  assert.equal(meeting.ds.snapshot().creator, silent.pid);
  const notCreator = await meeting.ds.groupCreated(alice.pid, new Uint8Array(16), new Uint8Array(1));
  assert.deepEqual(notCreator.map((d) => d.message.kind === 'rejected' && d.message.code), ['mls_not_creator']);
  await meeting.tick(0);
  await meeting.tick(TIMEOUT);
  assert.equal(meeting.ds.snapshot().creator, undefined);
  assert.equal(meeting.ds.snapshot().epoch, 0, 'Alice created the group');
  assert.deepEqual(meeting.ds.snapshot().members.map((m) => m.participantId), [alice.pid]);
  assert.deepEqual(meeting.ds.snapshot().waiting, [], 'the silent creator is not queued again');
  const create = meeting.toTheGone[0]?.message;
  assert.ok(create?.kind === 'create');
  const { ratchetTree } = await silent.member.createGroup(create.groupId, create.externalSender);
  const late = await meeting.ds.groupCreated(silent.pid, create.groupId, ratchetTree);
  assert.deepEqual(late.map((d) => d.message.kind === 'rejected' && d.message.code), ['mls_not_creator'], 'too late');
  assert.deepEqual(meeting.toTheGone.map((d) => d.message.kind === 'rejected' ? d.message.code : d.message.kind), ['create', 'mls_timeout']);

  const bob = await meeting.join('Bob');
  alice.holdCommitRequests = true;
  const carol = await meeting.join('Carol');
  await meeting.leave(carol); // her Add is already proposed
  await meeting.commit(alice);
  assert.ok(!carol.inbox.some((m) => m.kind === 'welcome'), 'no Welcome for someone who left');
  alice.holdCommitRequests = false;
  await meeting.commit(alice); // the next batch removes her leaf
  await assertAgree([alice, bob], meeting);
  assert.equal(meeting.ds.snapshot().epoch, 3);
});

test('the last member leaving drops the group; the next person creates a fresh one', async () => {
  const meeting = await Meeting.open();
  const alice = await meeting.join('Alice');
  const bob = await meeting.join('Bob');
  const first = await assertAgree([alice, bob], meeting);
  const oldGroup = meeting.ds.snapshot().groupId;
  await meeting.leave(alice);
  await meeting.leave(bob);
  assert.equal(meeting.ds.snapshot().groupId, undefined);
  const carol = await meeting.join('Carol');
  const dave = await meeting.join('Dave');
  const fresh = await assertAgree([carol, dave], meeting);
  assert.equal(carol.inbox[0]?.kind, 'create');
  assert.equal(fresh.epoch, 1);
  assert.notDeepEqual(meeting.ds.snapshot().groupId, oldGroup, 'a new group ID');
  assert.notEqual(fresh.secret, first.secret);
  assert.equal(meeting.toTheGone.length, 0);
});

test('a participant whose client reconnects is replaced in one commit; a retried key package is a no-op', async () => {
  const meeting = await Meeting.open();
  const alice = await meeting.join('Alice');
  const bob = await meeting.join('Bob');
  const oldLeaf = bob.member.ownLeafIndex();
  // Bob's page reloads: a new member object under the same participant ID.
  bob.left = true;
  const bob2 = await meeting.join('Bob');
  assert.equal(bob2.pid, bob.pid);
  const now = await assertAgree([alice, bob2], meeting);
  assert.equal(now.epoch, 2, 'remove old + add new in one epoch');
  assert.equal(bob2.member.ownLeafIndex(), oldLeaf, 'the freed leaf is reused');
  assert.deepEqual(await meeting.ds.memberReady(bob2.pid, bob2.member.identity, bob2.keyPackage), []);
  assert.equal(meeting.ds.snapshot().batch, undefined);
});
