/**
 * The live rooms of this server, by meeting ID. A room exists while someone is in it, in its lobby,
 * or reconnecting to it; the registry routes the SFU's events (per peer, per room) and moderator
 * alerts to the right room, and reopens a meeting's room when someone resumes after a restart.
 */
import { ParleyError, type RequestResult } from '@parley/protocol';
import type { ConnectionState, PeerNetworkScore, SfuControl, TransportDirection } from '@parley/sfu';
import type { ResumeStore } from '../storage/resume.js';
import type { Entrant } from './participant.js';
import { Room, RoomClosedError, type Reply, type RoomDeps, type RoomInit } from './room.js';

export class RoomRegistry {
  readonly #deps: RoomDeps;
  readonly #rooms = new Map<string, Room>();
  readonly #peerRooms = new Map<string, Room>();
  readonly #onConnectionState = (peerId: string, direction: TransportDirection, state: ConnectionState): void => {
    this.#peerRooms.get(peerId)?.connectionStateChanged(peerId, direction, state);
  };
  readonly #onActiveSpeaker = (roomId: string, peerId: string): void => {
    this.#rooms.get(roomId)?.speakerChanged(peerId);
  };
  readonly #onNetworkScore = (peerId: string, score: PeerNetworkScore): void => {
    this.#peerRooms.get(peerId)?.networkScoreChanged(peerId, score);
  };
  #closed = false;

  constructor(deps: RoomDeps) {
    this.#deps = deps;
    deps.sfu.on('connectionState', this.#onConnectionState);
    deps.sfu.on('activeSpeaker', this.#onActiveSpeaker);
    deps.sfu.on('networkScore', this.#onNetworkScore);
  }

  get sfu(): SfuControl {
    return this.#deps.sfu;
  }

  get resumeStore(): ResumeStore {
    return this.#deps.resume;
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  /** Every live room, for read-only use (monitoring counts them at scrape time). */
  live(): IterableIterator<Room> {
    return this.#rooms.values();
  }

  /** The live room of a meeting, if anyone is in it. */
  get(meetingId: string): Room | undefined {
    return this.#rooms.get(meetingId);
  }

  /** Enters the meeting's room, opening it if nobody is in it. */
  async enter(init: RoomInit, entrant: Entrant, reply: Reply<RequestResult<'join'>>): Promise<Room> {
    return this.#withRoom(init, (room) => room.enter(entrant, reply));
  }

  /**
   * Takes back a participant whose resume credential was verified (`meeting` loads the meeting's
   * facts, in case its room must be reopened after a restart).
   */
  async resume(
    meeting: () => Promise<RoomInit>,
    record: Parameters<Room['resume']>[0],
    entrant: Entrant,
    reply: Reply<RequestResult<'resume'>>,
  ): Promise<Room> {
    const live = this.#rooms.get(record.meetingId);
    const init = live && !live.closed ? undefined : await meeting();
    return this.#withRoom(init ?? null, (room) => room.resume(record, entrant, reply), record.meetingId);
  }

  /** The organization's policy changed: every live room re-resolves its settings and tells its people. */
  policyChanged(): void {
    for (const room of this.#rooms.values()) room.policyChanged();
  }

  /** A disabled account: moves that person out of every live room (meeting and lobby); how many places they had. */
  async disconnectUser(userId: string, message = 'An administrator disabled your account.'): Promise<number> {
    const counts = await Promise.all(
      [...this.#rooms.values()].map((room) =>
        room.disconnectUser(userId, message).catch((err: unknown) => {
          // A room that closed meanwhile has nobody left to move out.
          if (!room.closed) this.#deps.log.error({ err }, 'moving a disabled account out failed');
          return 0;
        }),
      ),
    );
    return counts.reduce((a, b) => a + b, 0);
  }

  async close(message?: string): Promise<void> {
    this.#closed = true;
    this.#deps.sfu.off('connectionState', this.#onConnectionState);
    this.#deps.sfu.off('activeSpeaker', this.#onActiveSpeaker);
    this.#deps.sfu.off('networkScore', this.#onNetworkScore);
    await Promise.all([...this.#rooms.values()].map((room) => room.close(message)));
    this.#rooms.clear();
  }

  /** Runs `action` in the meeting's room; if that room closed while the action waited, in a fresh one. */
  async #withRoom(init: RoomInit | null, action: (room: Room) => Promise<void>, meetingId = init?.meeting.id): Promise<Room> {
    for (let attempt = 0; ; attempt++) {
      if (this.#closed) throw new RoomClosedError('server closing');
      const live = meetingId ? this.#rooms.get(meetingId) : undefined;
      const room = live && !live.closed ? live : init ? this.#open(init) : undefined;
      if (!room) throw new ParleyError('shutting_down', 'the meeting is not open; join again');
      try {
        await action(room);
        return room;
      } catch (err) {
        // The room emptied and closed while this action waited in its queue: open a fresh one.
        if (!(err instanceof RoomClosedError) || attempt > 3) throw err;
      }
    }
  }

  #open(init: RoomInit): Room {
    const room = new Room(init, this.#deps);
    room.on('participantAdded', (id) => this.#peerRooms.set(id, room));
    room.on('participantRemoved', (id) => this.#peerRooms.delete(id));
    room.on('empty', () => {
      if (this.#rooms.get(init.meeting.id) === room) this.#rooms.delete(init.meeting.id);
      room.close().catch((err: unknown) => this.#deps.log.error({ err }, 'room close failed'));
    });
    this.#rooms.set(init.meeting.id, room);
    return room;
  }
}
