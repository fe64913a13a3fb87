/**
 * The live rooms of this server, by meeting ID. A room exists while someone is in it; the registry
 * routes the SFU's per-peer events to the room that owns the peer.
 */
import type { MeetingInfo, RequestResult } from '@parley/protocol';
import type { ConnectionRole, ConnectionState, SfuControl } from '@parley/sfu';
import type { Participant, ParticipantSink } from './participant.js';
import { Room, RoomClosedError, type Reply, type RoomDeps } from './room.js';

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

  /** Joins the meeting's room, opening it if nobody is in it. */
  async join(
    meeting: MeetingInfo,
    init: { displayName: string; clientAddress: string; sink: ParticipantSink },
    reply: Reply<RequestResult<'join'>>,
  ): Promise<{ room: Room; participant: Participant }> {
    for (;;) {
      if (this.#closed) throw new RoomClosedError('server closing');
      const room = this.#room(meeting);
      try {
        return { room, participant: await room.join(init, reply) };
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

  #room(meeting: MeetingInfo): Room {
    const existing = this.#rooms.get(meeting.id);
    if (existing && !existing.closed) return existing;
    const room = new Room(meeting, this.#deps);
    room.on('participantAdded', (id) => this.#peerRooms.set(id, room));
    room.on('participantRemoved', (id) => this.#peerRooms.delete(id));
    room.on('empty', () => {
      if (this.#rooms.get(meeting.id) === room) this.#rooms.delete(meeting.id);
      room.close().catch((err: unknown) => this.#deps.log.error({ err }, 'room close failed'));
    });
    this.#rooms.set(meeting.id, room);
    return room;
  }
}
