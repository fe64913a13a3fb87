/**
 * TURN credentials renewed while connected: with every resume-credential renewal each connected
 * participant gets an `iceServers` event with fresh credentials of their own; without TURN, none.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { IceServer, ServerMessage } from '@parley/protocol';
import pino from 'pino';
import { iceServersFor } from '../media/turn-credentials.js';
import { fixedPolicy } from '../policy/policy-store.js';
import { AuditLog } from '../storage/audit.js';
import { openDatabase, type Db } from '../storage/db.js';
import { ModerationStore } from '../storage/moderation.js';
import { ResumeStore } from '../storage/resume.js';
import { FakeSfu } from '../test-support/fake-sfu.js';
import type { ByeReason, ParticipantSink } from './participant.js';
import { Room } from './room.js';

class Sink implements ParticipantSink {
  readonly messages: ServerMessage[] = [];
  participantId = '';
  send(message: ServerMessage): void {
    this.messages.push(message);
  }
  close(_reason: ByeReason): void {}
  drop(): void {}
  admitted(participantId: string): void {
    this.participantId = participantId;
  }
  iceServers(): IceServer[][] {
    return this.messages.flatMap((m) => (m.type === 'iceServers' ? [m.iceServers] : []));
  }
}

let dir: string;
let db: Db;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-turn-renewal-'));
  db = await openDatabase(dir);
});
after(async () => {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

const TURN = { urls: ['turn:turn.example.org:3478'], secret: 'a-coturn-static-auth-secret', ttlSeconds: 3600 };

/** A room whose resume credentials (and with them TURN credentials) are renewed every 100 ms. */
function newRoom(turn: typeof TURN | null): Room {
  return new Room(
    { meeting: { id: 'k7qm-x2hd-9tfa-wr3p', title: 'T' }, hostUserId: 'host-user', settings: { lobby: false, joinBeforeHost: true }, locked: false, sensitivity: 'standard' },
    {
      sfu: new FakeSfu(),
      log: pino({ level: 'silent' }),
      audit: new AuditLog(db),
      policy: fixedPolicy(),
      store: { end: async () => undefined, saveSettings: async () => undefined, saveLocked: async () => undefined, saveSensitivity: async () => undefined, hasPasscode: async () => true },
      moderation: new ModerationStore(db),
      resume: new ResumeStore(db),
      resumeWindowMs: 60_000,
      resumeTtlMs: 200,
      iceServers: iceServersFor(turn),
      iceTransportPolicy: turn ? 'relay' : 'all',
      maxParticipants: 5,
    },
  );
}

async function enter(room: Room, name: string): Promise<Sink> {
  const sink = new Sink();
  await room.enter({ identity: 'guest', userId: null, email: null, displayName: name, clientAddress: '127.0.0.1', isOwner: false, deviceId: null, sink }, () => undefined);
  return sink;
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('each connected participant gets fresh TURN credentials of their own with every renewal', async () => {
  const room = newRoom(TURN);
  const alice = await enter(room, 'Alice');
  const bob = await enter(room, 'Bob');
  await until(() => alice.iceServers().length >= 2 && bob.iceServers().length >= 2, 'two renewals each');
  for (const sink of [alice, bob]) {
    for (const [server] of sink.iceServers()) {
      assert.deepEqual(server?.urls, TURN.urls);
      assert.match(server?.username ?? '', new RegExp(`^\\d+:${sink.participantId}$`), 'their own username');
    }
    const types = sink.messages.map((m) => m.type).filter((t) => t === 'resumeToken' || t === 'iceServers');
    assert.equal(types[0], 'resumeToken', 'sent with the resume renewal');
    assert.equal(types[1], 'iceServers');
  }
  await room.close();
});

test('without TURN no iceServers event is sent', async () => {
  const room = newRoom(null);
  const alice = await enter(room, 'Alice');
  await until(() => alice.messages.filter((m) => m.type === 'resumeToken').length >= 2, 'two renewals');
  assert.deepEqual(alice.iceServers(), []);
  await room.close();
});
