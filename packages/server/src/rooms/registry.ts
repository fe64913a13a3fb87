/**
 * The live rooms of this server, by meeting ID. A room exists while someone is in it or its lobby;
 * the registry routes the SFU's per-peer events and moderator alerts to the right room.
 */
import type { RequestResult } from '@parley/protocol';
import type { ConnectionRole, ConnectionState, SfuControl } from '@parley/sfu';
import type { Entrant } from './participant.js';
import { Room, RoomClosedError, type Reply, type RoomDeps, type RoomInit } from './room.js';

export class RoomRegistry {
  readonly #deps: RoomDeps;
  readonly #rooms = new Map<string, Room>();
  readonly #peerRooms = new Map<string, Room>();
  readonly #onConnectionState = (peerId: string, role: ConnectionRole, state: ConnectionState): void => {
    this.#peerRooms.get(peerId)?.connectionStateChanged(peerId, role, state);
  };
  #closed = false;

  constructor(deps: RoomDeps) {
    this.#deps = deps;
    deps.sfu.on('connectionState', this.#onConnectionState);
  }

  get sfu(): SfuControl {
    return this.#deps.sfu;
  }

  get roomCount(): number {
    return this.#rooms.size;
  }

  /** The live room of a meeting, if anyone is in it. */
  get(meetingId: string): Room | undefined {
    return this.#rooms.get(meetingId);
  }

  /** Enters the meeting's room, opening it if nobody is in it. */
  async enter(init: RoomInit, entrant: Entrant, reply: Reply<RequestResult<'join'>>): Promise<Room> {
    for (;;) {
      if (this.#closed) throw new RoomClosedError('server closing');
      const room = this.#room(init);
      try {
        await room.enter(entrant, reply);
        return room;
      } catch (err) {
        // The room emptied and closed while this join waited in its queue: open a fresh one.
        if (!(err instanceof RoomClosedError)) throw err;
      }
    }
  }

  async close(message?: string): Promise<void> {
    this.#closed = true;
    this.#deps.sfu.off('connectionState', this.#onConnectionState);
    await Promise.all([...this.#rooms.values()].map((room) => room.close(message)));
    this.#rooms.clear();
  }

  #room(init: RoomInit): Room {
    const existing = this.#rooms.get(init.meeting.id);
    if (existing && !existing.closed) return existing;
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
