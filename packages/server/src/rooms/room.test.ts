/** The room's state machine, against a recording SFU stand-in and real SQLite for the audit log. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { ParleyError, type MeetingSettingsPatch, type RequestResult, type RoomState, type ServerMessage } from '@parley/protocol';
import pino from 'pino';
import { OPEN_POLICY } from '../meetings/settings.js';
import { AuditLog } from '../storage/audit.js';
import { ModerationStore } from '../storage/moderation.js';
import { openDatabase, type Db } from '../storage/db.js';
import { FakeSfu } from '../test-support/fake-sfu.js';
import { lobbyQueue } from '../test-support/messages.js';
import type { ByeReason, Entrant, ParticipantSink } from './participant.js';
import { Room, type RoomMessage } from './room.js';

class Sink implements ParticipantSink {
  readonly messages: ServerMessage[] = [];
  bye: ByeReason | undefined;
  dropped = false;
  participantId: string | undefined;
  send(message: ServerMessage): void {
    this.messages.push(message);
  }
  close(reason: ByeReason): void {
    this.bye = reason;
  }
  drop(): void {
    this.dropped = true;
  }
  admitted(participantId: string): void {
    this.participantId = participantId;
  }
  of<T extends ServerMessage['type']>(type: T): Extract<ServerMessage, { type: T }>[] {
    return this.messages.filter((m): m is Extract<ServerMessage, { type: T }> => m.type === type);
  }
}

const MEETING_ID = 'k7qm-x2hd-9tfa-wr3p';
let dir: string;
let db: Db;
let sfu: FakeSfu;
let ended: string[];

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
  ended = [];
});

function newRoom(settings: MeetingSettingsPatch = { lobby: false, joinBeforeHost: true }, maxParticipants = 3): Room {
  return new Room(
    { meeting: { id: MEETING_ID, title: 'T' }, hostUserId: 'host-user', settings },
    {
      sfu,
      log: pino({ level: 'silent' }),
      audit: new AuditLog(db),
      policy: OPEN_POLICY,
      store: { end: async (id) => void ended.push(id), saveSettings: async () => undefined },
      moderation: new ModerationStore(db),
      mediaGraceMs: 50,
      maxParticipants,
    },
  );
}

interface Person {
  sink: Sink;
  result: RequestResult<'join'>;
  id: string;
  state: RoomState;
}

async function enter(room: Room, name: string, who: Partial<Omit<Entrant, 'sink'>> = {}): Promise<Person> {
  const sink = new Sink();
  let result: RequestResult<'join'> | undefined;
  await room.enter({ identity: 'guest', userId: null, email: null, displayName: name, clientAddress: '127.0.0.1', isOwner: false, deviceId: null, sink, ...who }, (r) => (result = r));
  assert.ok(result);
  const state = result.status === 'admitted' ? result.state : (undefined as unknown as RoomState);
  return { sink, result, get id() { return sink.participantId ?? ''; }, state };
}

const host = (room: Room) => enter(room, 'Hester', { identity: 'member', userId: 'host-user', isOwner: true });

type Unsent<T> = T extends unknown ? Omit<T, 'id'> : never;

function send(room: Room, who: Person, message: Unsent<RoomMessage>): Promise<object> {
  let reply: object | undefined;
  return room.handle(who.id, { ...message, id: 1 } as RoomMessage, (r) => (reply = r)).then(() => reply ?? {});
}

async function publish(room: Room, who: Person, source: 'camera' | 'microphone' = 'camera', mid = '0'): Promise<string> {
  const reply = (await send(room, who, { type: 'publish', source, kind: source === 'camera' ? 'video' : 'audio', mid, sdp: 'offer' })) as { trackId: string };
  return reply.trackId;
}

const code = (c: string) => (e: unknown) => e instanceof ParleyError && e.code === c;

test('join creates an SFU peer, replies with the others, and announces the joiner', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  assert.deepEqual(b.state.participants.map((p) => p.displayName), ['Ann']);
  assert.equal(a.sink.of('participantJoined')[0]?.participant.displayName, 'Bob');
  assert.equal(b.sink.of('participantJoined').length, 0, 'no echo of oneself');
  assert.ok(sfu.peers.has(a.id) && sfu.peers.has(b.id));
  assert.equal(b.state.self.role, 'guest');
  assert.equal(b.state.self.identity, 'guest');
});

test('publishing subscribes the others and offers them one negotiation at a time', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  const cam = await publish(room, a);
  assert.equal(b.sink.of('trackPublished')[0]?.track.id, cam);
  const offers = b.sink.of('offer');
  assert.equal(offers.length, 1);
  assert.deepEqual(offers[0]?.tracks.map((t) => t.trackId), [cam]);
  const mic = await publish(room, a, 'microphone', '1');
  assert.equal(b.sink.of('offer').length, 1, 'no second offer while one is unanswered');
  await send(room, b, { type: 'answer', negotiationId: offers[0]!.negotiationId, sdp: 'answer' });
  const again = b.sink.of('offer');
  assert.equal(again.length, 2, 'renegotiated after the answer');
  assert.deepEqual(new Set(again[1]?.tracks.map((t) => t.trackId)), new Set([cam, mic]));
  assert.equal(a.sink.of('offer').length, 0, 'the publisher subscribes to nothing of its own');
});

test('an answer that quotes no outstanding offer is wrong_state and changes nothing', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  await assert.rejects(send(room, a, { type: 'answer', negotiationId: 'nothing-pending', sdp: 'x' }), code('wrong_state'));
  assert.ok(!sfu.calls.includes(`answer ${a.id}`));
});

test('publish refuses a wrong kind, a second camera, and a failed negotiation leaves no track', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  await assert.rejects(send(room, a, { type: 'publish', source: 'camera', kind: 'audio', mid: '0', sdp: 'x' }), code('bad_request'));
  sfu.failNextPublish = true;
  await assert.rejects(publish(room, a), code('negotiation_failed'));
  assert.equal(b.sink.of('trackPublished').length, 0);
  await publish(room, a);
  await assert.rejects(publish(room, a, 'camera', '5'), code('wrong_state'));
});

test("nobody may mute or unpublish someone else's track", async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  const cam = await publish(room, a);
  await assert.rejects(send(room, b, { type: 'setMuted', trackId: cam, muted: true }), code('forbidden'));
  await assert.rejects(send(room, b, { type: 'setMuted', trackId: 'no-such-track', muted: true }), code('not_found'));
  assert.equal(a.sink.of('trackUpdated').length + b.sink.of('trackUpdated').length, 0);
});

test('removal closes the peer, unpublishes its tracks for the others, and empties the room', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  const cam = await publish(room, a);
  let emptied = false;
  room.on('empty', () => (emptied = true));
  await room.remove(a.id, 'disconnected');
  assert.ok(!sfu.peers.has(a.id));
  assert.equal(b.sink.of('trackUnpublished')[0]?.trackId, cam);
  assert.deepEqual(b.sink.of('participantLeft')[0], { type: 'participantLeft', participantId: a.id, reason: 'disconnected' });
  await room.remove(a.id, 'disconnected');
  assert.equal(b.sink.of('participantLeft').length, 1, 'idempotent');
  assert.ok(!emptied);
  await room.remove(b.id, 'left');
  assert.ok(emptied);
});

test('the room refuses joiners beyond its limit', async () => {
  const room = newRoom(undefined, 3);
  await enter(room, '1');
  await enter(room, '2');
  await enter(room, '3');
  await assert.rejects(enter(room, '4'), code('meeting_full'));
});

test('a media connection down past the grace period removes the participant; recovery in time keeps them', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  room.connectionStateChanged(a.id, 'publisher', 'disconnected');
  room.connectionStateChanged(a.id, 'publisher', 'connected');
  room.connectionStateChanged(b.id, 'subscriber', 'failed');
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(b.sink.bye, 'media-failed');
  assert.equal(a.sink.bye, undefined);
  assert.equal(a.sink.of('participantLeft')[0]?.reason, 'media-failed');
  assert.equal(room.participantCount, 1);
});

test('by default newcomers wait for the host, then in the lobby, and hear nothing of the meeting', async () => {
  const room = newRoom({});
  const early = await enter(room, 'Early');
  assert.deepEqual(early.result, { status: 'waiting', reason: 'host-absent' });
  const h = await host(room);
  assert.equal(h.state.self.role, 'host');
  assert.deepEqual(early.sink.messages, [{ type: 'lobbyStatus', status: 'waiting' }], 'moved to the lobby when the host came');
  assert.deepEqual(lobbyQueue(h.sink.messages).map((e) => e.displayName), ['Early'], 'the host sees the queue');
  const late = await enter(room, 'Late');
  assert.deepEqual(late.result, { status: 'waiting', reason: 'lobby' });
  const knock = h.sink.of('lobbyChanged').at(-1);
  assert.deepEqual(knock?.added.map((e) => e.displayName), ['Late'], 'a knock sends the newcomer only (L8)');
  assert.equal(knock?.knock, knock?.added[0]?.id, 'a knock names the newcomer');
  const queue = lobbyQueue(h.sink.messages);
  assert.deepEqual(queue.map((e) => e.displayName), ['Early', 'Late']);
  await publish(room, h);
  assert.deepEqual(late.sink.messages, [], 'a waiting socket learns nothing of the meeting');

  await send(room, h, { type: 'admit', lobbyId: queue[1]!.id });
  const admitted = late.sink.of('admitted')[0];
  assert.equal(admitted?.state.participants[0]?.displayName, 'Hester');
  assert.equal(admitted?.state.tracks.length, 1);
  await send(room, h, { type: 'deny', lobbyId: queue[0]!.id, message: 'Not today' });
  assert.deepEqual(early.sink.messages.at(-1), { type: 'lobbyStatus', status: 'denied', message: 'Not today' });
  assert.ok(early.sink.dropped);
  assert.deepEqual(lobbyQueue(h.sink.messages), [], 'admitted and denied left the queue');
  assert.deepEqual(h.sink.of('lobbyChanged').map((c) => [c.added.length, c.removed.length]), [[1, 0], [1, 0], [0, 1], [0, 1]], 'changes only');
  assert.equal(h.sink.of('lobbyUpdated').length, 0, 'never the whole queue');
});

test('participants and guests cannot moderate: admit, lock, promote and end are forbidden and change nothing', async () => {
  const room = newRoom({ joinBeforeHost: true });
  const h = await host(room);
  const waiting = await enter(room, 'Waiter');
  const guest = await enter(room, 'Member', { identity: 'member', userId: 'u2' });
  assert.deepEqual(await send(room, h, { type: 'admitAll' }), { admitted: 2 });
  for (const message of [
    { type: 'admitAll' },
    { type: 'lock', locked: true },
    { type: 'setRole', participantId: guest.id, role: 'cohost' },
    { type: 'endMeeting' },
    { type: 'updateSettings', settings: { lobby: false } },
  ] as const) {
    await assert.rejects(send(room, waiting, message), code('forbidden'), message.type);
  }
  assert.equal(room.settings().locked, false);
  assert.equal(ended.length, 0);
  assert.equal(room.participantCount, 3);
});

test('lock keeps newcomers out of the lobby; the host still enters', async () => {
  const room = newRoom({});
  const h = await host(room);
  await send(room, h, { type: 'lock', locked: true });
  await assert.rejects(enter(room, 'Latecomer'), code('meeting_locked'));
  const again = await host(room);
  assert.equal(again.result.status, 'admitted');
  await send(room, h, { type: 'lock', locked: false });
  assert.equal((await enter(room, 'Latecomer')).result.status, 'waiting');
});

test('hosts promote co-hosts, co-hosts admit but cannot demote; the host role passes on when the last host leaves', async () => {
  const room = newRoom({ joinBeforeHost: true, lobby: false });
  const h = await host(room);
  const m = await enter(room, 'Member', { identity: 'member', userId: 'u2' });
  const g = await enter(room, 'Guest');
  await send(room, h, { type: 'setRole', participantId: g.id, role: 'cohost' });
  assert.equal(m.sink.of('participantUpdated').at(-1)?.participant.role, 'cohost');
  await assert.rejects(send(room, g, { type: 'setRole', participantId: m.id, role: 'cohost' }), code('forbidden'));
  await room.remove(h.id, 'left');
  const handover = m.sink.of('participantUpdated').at(-1)?.participant;
  assert.deepEqual([handover?.id, handover?.role], [g.id, 'host'], 'the co-host becomes host');
});

test('without a co-host, the longest-present signed-in member becomes host; guests never do', async () => {
  const room = newRoom({ joinBeforeHost: true, lobby: false });
  const h = await host(room);
  const g = await enter(room, 'Guest');
  const m = await enter(room, 'Member', { identity: 'member', userId: 'u2' });
  await room.remove(h.id, 'left');
  assert.equal(g.sink.of('participantUpdated').at(-1)?.participant.id, m.id);
});

test('members skip the lobby only when the host allows it; restricted meetings refuse guests', async () => {
  const room = newRoom({ joinBeforeHost: true, membersSkipLobby: true, access: 'signed-in' });
  await host(room);
  assert.equal((await enter(room, 'Member', { identity: 'member', userId: 'u2' })).result.status, 'admitted');
  assert.equal((await enter(room, 'External', { identity: 'external', userId: 'u3' })).result.status, 'waiting');
  await assert.rejects(enter(room, 'Guest'), code('sign_in_required'));
  const orgOnly = newRoom({ access: 'organization', joinBeforeHost: true });
  await assert.rejects(enter(orgOnly, 'External', { identity: 'external', userId: 'u3' }), code('forbidden'));
});

test('public meetings admit newcomers as view-only attendees until promoted', async () => {
  const room = newRoom({ public: true, lobby: false, joinBeforeHost: true });
  const h = await host(room);
  const a = await enter(room, 'Viewer');
  assert.equal(a.state.self.role, 'attendee');
  await assert.rejects(publish(room, a), code('forbidden'));
  await send(room, h, { type: 'setRole', participantId: a.id, role: 'participant' });
  assert.equal(h.sink.of('participantUpdated').at(-1)?.participant.role, 'guest');
  await publish(room, a);
});

test('ending the meeting tells everyone, in the room and the lobby, and records it', async () => {
  const room = newRoom({ joinBeforeHost: true });
  const h = await host(room);
  const w = await enter(room, 'Waiter');
  const g = await enter(room, 'Invited', { identity: 'member', userId: 'u9' });
  void g;
  await send(room, h, { type: 'endMeeting' });
  assert.deepEqual(ended, [MEETING_ID]);
  assert.equal(w.sink.messages.at(-1)?.type, 'lobbyStatus');
  assert.ok(w.sink.dropped);
  assert.equal(h.sink.bye, 'ended');
  const audit = await new AuditLog(db).forMeeting(MEETING_ID);
  assert.ok(audit.some((e) => e.action === 'meeting.ended'));
});

test('close says goodbye to everyone, frees every peer, and refuses later joins', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  await room.close();
  assert.equal(a.sink.bye, 'shutdown');
  assert.equal(sfu.peers.size, 0);
  await assert.rejects(enter(room, 'Late'));
});

test('admission from the lobby re-checks removals: admit, admit all and turning the lobby off (M1)', async () => {
  const room = newRoom({ joinBeforeHost: true });
  const h = await host(room);
  const waiting = await Promise.all(['dev-a-0123456789abcdef', 'dev-b-0123456789abcdef', 'dev-c-0123456789abcdef'].map((deviceId) => enter(room, deviceId.slice(0, 5), { deviceId })));
  // Removed while they waited, by a route that did not see their lobby socket (another node, the admin console).
  for (const deviceId of ['dev-a-0123456789abcdef', 'dev-b-0123456789abcdef', 'dev-c-0123456789abcdef']) {
    await new ModerationStore(db).ban(MEETING_ID, { userId: null, deviceId, displayName: 'x', identity: 'guest' });
  }
  const entries = room.lobby.entries();
  await send(room, h, { type: 'admit', lobbyId: entries[0]!.id });
  await send(room, h, { type: 'admitAll' });
  assert.equal(room.participants.size, 1, 'only the host is in');
  for (const w of waiting.slice(0, 2)) {
    assert.equal(w.sink.of('admitted').length, 0);
    assert.ok(w.sink.dropped);
  }
  const third = await enter(room, 'late', { deviceId: 'dev-d-0123456789abcdef' });
  await new ModerationStore(db).ban(MEETING_ID, { userId: null, deviceId: 'dev-d-0123456789abcdef', displayName: 'x', identity: 'guest' });
  await send(room, h, { type: 'updateSettings', settings: { lobby: false } });
  assert.equal(third.sink.of('admitted').length, 0);
  assert.equal(room.participants.size, 1);
  await room.close();
});
