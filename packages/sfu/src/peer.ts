/** One client: its publisher connection and its subscriber connection. Closing it closes both. */
import type { Counters } from './counters.js';
import type { PublishedTrack } from './published-track.js';
import { Publisher } from './publisher.js';
import { Subscriber } from './subscriber.js';
import type { ConnectionRole, ConnectionState, SfuOptions } from './types.js';

export interface PeerInit {
  id: string;
  options: SfuOptions;
  registry: Map<string, PublishedTrack>;
  counters: Counters;
  connectTimeoutMs: number;
  onState: (role: ConnectionRole, state: ConnectionState) => void;
  onFlowing: (trackId: string) => void;
}

export class Peer {
  readonly id: string;
  readonly publisher: Publisher;
  readonly subscriber: Subscriber;
  #closing: Promise<void> | undefined;

  constructor(init: PeerInit) {
    this.id = init.id;
    const common = { peerId: init.id, options: init.options, counters: init.counters, connectTimeoutMs: init.connectTimeoutMs };
    this.publisher = new Publisher({
      ...common,
      registry: init.registry,
      onState: (state) => init.onState('publisher', state),
      onFlowing: init.onFlowing,
    });
    this.subscriber = new Subscriber({ ...common, onState: (state) => init.onState('subscriber', state) });
  }

  /** Idempotent: later calls share the first call's completion. */
  close(): Promise<void> {
    this.#closing ??= Promise.all([this.publisher.close(), this.subscriber.close()]).then(() => undefined);
    return this.#closing;
  }
}
