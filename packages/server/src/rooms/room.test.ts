/** The room's state machine, against a recording SFU stand-in and real SQLite for the audit log. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { ParleyError, type ServerMessage } from '@parley/protocol';
import pino from 'pino';
import { AuditLog } from '../storage/audit.js';
import { openDatabase, type Db } from '../storage/db.js';
import { FakeSfu } from '../test-support/fake-sfu.js';
import type { ByeReason, ParticipantSink } from './participant.js';
import { Room } from './room.js';

class Sink implements ParticipantSink {
  readonly messages: ServerMessage[] = [];
  bye: ByeReason | undefined;
  send(message: ServerMessage): void {
    this.messages.push(message);
  }
  close(reason: ByeReason): void {
    this.bye = reason;
  }
  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }
}

let dir: string;
let db: Db;
let sfu: FakeSfu;
let room: Room;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-room-'));
  db = await openDatabase(dir);
});
after(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  sfu = new FakeSfu();
  room = new Room({ id: 'k7qm-x2hd-9tfa-wr3p', title: 'T' }, { sfu, log: pino({ level: 'silent' }), audit: new AuditLog(db), mediaGraceMs: 50, maxParticipants: 3 });
});

async function enter(name: string) {
  const sink = new Sink();
  let reply: unknown;
  const participant = await room.join({ displayName: name, clientAddress: '127.0.0.1', sink }, (r) => (reply = r));
  return { sink, participant, reply: reply as { participants: { displayName: string }[]; tracks: unknown[] } };
}

async function publish(id: string, source: 'camera' | 'microphone' = 'camera', mid = '0') {
  let trackId = '';
  await room.publish(id, { type: 'publish', id: 1, source, kind: source === 'camera' ? 'video' : 'audio', mid, sdp: 'offer' }, (r) => (trackId = r.trackId));
  return trackId;
}

test('join creates an SFU peer, replies with the others, and announces the joiner', async () => {
  const a = await enter('Ann');
  const b = await enter('Bob');
  assert.deepEqual(b.reply.participants.map((p) => p.displayName), ['Ann']);
  assert.equal(a.sink.of('participantJoined')[0]?.participant.displayName, 'Bob');
  assert.equal(b.sink.of('participantJoined').length, 0, 'no echo of oneself');
  assert.ok(sfu.peers.has(a.participant.id) && sfu.peers.has(b.participant.id));
});

test('publishing subscribes the others and offers them one negotiation at a time', async () => {
  const a = await enter('Ann');
  const b = await enter('Bob');
  const cam = await publish(a.participant.id);
  assert.equal(b.sink.of('trackPublished')[0]?.track.id, cam);
  const offers = b.sink.of('offer');
  assert.equal(offers.length, 1);
  assert.deepEqual(offers[0]?.tracks.map((t) => t.trackId), [cam]);

  // A second track while the first offer is unanswered: no second offer yet.
  const mic = await publish(a.participant.id, 'microphone', '1');
  assert.equal(b.sink.of('offer').length, 1);
  await room.answer(b.participant.id, { type: 'answer', id: 2, negotiationId: offers[0]!.negotiationId, sdp: 'answer' }, () => {});
  const again = b.sink.of('offer');
  assert.equal(again.length, 2, 'renegotiated after the answer');
  assert.deepEqual(new Set(again[1]?.tracks.map((t) => t.trackId)), new Set([cam, mic]));
  assert.equal(a.sink.of('offer').length, 0, 'the publisher subscribes to nothing of its own');
});

test('an answer that quotes no outstanding offer is wrong_state and changes nothing', async () => {
  const a = await enter('Ann');
  await assert.rejects(
    room.answer(a.participant.id, { type: 'answer', id: 2, negotiationId: 'nothing-pending', sdp: 'x' }, () => {}),
    (e: unknown) => e instanceof ParleyError && e.code === 'wrong_state',
  );
  assert.ok(!sfu.calls.includes(`answer ${a.participant.id}`));
});

test('publish refuses a wrong kind, a second camera, and a failed negotiation leaves no track', async () => {
  const a = await enter('Ann');
  const b = await enter('Bob');
  await assert.rejects(
    room.publish(a.participant.id, { type: 'publish', id: 1, source: 'camera', kind: 'audio', mid: '0', sdp: 'x' }, () => {}),
    (e: unknown) => e instanceof ParleyError && e.code === 'bad_request',
  );
  sfu.failNextPublish = true;
  await assert.rejects(publish(a.participant.id), (e: unknown) => e instanceof ParleyError && e.code === 'negotiation_failed');
  assert.equal(b.sink.of('trackPublished').length, 0);
  await publish(a.participant.id);
  await assert.rejects(publish(a.participant.id, 'camera', '5'), (e: unknown) => e instanceof ParleyError && e.code === 'wrong_state');
});

test("nobody may mute or unpublish someone else's track", async () => {
  const a = await enter('Ann');
  const b = await enter('Bob');
  const cam = await publish(a.participant.id);
  await assert.rejects(
    room.setMuted(b.participant.id, { type: 'setMuted', id: 3, trackId: cam, muted: true }, () => {}),
    (e: unknown) => e instanceof ParleyError && e.code === 'forbidden',
  );
  await assert.rejects(
    room.setMuted(b.participant.id, { type: 'setMuted', id: 3, trackId: 'no-such-track', muted: true }, () => {}),
    (e: unknown) => e instanceof ParleyError && e.code === 'not_found',
  );
  assert.equal(a.sink.of('trackUpdated').length + b.sink.of('trackUpdated').length, 0);
});

test('removal closes the peer, unpublishes its tracks for the others, and empties the room', async () => {
  const a = await enter('Ann');
  const b = await enter('Bob');
  const cam = await publish(a.participant.id);
  let emptied = false;
  room.on('empty', () => (emptied = true));
  await room.remove(a.participant.id, 'disconnected');
  assert.ok(!sfu.peers.has(a.participant.id));
  assert.equal(b.sink.of('trackUnpublished')[0]?.trackId, cam);
  assert.deepEqual(b.sink.of('participantLeft')[0], { type: 'participantLeft', participantId: a.participant.id, reason: 'disconnected' });
  await room.remove(a.participant.id, 'disconnected'); // idempotent
  assert.equal(b.sink.of('participantLeft').length, 1);
  assert.ok(!emptied);
  await room.remove(b.participant.id, 'left');
  assert.ok(emptied);
  const audit = await new AuditLog(db).forMeeting('k7qm-x2hd-9tfa-wr3p');
  assert.ok(audit.some((e) => e.action === 'participant.left' && e.actor === a.participant.id));
});

test('the room refuses joiners beyond its limit', async () => {
  await enter('1');
  await enter('2');
  await enter('3');
  await assert.rejects(enter('4'), (e: unknown) => e instanceof ParleyError && e.code === 'meeting_full');
});

test('a media connection down past the grace period removes the participant; recovery in time keeps them', async () => {
  const a = await enter('Ann');
  const b = await enter('Bob');
  room.connectionStateChanged(a.participant.id, 'publisher', 'disconnected');
  room.connectionStateChanged(a.participant.id, 'publisher', 'connected');
  room.connectionStateChanged(b.participant.id, 'subscriber', 'failed');
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(b.sink.bye, 'media-failed');
  assert.equal(a.sink.bye, undefined);
  assert.equal(a.sink.of('participantLeft')[0]?.reason, 'media-failed');
  assert.equal(room.participantCount, 1);
});

test('close says goodbye to everyone, frees every peer, and refuses later joins', async () => {
  const a = await enter('Ann');
  await room.close();
  assert.equal(a.sink.bye, 'shutdown');
  assert.equal(sfu.peers.size, 0);
  await assert.rejects(enter('Late'));
});
