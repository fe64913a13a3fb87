/** The room's state machine, against a recording SFU stand-in and real SQLite for the audit log. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { DEFAULT_POLICY, ParleyError, type MeetingSettingsPatch, type RequestResult, type RoomState, type Sensitivity, type ServerMessage } from '@parley/protocol';
import pino from 'pino';
import { fixedPolicy } from '../policy/policy-store.js';
import { AuditLog } from '../storage/audit.js';
import { ModerationStore } from '../storage/moderation.js';
import { ResumeStore } from '../storage/resume.js';
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
let savedSensitivity: string[];

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
  savedSensitivity = [];
});

function newRoom(settings: MeetingSettingsPatch = { lobby: false, joinBeforeHost: true }, maxParticipants = 3, sensitivity: Sensitivity = 'standard', policy = fixedPolicy()): Room {
  return new Room(
    { meeting: { id: MEETING_ID, title: 'T' }, hostUserId: 'host-user', settings, locked: false, sensitivity },
    {
      sfu,
      log: pino({ level: 'silent' }),
      audit: new AuditLog(db),
      policy,
      store: {
        end: async (id) => void ended.push(id),
        saveSettings: async () => undefined,
        saveLocked: async () => undefined,
        saveSensitivity: async (_id, to, hash) => void savedSensitivity.push(hash ? `${to} with a new passcode` : to),
        hasPasscode: async () => true,
      },
      moderation: new ModerationStore(db),
      resume: new ResumeStore(db),
      resumeWindowMs: 60_000,
      resumeTtlMs: 600_000,
      iceServers: () => [],
      maxParticipants,
    },
  );
}

/** An organization that lets guests moderate (not the default). */
const GUEST_MODERATORS = fixedPolicy({ ...DEFAULT_POLICY, guestsMayModerate: true });

test('by default a guest cannot be made co-host (refused, audited); a signed-in member can', async () => {
  const room = newRoom();
  const h = await host(room);
  const g = await enter(room, 'Guest');
  const m = await enter(room, 'Member', { identity: 'member', userId: 'u2' });
  await assert.rejects(send(room, h, { type: 'setRole', participantId: g.id, role: 'cohost' }), code('forbidden'));
  assert.equal(room.participants.get(g.id)?.role, 'guest');
  const refused = await db.selectFrom('audit_events').selectAll().where('action', '=', 'forbidden').where('target', '=', g.id).execute();
  assert.equal(refused.length, 1);
  assert.match(refused[0]?.details ?? '', /guestsMayModerate/);
  await send(room, h, { type: 'setRole', participantId: m.id, role: 'cohost' });
  assert.equal(room.participants.get(m.id)?.role, 'cohost');
  await room.close();
});

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

/** Sets up the person's media (once) and publishes one track. */
async function publish(room: Room, who: Person, source: 'camera' | 'microphone' = 'camera'): Promise<string> {
  if (!sfu.peers.has(who.id)) await send(room, who, { type: 'setupMedia', rtpCapabilities: {} });
  const reply = (await send(room, who, { type: 'publish', source, kind: source === 'camera' ? 'video' : 'audio', rtpParameters: {} })) as { trackId: string };
  return reply.trackId;
}

const code = (c: string) => (e: unknown) => e instanceof ParleyError && e.code === c;

test('join replies with the others, the media capabilities and a resume credential, and announces the joiner', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  assert.deepEqual(b.state.participants.map((p) => p.displayName), ['Ann']);
  assert.equal(a.sink.of('participantJoined')[0]?.participant.displayName, 'Bob');
  assert.equal(b.sink.of('participantJoined').length, 0, 'no echo of oneself');
  assert.equal(sfu.peers.size, 0, 'no media until the client sets it up');
  assert.equal(b.state.self.role, 'guest');
  assert.equal(b.state.self.identity, 'guest');
  assert.equal(b.state.self.connection, 'connected');
  assert.ok(b.state.media.rtpCapabilities);
  assert.ok(b.state.resume.token.length >= 32 && b.state.resume.token !== a.state.resume.token);
});

test('publishing subscribes everyone whose media is set up, and someone setting up later gets the tracks then', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  const c = await enter(room, 'Cy');
  await send(room, b, { type: 'setupMedia', rtpCapabilities: {} });
  const cam = await publish(room, a);
  assert.equal(b.sink.of('trackPublished')[0]?.track.id, cam);
  assert.deepEqual(b.sink.of('subscription').map((s) => s.trackId), [cam]);
  assert.equal(c.sink.of('subscription').length, 0, 'not before their media exists');
  assert.equal(a.sink.of('subscription').length, 0, 'the publisher subscribes to nothing of its own');
  await send(room, c, { type: 'setupMedia', rtpCapabilities: {} });
  assert.deepEqual(c.sink.of('subscription').map((s) => s.trackId), [cam]);
  await send(room, c, { type: 'resumeSubscription', trackId: cam });
  assert.ok(sfu.calls.includes(`resume ${c.id} ${cam}`));
});

test('media requests before setupMedia are wrong_state; a second setupMedia is a fresh start', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  await assert.rejects(send(room, a, { type: 'connectTransport', transportId: 'nothing-here', dtlsParameters: {} }), code('wrong_state'));
  await assert.rejects(send(room, a, { type: 'publish', source: 'camera', kind: 'video', rtpParameters: {} }), code('wrong_state'));
  const cam = await publish(room, a);
  await send(room, a, { type: 'setupMedia', rtpCapabilities: {} });
  assert.equal(b.sink.of('trackUnpublished')[0]?.trackId, cam, 'the old tracks end for the others');
  assert.equal(sfu.tracks.size, 0);
  assert.ok(sfu.peers.has(a.id));
});

test('publish refuses a wrong kind, a second camera, and a failed negotiation leaves no track', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  await send(room, a, { type: 'setupMedia', rtpCapabilities: {} });
  await assert.rejects(send(room, a, { type: 'publish', source: 'camera', kind: 'audio', rtpParameters: {} }), code('bad_request'));
  sfu.failNextProduce = true;
  await assert.rejects(publish(room, a), code('negotiation_failed'));
  assert.equal(b.sink.of('trackPublished').length, 0);
  await publish(room, a);
  await assert.rejects(publish(room, a, 'camera'), code('wrong_state'));
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

test('a detached participant is reconnecting for the others, comes back on a new sink, and is removed only when the window passes', async () => {
  const room = newRoom();
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  // A media failure alone never removes anyone: the client restarts ICE.
  room.connectionStateChanged(a.id, 'send', 'failed');
  await room.detach(b.id, b.sink);
  assert.equal(a.sink.of('participantUpdated').at(-1)?.participant.connection, 'reconnecting');
  const fresh = new Sink();
  let resumed: RequestResult<'resume'> | undefined;
  const record = { meetingId: MEETING_ID, participantId: b.id, role: 'guest' as const, identity: 'guest' as const, userId: null, email: null, displayName: 'Bob', deviceId: null, handRaised: false };
  await room.resume(record, { identity: 'guest', userId: null, email: null, displayName: 'Bob', clientAddress: '127.0.0.1', isOwner: false, deviceId: null, sink: fresh }, (r) => (resumed = r));
  assert.equal(resumed?.state.self.id, b.id);
  assert.equal(b.sink.bye, 'replaced', 'the old sink is told');
  assert.equal(a.sink.of('participantUpdated').at(-1)?.participant.connection, 'connected');
  assert.equal(room.participantCount, 2);
  assert.equal(a.sink.of('participantLeft').length, 0);
  assert.equal(a.sink.bye, undefined);
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
  // Guests may be made co-hosts only where the organization allows it.
  const room = newRoom({ joinBeforeHost: true, lobby: false }, 3, 'standard', GUEST_MODERATORS);
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

test('raising the class moves out everyone but signed-in members, in the room and the lobby; it is never lowered', async () => {
  const room = newRoom({ lobby: false, joinBeforeHost: true }, 5);
  const h = await host(room);
  const guest = await enter(room, 'Gwen');
  const partner = await enter(room, 'Pat', { identity: 'external', userId: 'u-ext' });
  const member = await enter(room, 'Mia', { identity: 'member', userId: 'u-mem' });
  await send(room, h, { type: 'updateSettings', settings: { lobby: true } });
  const waitingGuest = await enter(room, 'Wade');
  const waitingMember = await enter(room, 'Mo', { identity: 'member', userId: 'u-mo' });
  assert.deepEqual([waitingGuest.result.status, waitingMember.result.status], ['waiting', 'waiting']);

  const result = await send(room, h, { type: 'setSensitivity', sensitivity: 'sensitive' });
  assert.deepEqual(result, { movedOut: 3 }, 'the meeting had a passcode: none generated');
  assert.deepEqual(savedSensitivity, ['sensitive']);
  for (const [name, out] of [['guest', guest], ['external', partner], ['waiting guest', waitingGuest]] as const) assert.equal(out.sink.bye, 'sensitivity-raised', name);
  assert.deepEqual([...room.participants.values()].map((p) => p.displayName).sort(), ['Hester', 'Mia']);
  assert.equal(member.sink.bye, undefined);
  assert.deepEqual(room.lobby.entries().map((e) => e.displayName), ['Mo'], 'the member still waits');
  assert.equal(waitingMember.sink.of('lobbyStatus').at(-1)?.sensitivity, 'sensitive', 'and learns the class');
  const settings = member.sink.of('settingsUpdated').at(-1)?.settings;
  assert.deepEqual([settings?.sensitivity, settings?.e2ee, settings?.access, settings?.lobby], ['sensitive', true, 'organization', true]);
  const left = member.sink.of('participantLeft').map((m) => [m.participantId, m.reason]);
  assert.deepEqual(left.sort(), [[guest.id, 'removed'], [partner.id, 'removed']].sort());

  await assert.rejects(send(room, h, { type: 'setSensitivity', sensitivity: 'standard' }), code('forced_by_sensitivity'));
  await assert.rejects(send(room, h, { type: 'updateSettings', settings: { lobby: false } }), code('forced_by_sensitivity'));
  assert.equal(room.settings().sensitivity, 'sensitive');
  assert.equal(room.settings().lobby, true);
  await assert.rejects(send(room, member, { type: 'setSensitivity', sensitivity: 'sensitive' }), code('forbidden'), 'hosts only');
  const audit = (await new AuditLog(db).forMeeting(MEETING_ID)).map((e) => e.action);
  for (const action of ['meeting.sensitivity-raised', 'participant.moved-out', 'lobby.moved-out', 'meeting.sensitivity-refused', 'meeting.settings-refused']) {
    assert.ok(audit.includes(action), action);
  }
  await room.close();
});

test('a host who is not a member of the organization cannot make the meeting sensitive (it would move them out)', async () => {
  const room = newRoom(undefined, 3, 'standard', GUEST_MODERATORS);
  const h = await host(room);
  const guest = await enter(room, 'Gail');
  await send(room, h, { type: 'setRole', participantId: guest.id, role: 'cohost' });
  await room.leave(h.id, 'left');
  assert.equal(room.participants.get(guest.id)?.role, 'host', 'the guest co-host took over');
  await assert.rejects(send(room, guest, { type: 'setSensitivity', sensitivity: 'sensitive' }), code('forbidden'));
  assert.equal(room.settings().sensitivity, 'standard');
  assert.deepEqual(savedSensitivity, []);
  await room.close();
});

test('a sensitive room says so to the lobby, and refuses guests and external accounts with the reason', async () => {
  const room = newRoom({}, 5, 'sensitive');
  await host(room);
  const member = await enter(room, 'Mo', { identity: 'member', userId: 'u-mo' });
  assert.deepEqual(member.result, { status: 'waiting', reason: 'lobby', sensitivity: 'sensitive' });
  await assert.rejects(enter(room, 'Gus'), (e: unknown) => code('sign_in_required')(e) && /sensitive/.test((e as Error).message));
  await assert.rejects(enter(room, 'Ext', { identity: 'external', userId: 'u-ext' }), code('forbidden'));
  await room.close();
});

// --- the host's departure and raised hands ------------------------------------------------------

async function auditOf(action: string): Promise<{ target: string | null; details: Record<string, unknown> }[]> {
  const rows = await db.selectFrom('audit_events').select(['target', 'details']).where('action', '=', action).execute();
  return rows.map((r) => ({ target: r.target, details: JSON.parse(r.details ?? '{}') as Record<string, unknown> }));
}

test('a leaving host hands over to the member they chose; everyone is told once who hosts now; audited', async () => {
  const room = newRoom({ joinBeforeHost: true, lobby: false }, 4);
  const h = await host(room);
  const first = await enter(room, 'Ada', { identity: 'member', userId: 'u2' });
  const chosen = await enter(room, 'Bo', { identity: 'member', userId: 'u3' });
  const g = await enter(room, 'Guest');
  await room.leave(h.id, 'left', chosen.id);
  assert.equal(room.participants.get(chosen.id)?.role, 'host', 'the chosen member, not the longest present');
  assert.equal(room.participants.get(first.id)?.role, 'participant');
  for (const p of [first, chosen, g]) assert.deepEqual(p.sink.of('hostChanged'), [{ type: 'hostChanged', participantId: chosen.id, displayName: 'Bo', reason: 'chosen' }]);
  const [entry] = (await auditOf('host.handed-over')).filter((e) => e.target === chosen.id);
  assert.equal(entry?.details.reason, 'chosen');
  assert.equal(entry?.details.from, h.id);
  assert.ok(chosen.sink.of('lobbyUpdated').length > 0, 'the new host is briefed like any new moderator');
  await room.close();
});

test('a leaving host cannot hand over to a guest by default (refused, audited, still in); the policy can allow it', async () => {
  const room = newRoom({ joinBeforeHost: true, lobby: false });
  const h = await host(room);
  const g = await enter(room, 'Guest');
  await assert.rejects(room.leave(h.id, 'left', g.id), code('forbidden'));
  assert.equal(room.participants.get(h.id)?.role, 'host', 'a refused choice does not remove the host');
  assert.equal((await auditOf('host.hand-over-refused')).filter((e) => e.target === g.id).length, 1);
  await assert.rejects(room.leave(h.id, 'left', 'not-a-participant-here'), code('not_found'));
  await assert.rejects(room.leave(g.id, 'left', h.id), code('forbidden'), 'only a host hands over');
  assert.ok(room.participants.has(g.id));
  await room.close();

  const lenient = newRoom({ joinBeforeHost: true, lobby: false }, 3, 'standard', GUEST_MODERATORS);
  const h2 = await host(lenient);
  const g2 = await enter(lenient, 'Guest');
  await lenient.leave(h2.id, 'left', g2.id);
  assert.equal(lenient.participants.get(g2.id)?.role, 'host');
  await lenient.close();
});

test('with only guests left the meeting goes on without a moderator, and they are told; a lenient policy makes a guest host', async () => {
  const room = newRoom({ joinBeforeHost: true, lobby: true });
  const h = await host(room);
  await send(room, h, { type: 'updateSettings', settings: { lobby: false } });
  const g = await enter(room, 'Guest');
  await send(room, h, { type: 'updateSettings', settings: { lobby: true } });
  await room.leave(h.id, 'left');
  assert.equal(room.participants.get(g.id)?.role, 'guest', 'a guest never becomes host by default');
  assert.deepEqual(g.sink.of('hostChanged'), [{ type: 'hostChanged', participantId: null, displayName: null, reason: 'none' }]);
  const late = await enter(room, 'Late');
  assert.equal(late.result.status, 'waiting', 'people arriving wait in the lobby: nobody can admit them');
  assert.ok((await auditOf('host.handed-over')).some((e) => e.details.reason === 'none'));
  await room.close();

  const lenient = newRoom({ joinBeforeHost: true, lobby: false }, 3, 'standard', GUEST_MODERATORS);
  const h2 = await host(lenient);
  const g2 = await enter(lenient, 'Guest');
  await lenient.leave(h2.id, 'left');
  assert.equal(g2.sink.of('hostChanged')[0]?.reason, 'guest');
  assert.equal(lenient.participants.get(g2.id)?.role, 'host');
  await lenient.close();
});

test('a co-host takes over before a member; the new host lets in those who waited for a host', async () => {
  const room = newRoom({ joinBeforeHost: false, lobby: false }, 4);
  const h = await host(room);
  const m = await enter(room, 'Member', { identity: 'member', userId: 'u2' });
  const c = await enter(room, 'Cohost', { identity: 'member', userId: 'u3' });
  await send(room, h, { type: 'setRole', participantId: c.id, role: 'cohost' });
  await room.leave(h.id, 'left');
  assert.equal(m.sink.of('hostChanged')[0]?.reason, 'cohost');
  assert.equal(room.participants.get(c.id)?.role, 'host');
  assert.equal((await enter(room, 'Latecomer')).result.status, 'admitted', 'a host is present: no "waiting for the host"');
  await room.close();
});

test('raised hands: moderators are told (not the raiser), the time is kept, a moderator lowers one or all; others may not', async () => {
  const room = newRoom({ joinBeforeHost: true, lobby: false }, 4);
  const h = await host(room);
  const a = await enter(room, 'Ann');
  const b = await enter(room, 'Bob');
  await send(room, b, { type: 'raiseHand', raised: true });
  await send(room, a, { type: 'raiseHand', raised: true });
  assert.deepEqual(h.sink.of('handRaised').map((e) => e.displayName), ['Bob', 'Ann']);
  assert.equal(a.sink.of('handRaised').length, 0, 'only moderators hear of hands');
  const bob = room.participants.get(b.id)?.info();
  const ann = room.participants.get(a.id)?.info();
  assert.ok(bob?.handRaisedAt !== undefined && ann?.handRaisedAt !== undefined && bob.handRaisedAt <= ann.handRaisedAt);
  const before = bob.handRaisedAt;
  await send(room, b, { type: 'raiseHand', raised: true });
  assert.equal(room.participants.get(b.id)?.info().handRaisedAt, before, 'raising again keeps one’s place');
  assert.equal(h.sink.of('handRaised').length, 2, 'and is not announced again');

  await assert.rejects(send(room, a, { type: 'lowerHand', participantId: b.id }), code('forbidden'));
  await send(room, h, { type: 'lowerHand', participantId: b.id });
  assert.equal(room.participants.get(b.id)?.info().handRaised, false);
  assert.equal(room.participants.get(b.id)?.info().handRaisedAt, undefined);
  assert.equal(b.sink.of('moderatorAction').at(-1)?.action, 'handLowered');
  assert.equal((await auditOf('participant.hand-lowered')).filter((e) => e.target === b.id).length, 1);
  await assert.rejects(send(room, h, { type: 'lowerHand', participantId: 'nobody-by-this-id' }), code('not_found'));

  await send(room, b, { type: 'raiseHand', raised: true });
  await send(room, h, { type: 'lowerAllHands' });
  assert.deepEqual([...room.participants.values()].filter((p) => p.handRaised), []);
  await room.close();
});
