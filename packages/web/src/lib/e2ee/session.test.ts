/**
 * E2eeSession with real MLS members and the real delivery service: a fake server routes each
 * session's e2ee requests into @parley/e2ee's DeliveryService and its deliveries back as `e2ee`
 * events (checked against the protocol's schema), and each session's media worker is the real
 * transform worker (KeyRing and all) behind a fake worker scope.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { E2eeDelivery, type ChatMessage, type LinkPolicy } from '@parley/protocol';
import { DeliveryService, ExternalSender, type Delivery, type DsMessage, type Identity } from '@parley/e2ee/mls';
import { installTransformWorker, type TransformWorker } from '@parley/e2ee/sframe/worker';
import type { WorkerScopeLike } from '@parley/e2ee/sframe';
import { fromBase64, toBase64 } from './base64.js';
import { E2eeSession, type E2eeRequestType, type E2eeSignaling, type E2eeView, type KeyWorker } from './session.js';
import type { RequestFields } from '../signaling.js';

/** A dedicated worker's two ends, with structured cloning in between as postMessage does. */
function fakeWorker(): { port: KeyWorker; worker: TransformWorker; posted: Record<string, unknown>[] } {
  const pageListeners: ((event: { data: unknown }) => void)[] = [];
  const workerListeners: ((event: { data: unknown }) => void)[] = [];
  const posted: Record<string, unknown>[] = [];
  const scope: WorkerScopeLike = {
    addEventListener(type: string, listener: (event: never) => void) {
      if (type === 'message') workerListeners.push(listener as (event: { data: unknown }) => void);
    },
    postMessage(message: unknown) {
      const data = structuredClone(message);
      setImmediate(() => pageListeners.forEach((l) => l({ data })));
    },
  } as WorkerScopeLike;
  const worker = installTransformWorker(scope, { pruneIntervalMs: null });
  const port: KeyWorker = {
    postMessage(message: unknown) {
      const data = structuredClone(message);
      posted.push(data as Record<string, unknown>);
      setImmediate(() => workerListeners.forEach((l) => l({ data })));
    },
    addEventListener(_type, listener) {
      pageListeners.push(listener);
    },
  };
  return { port, worker, posted };
}

function wire(message: DsMessage): E2eeDelivery {
  const b = toBase64;
  switch (message.kind) {
    case 'create':
      return E2eeDelivery.parse({ kind: 'create', groupId: b(message.groupId), externalSender: b(message.externalSender) });
    case 'proposals':
      return E2eeDelivery.parse({
        kind: 'proposals',
        groupId: b(message.groupId),
        epoch: message.epoch,
        proposals: message.proposals.map((p) => ({ kind: p.kind, participantId: p.participantId, identity: p.identity, message: b(p.message) })),
      });
    case 'commitRequest':
      return E2eeDelivery.parse({ kind: 'commitRequest', groupId: b(message.groupId), epoch: message.epoch });
    case 'commit':
      return E2eeDelivery.parse({ kind: 'commit', groupId: b(message.groupId), epoch: message.epoch, committer: message.committer, commit: b(message.commit) });
    case 'welcome':
      return E2eeDelivery.parse({
        kind: 'welcome',
        groupId: b(message.groupId),
        epoch: message.epoch,
        welcome: b(message.welcome),
        ratchetTree: b(message.ratchetTree),
        externalSender: b(message.externalSender),
      });
    case 'rejected':
      return E2eeDelivery.parse({ kind: 'rejected', code: message.code, input: message.input, reason: message.reason.slice(0, 500) });
    case 'application':
      return E2eeDelivery.parse({ kind: 'application', groupId: b(message.groupId), epoch: message.epoch, from: message.from, message: b(message.message) });
    case 'removed':
      return { kind: 'removed' };
  }
}

interface Person {
  readonly pid: string;
  readonly identity: Identity;
  readonly session: E2eeSession;
  readonly worker: TransformWorker;
  readonly posted: Record<string, unknown>[];
  readonly views: E2eeView[];
  readonly chats: { message: ChatMessage; flagged: boolean }[];
  readonly notices: string[];
  /** Who this person's client believes moderates (their links are trusted). */
  moderators: Set<string>;
  signaling: E2eeSignaling;
}

class Server {
  readonly ds: DeliveryService;
  readonly people = new Map<string, Person>();
  linkPolicy: LinkPolicy = 'block';
  /** What the server believes each participant's identity is (defaults to what the client says). */
  readonly expected = new Map<string, Identity>();
  /** How many key packages each participant sent. */
  readonly readies = new Map<string, number>();
  readonly #inflight = new Set<Promise<unknown>>();

  private constructor(ds: DeliveryService) {
    this.ds = ds;
  }

  static async open(): Promise<Server> {
    return new Server(new DeliveryService({ externalSender: await ExternalSender.generate(), now: Date.now() }));
  }

  join(name: string, options: { maxRestarts?: number } = {}): Person {
    const pid = `p_${name.toLowerCase()}0001`;
    const identity: Identity = { participantId: pid, accountId: `acct_${name.toLowerCase()}01`, displayName: name };
    const { port, worker, posted } = fakeWorker();
    const person: Person = {
      pid,
      identity,
      worker,
      posted,
      views: [],
      chats: [],
      notices: [],
      moderators: new Set(),
      signaling: this.signalingFor(pid),
      session: new E2eeSession({
        worker: port,
        sleep: async () => undefined,
        ...(options.maxRestarts === undefined ? {} : { maxRestarts: options.maxRestarts }),
        host: {
          identity: async () => identity,
          selfId: () => pid,
          linkRules: () => ({ linkPolicy: this.linkPolicy, linkAllowList: ['example.org'] }),
          isModerator: (id) => person.moderators.has(id),
          update: (view) => person.views.push(view),
          chat: (message, flagged) => person.chats.push({ message, flagged }),
          notice: (text) => person.notices.push(text),
        },
      }),
    };
    this.people.set(pid, person);
    this.#track(person.session.start(person.signaling));
    return person;
  }

  /** A new socket for `person` (a resume): media is set up again, so a fresh member joins. */
  resume(person: Person): void {
    person.signaling = this.signalingFor(person.pid);
    this.#track(person.session.start(person.signaling));
  }

  leave(person: Person): void {
    this.people.delete(person.pid);
    person.session.close();
    this.#track(this.ds.memberGone(person.pid).then((out) => this.#deliver(out.filter((d) => !d.to.includes(person.pid)))));
  }

  /** A moderator removed `person`: they get `removed`, the others a new epoch. */
  remove(person: Person): void {
    this.#track(this.ds.memberGone(person.pid).then((out) => this.#deliver(out)));
  }

  signalingFor(pid: string): E2eeSignaling {
    const route = (type: E2eeRequestType, fields: Record<string, string | undefined>): Promise<unknown> => this.#route(pid, type, fields);
    return {
      closed: false,
      request: <T extends E2eeRequestType>(type: T, fields: RequestFields<T>) => route(type, fields as Record<string, string | undefined>),
    };
  }

  /** What the server does with each e2ee request: hand it to the DS, send its deliveries. */
  async #route(pid: string, type: E2eeRequestType, f: Record<string, string | undefined>): Promise<unknown> {
    const bytes = (key: string): Uint8Array => fromBase64(f[key] ?? '');
    let out: Delivery[];
    switch (type) {
      case 'e2eeReady': {
        this.readies.set(pid, (this.readies.get(pid) ?? 0) + 1);
        const claimed = this.people.get(pid)?.identity;
        assert.ok(claimed);
        out = await this.ds.memberReady(pid, this.expected.get(pid) ?? claimed, bytes('keyPackage'));
        break;
      }
      case 'e2eeGroupCreated':
        out = await this.ds.groupCreated(pid, bytes('groupId'), bytes('ratchetTree'));
        break;
      case 'e2eeCommit':
        out = await this.ds.commitReceived(pid, bytes('commit'), f.welcome === undefined ? undefined : bytes('welcome'), bytes('ratchetTree'));
        break;
      case 'e2eeChat':
        out = await this.ds.applicationReceived(pid, bytes('message'));
        break;
    }
    this.#deliver(out);
    return {};
  }

  /** Deliveries go out as events, after the request's reply (as on a socket). */
  #deliver(out: Delivery[]): void {
    for (const d of out) {
      const event = wire(d.message);
      for (const to of d.to) {
        const person = this.people.get(to);
        if (person) this.#track(new Promise((resolve) => setImmediate(resolve)).then(() => person.session.deliver(event)));
      }
    }
  }

  #track(p: Promise<unknown>): void {
    this.#inflight.add(p);
    void p.finally(() => this.#inflight.delete(p));
  }

  /** Runs until nothing is left to deliver and every worker has answered. */
  /** People join one after another, each once the meeting has settled. */
  async joinInTurn<const N extends readonly string[]>(...names: N): Promise<{ [K in keyof N]: Person }> {
    const people: Person[] = [];
    for (const name of names) {
      people.push(this.join(name));
      await this.settle();
    }
    return people as { [K in keyof N]: Person };
  }

  async settle(): Promise<void> {
    for (let quiet = 0; quiet < 3; ) {
      if (this.#inflight.size > 0) {
        quiet = 0;
        await Promise.allSettled([...this.#inflight]);
      } else {
        quiet++;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }
}

function last(person: Person): E2eeView {
  const view = person.views.at(-1);
  assert.ok(view, `${person.pid} has a view`);
  return view;
}

function assertAgree(people: Person[]): E2eeView {
  const first = last(people[0] as Person);
  assert.equal(first.status, 'encrypted');
  assert.match(first.securityCode ?? '', /^\d{5}( \d{5}){5}$/);
  for (const p of people) {
    const view = last(p);
    assert.equal(view.status, 'encrypted', `${p.pid}: ${view.error ?? ''}`);
    assert.equal(view.epoch, first.epoch, `${p.pid}'s epoch`);
    assert.equal(view.securityCode, first.securityCode, `${p.pid}'s security code`);
    assert.deepEqual(
      view.members.map((m) => m.participantId).sort(),
      people.map((q) => q.pid).sort(),
      `${p.pid}'s members`,
    );
  }
  return first;
}

interface KeyEntry {
  kid: bigint;
  key: Uint8Array;
  context?: number;
}

function lastKeys(person: Person): { send: KeyEntry[]; receive: KeyEntry[] } {
  const keys = person.posted.filter((m) => m.type === 'keys').at(-1) as { send: KeyEntry[]; receive: KeyEntry[] } | undefined;
  assert.ok(keys, `${person.pid} posted keys`);
  return keys;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

/** Every person's send keys are every other person's receive keys, KID for KID and byte for byte. */
function assertKeysAgree(people: Person[]): void {
  for (const sender of people) {
    const { send } = lastKeys(sender);
    assert.equal(send.length, 4, 'one send key per media context');
    for (const receiver of people) {
      if (receiver === sender) continue;
      const receive = new Map(lastKeys(receiver).receive.map((k) => [k.kid, hex(k.key)]));
      for (const k of send) assert.equal(receive.get(k.kid), hex(k.key), `${receiver.pid} has ${sender.pid}'s KID ${k.kid}`);
    }
  }
}

const VP8_DELTA = new Uint8Array([0x31, 0x02, 0x00, 0x9d, 0x01, 0x2a, 7, 7, 7, 7, 7, 7, 7, 7]);

/** A camera frame encrypted by `from`'s worker decrypts in `to`'s. */
async function assertMediaFlows(from: Person, to: Person): Promise<void> {
  const info = { kind: 'video' as const, codec: 'video/VP8', isKeyFrame: false };
  const sealed = await from.worker.keyRing.encryptFrame(1, VP8_DELTA, info);
  assert.notDeepEqual(sealed, VP8_DELTA);
  const opened = await to.worker.keyRing.decryptFrame(sealed, info);
  assert.deepEqual(new Uint8Array(opened.frame), VP8_DELTA);
}

test('three sessions reach the same epoch and security code; their worker keys agree KID for KID and media decrypts', async () => {
  const server = await Server.open();
  const alice = server.join('Alice');
  await server.settle();
  assert.equal(last(alice).status, 'encrypted');
  assert.equal(last(alice).epoch, 0);
  const bob = server.join('Bob');
  await server.settle();
  const carol = server.join('Carol');
  await server.settle();
  const view = assertAgree([alice, bob, carol]);
  assert.equal(view.epoch, 2);
  assert.deepEqual(view.members.map((m) => m.displayName).sort(), ['Alice', 'Bob', 'Carol']);
  assertKeysAgree([alice, bob, carol]);
  await assertMediaFlows(alice, bob);
  await assertMediaFlows(carol, alice);
  // Before the first keys, and in every view before `encrypted`, nothing claims encryption.
  assert.equal(bob.views[0]?.status, 'joining');
});

test('a removal gives the others a new epoch and a new code; the removed one stops with no keys', async () => {
  const server = await Server.open();
  const [alice, bob, carol] = await server.joinInTurn('Alice', 'Bob', 'Carol');
  const before = assertAgree([alice, bob, carol]);
  server.remove(carol);
  await server.settle();
  const after = assertAgree([alice, bob]);
  assert.notEqual(after.securityCode, before.securityCode);
  assert.equal(after.epoch, (before.epoch ?? 0) + 1);
  assert.equal(last(carol).status, 'failed');
  assert.deepEqual(lastKeys(carol), { ...lastKeys(carol), send: [], receive: [] }, 'the removed one has no keys left');
  await assert.rejects(carol.worker.keyRing.encryptFrame(1, VP8_DELTA, { kind: 'video', codec: 'video/VP8', isKeyFrame: false }));
  assertKeysAgree([alice, bob]);
  // Carol's old keys no longer open Alice's frames.
  const sealed = await alice.worker.keyRing.encryptFrame(1, VP8_DELTA, { kind: 'video', codec: 'video/VP8', isKeyFrame: false });
  await assert.rejects(carol.worker.keyRing.decryptFrame(sealed, { kind: 'video', codec: 'video/VP8', isKeyFrame: false }));
});

test('a resume (new setupMedia) joins with a fresh member that replaces the old leaf; everyone agrees again', async () => {
  const server = await Server.open();
  const [alice, bob] = await server.joinInTurn('Alice', 'Bob');
  const before = assertAgree([alice, bob]);
  server.resume(bob);
  await server.settle();
  const after = assertAgree([alice, bob]);
  assert.notEqual(after.securityCode, before.securityCode);
  assertKeysAgree([alice, bob]);
  await assertMediaFlows(bob, alice);
  // Alone in the meeting, a resume starts a new group at epoch 0: the worker still takes its keys.
  server.leave(alice);
  await server.settle();
  server.resume(bob);
  await server.settle();
  assert.equal(last(bob).status, 'encrypted');
  assert.equal(last(bob).epoch, 0);
  await bob.worker.keyRing.encryptFrame(0, new Uint8Array([1, 2, 3]), { kind: 'audio', codec: 'audio/opus', isKeyFrame: false });
});

test('encrypted chat round-trips; a link under block is refused on send and flagged (as text) on render', async () => {
  const server = await Server.open();
  const [alice, bob, carol] = await server.joinInTurn('Alice', 'Bob', 'Carol');
  assertAgree([alice, bob, carol]);

  assert.deepEqual(await alice.session.sendChat('hello, both'), { ok: true, value: 'sent' });
  await server.settle();
  for (const p of [alice, bob, carol]) {
    const got = p.chats.at(-1);
    assert.ok(got, `${p.pid} shows the message`);
    assert.equal(got.message.text, 'hello, both');
    assert.equal(got.message.from, alice.pid);
    assert.equal(got.message.fromName, 'Alice');
    assert.equal(got.message.to, null);
    assert.equal(got.flagged, false);
  }

  const refused = await bob.session.sendChat('see https://evil.example/x or evil.com');
  assert.equal(refused.ok, false);
  assert.equal(!refused.ok && refused.code, 'link_blocked');
  await server.settle();
  assert.equal(alice.chats.length, 1, 'nothing was sent');

  // `hold` cannot be done end to end: it is enforced as `block`.
  server.linkPolicy = 'hold';
  const held = await bob.session.sendChat('www.example.com');
  assert.equal(!held.ok && held.code, 'link_blocked');

  // A client that believes itself a moderator sends a link; the others do not trust it and show it as text.
  server.linkPolicy = 'block';
  carol.moderators.add(carol.pid);
  assert.equal((await carol.session.sendChat('look: https://example.org/doc')).ok, true);
  await server.settle();
  for (const p of [alice, bob]) {
    const got = p.chats.at(-1);
    assert.ok(got);
    assert.equal(got.message.text, 'look: https://example.org/doc');
    assert.equal(got.flagged, true, `${p.pid} flags it`);
    assert.deepEqual(got.message.segments, [{ text: 'look: https://example.org/doc' }], 'never clickable');
  }

  // Under `allow`, plainly written https links to listed domains become links for everyone.
  server.linkPolicy = 'allow';
  assert.equal((await bob.session.sendChat('https://example.org/a and https://other.example/b')).ok, true);
  await server.settle();
  const got = alice.chats.at(-1);
  assert.deepEqual(got?.message.segments, [{ link: 'https://example.org/a', text: 'https://example.org/a' }, { text: ' and https://other.example/b' }]);
  assert.equal(got?.flagged, false);
});

test('a key package the server will not accept makes the session start over a bounded number of times, then fail', async () => {
  const server = await Server.open();
  const alice = server.join('Alice');
  await server.settle();
  server.expected.set('p_mallory0001', { participantId: 'p_mallory0001', accountId: null, displayName: 'Mallory' });
  const mallory = server.join('Mallory', { maxRestarts: 2 });
  await server.settle();
  const view = last(mallory);
  assert.equal(view.status, 'failed');
  assert.match(view.error ?? '', /keyPackage \(mls_bad_key_package\)/);
  assert.equal(server.readies.get(mallory.pid), 3, 'the first try and two more');
  assert.deepEqual(lastKeys(mallory), { ...lastKeys(mallory), send: [], receive: [] }, 'no keys: the worker drops every frame');
  assert.equal(last(alice).status, 'encrypted');
  assert.equal(last(alice).members.length, 1);
});
