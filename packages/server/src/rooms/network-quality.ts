/**
 * Network quality in a room: the SFU's per-peer scores (see PeerNetworkScore) turned into a level
 * per participant (thresholds in @parley/protocol's network-quality.ts) and told to everyone, at
 * most once per `minIntervalMs` per person and only when their level changes: a flapping
 * connection costs one message per person per interval, whatever mediasoup reports. A newcomer
 * gets everyone's current level once (`briefing`).
 */
import { participantQuality, type NetworkQualityEvent, type NetworkQualityLevel } from '@parley/protocol';
import type { PeerNetworkScore } from '@parley/sfu';

export interface QualityRelayOptions {
  broadcast: (event: NetworkQualityEvent) => void;
  /** Default 2000. */
  minIntervalMs?: number;
  now?: () => number;
}

interface Person {
  score: PeerNetworkScore;
  sentLevel: NetworkQualityLevel | null;
  sentAt: number;
  timer: NodeJS.Timeout | undefined;
}

export class NetworkQualityRelay {
  readonly #people = new Map<string, Person>();
  readonly #broadcast: (event: NetworkQualityEvent) => void;
  readonly #interval: number;
  readonly #now: () => number;
  #closed = false;

  constructor(options: QualityRelayOptions) {
    this.#broadcast = options.broadcast;
    this.#interval = options.minIntervalMs ?? 2000;
    this.#now = options.now ?? Date.now;
  }

  /** The SFU re-scored a participant. */
  update(participantId: string, score: PeerNetworkScore): void {
    if (this.#closed) return;
    let person = this.#people.get(participantId);
    if (!person) {
      person = { score, sentLevel: null, sentAt: -Infinity, timer: undefined };
      this.#people.set(participantId, person);
    }
    person.score = score;
    if (person.timer) return; // a send is due; it takes the latest score
    const wait = person.sentAt + this.#interval - this.#now();
    if (wait <= 0) {
      this.#send(participantId, person);
      return;
    }
    if (participantQuality(score.uplink, score.downlink) === person.sentLevel) return;
    person.timer = setTimeout(() => {
      person.timer = undefined;
      if (this.#people.get(participantId) === person && !this.#closed) this.#send(participantId, person);
    }, wait);
    person.timer.unref();
  }

  /** Everyone's current level, for someone who just joined. */
  briefing(): NetworkQualityEvent[] {
    return [...this.#people].flatMap(([id, person]) => this.#eventOf(id, person) ?? []);
  }

  /** The participant left. */
  forget(participantId: string): void {
    clearTimeout(this.#people.get(participantId)?.timer);
    this.#people.delete(participantId);
  }

  close(): void {
    this.#closed = true;
    for (const id of [...this.#people.keys()]) this.forget(id);
  }

  #send(participantId: string, person: Person): void {
    const event = this.#eventOf(participantId, person);
    if (!event || event.level === person.sentLevel) return;
    person.sentLevel = event.level;
    person.sentAt = this.#now();
    this.#broadcast(event);
  }

  #eventOf(participantId: string, person: Person): NetworkQualityEvent | undefined {
    const { uplink, downlink } = person.score;
    const level = participantQuality(uplink, downlink);
    return level === null ? undefined : { type: 'networkQuality', participantId, level, uplink, downlink };
  }
}
