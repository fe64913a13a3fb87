/** SignalingClient through its public surface, over a fake socket. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_MESSAGE_BYTES, PROTOCOL_VERSION } from '@parley/protocol';
import { SignalingClient, SignalingError, type SocketLike } from './signaling.js';

type Handler = (ev: { data?: unknown; code?: number; reason?: string }) => void;

class FakeSocket {
  sent: { id: number; type: string; [k: string]: unknown }[] = [];
  closed = false;
  #handlers = new Map<string, Handler[]>();
  addEventListener(type: string, h: Handler): void {
    this.#handlers.set(type, [...(this.#handlers.get(type) ?? []), h]);
  }
  send(text: string): void {
    this.sent.push(JSON.parse(text) as FakeSocket['sent'][number]);
  }
  close(): void {
    this.closed = true;
  }
  /** The server sends `msg`. */
  deliver(msg: unknown): void {
    for (const h of this.#handlers.get('message') ?? []) h({ data: typeof msg === 'string' ? msg : JSON.stringify(msg) });
  }
  drop(code = 1006): void {
    for (const h of this.#handlers.get('close') ?? []) h({ code, reason: '' });
  }
  last(): FakeSocket['sent'][number] {
    const m = this.sent.at(-1);
    assert.ok(m, 'a message was sent');
    return m;
  }
}

function setup(): { ws: FakeSocket; client: SignalingClient } {
  const ws = new FakeSocket();
  return { ws, client: SignalingClient.attach(ws as unknown as SocketLike) };
}

const participant = { id: 'p_abcdef', displayName: 'Ann', role: 'host', identity: 'member', handRaised: false, connection: 'connected', joinedAt: 1 } as const;

test('hello is answered by welcome with the same id; ids increase', async () => {
  const { ws, client } = setup();
  const hello = client.request('hello', { protocolVersion: PROTOCOL_VERSION, clientBuild: '0.1.0' });
  assert.deepEqual(ws.last(), { type: 'hello', id: 1, protocolVersion: PROTOCOL_VERSION, clientBuild: '0.1.0' });
  ws.deliver({ type: 'welcome', id: 1, protocolVersion: PROTOCOL_VERSION, serverBuild: 'x' });
  assert.equal((await hello).serverBuild, 'x');
  void client.request('leave', {}).catch(() => undefined);
  assert.equal(ws.last().id, 2);
  client.close();
});

test('a result is validated against RESULTS[type] and resolves its own request only', async () => {
  const { ws, client } = setup();
  const join = client.request('join', { meetingId: 'k7qm-x2hd-9tfa-wr3p', passcode: 'ab12cd34', displayName: 'Ann' });
  const muted = client.request('setMuted', { trackId: 't_abcdef', muted: true });
  ws.deliver({ type: 'result', id: 2, result: {} });
  await muted;
  ws.deliver({
    type: 'result',
    id: 1,
    result: { status: 'waiting', reason: 'lobby' },
  });
  assert.deepEqual(await join, { status: 'waiting', reason: 'lobby' });

  const bad = client.request('publish', { source: 'camera', kind: 'video', rtpParameters: { codecs: [] } });
  ws.deliver({ type: 'result', id: 3, result: {} }); // no trackId
  await assert.rejects(bad, (e: SignalingError) => e.code === 'invalid_reply');
  client.close();
});

test('an error reply rejects with its code', async () => {
  const { ws, client } = setup();
  const join = client.request('join', { meetingId: 'k7qm-x2hd-9tfa-wr3p', displayName: 'Ann' });
  ws.deliver({ type: 'error', id: 1, code: 'meeting_access_denied', message: 'no' });
  await assert.rejects(join, (e: unknown) => e instanceof SignalingError && e.code === 'meeting_access_denied');
  client.close();
});

test('closing rejects every pending request, and later requests, with code "closed"', async () => {
  const { ws, client } = setup();
  const events: string[] = [];
  client.on('close', (info) => events.push(`close:${info.code}:${info.local}`));
  const a = client.request('leave', {});
  const b = client.request('setMuted', { trackId: 't_abcdef', muted: false });
  ws.drop(1006);
  await assert.rejects(a, (e: SignalingError) => e.code === 'closed');
  await assert.rejects(b, (e: SignalingError) => e.code === 'closed');
  await assert.rejects(client.request('leave', {}), (e: SignalingError) => e.code === 'closed');
  assert.deepEqual(events, ['close:1006:false']);
  client.close(); // idempotent
  assert.equal(ws.closed, false, 'an already closed socket is not closed again');
});

test('a message over MAX_MESSAGE_BYTES is refused and never sent', async () => {
  const { ws, client } = setup();
  const huge = 'a'.repeat(MAX_MESSAGE_BYTES);
  await assert.rejects(client.request('setupMedia', { rtpCapabilities: { huge } }), (e: SignalingError) => e.code === 'message_too_large');
  assert.equal(ws.sent.length, 0);
  client.close();
});

test('events go to typed listeners in order; invalid messages are dropped and reported', () => {
  const { ws, client } = setup();
  const seen: string[] = [];
  const problems: string[] = [];
  client.on('event', (ev) => seen.push(ev.type));
  client.on('participantJoined', (ev) => seen.push(`joined:${ev.participant.displayName}`));
  client.on('protocolError', (e) => problems.push(e.code));
  ws.deliver({ type: 'participantJoined', participant: participant });
  ws.deliver('not json');
  ws.deliver({ type: 'participantJoined', participant: { id: 'x' } });
  ws.deliver({ type: 'whoKnows' });
  ws.deliver({ type: 'trackUnpublished', trackId: 't_abcdef' });
  assert.deepEqual(seen, ['participantJoined', 'joined:Ann', 'trackUnpublished']);
  assert.deepEqual(problems, ['invalid_reply', 'invalid_reply', 'invalid_reply']);
  client.close();
});
