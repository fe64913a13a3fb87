/**
 * One incoming track: receives its RTP once from the publisher connection and fans it out to
 * every subscription, unchanged but for SSRC and payload type. Owns the track's keyframe
 * requests (PLI towards the publisher, throttled). Closing it ends all its subscriptions.
 */
import type { MediaStreamTrack, RTCRtpCodecParameters, RTCRtpReceiver, RtpPacket } from 'werift';
import { codecKey } from './codecs.js';
import type { Counters } from './counters.js';
import { SfuError } from './errors.js';
import { KeyframeThrottle } from './keyframe.js';
import type { Subscription } from './subscription.js';
import type { MediaKind } from './types.js';
import { sendPli } from './werift-glue.js';

export interface PublishedTrackInit {
  trackId: string;
  kind: MediaKind;
  /** The publisher's mid for this track. */
  mid: string;
  /** msid stream ID announced to subscribers: one per publishing peer, so browsers sync its audio and video. */
  streamId: string;
  codec: RTCRtpCodecParameters;
  receiver: RTCRtpReceiver;
  source: MediaStreamTrack;
  counters: Counters;
  onFlowing: (trackId: string) => void;
  keyframeIntervalMs?: number;
}

export class PublishedTrack {
  readonly id: string;
  readonly kind: MediaKind;
  readonly mid: string;
  readonly streamId: string;
  readonly codec: RTCRtpCodecParameters;
  readonly #receiver: RTCRtpReceiver;
  readonly #source: MediaStreamTrack;
  readonly #counters: Counters;
  readonly #onFlowing: (trackId: string) => void;
  readonly #subscriptions = new Set<Subscription>();
  readonly #keyframes: KeyframeThrottle;
  readonly #unsubscribeRtp: () => void;
  /** Payload type the publisher uses for `codec` in the current negotiation. */
  #publisherPayloadType: number;
  #flowingSsrc: number | undefined;
  #closed = false;
  #paused = false;

  constructor(init: PublishedTrackInit) {
    this.id = init.trackId;
    this.kind = init.kind;
    this.mid = init.mid;
    this.streamId = init.streamId;
    this.codec = init.codec;
    this.#publisherPayloadType = init.codec.payloadType;
    this.#receiver = init.receiver;
    this.#source = init.source;
    this.#counters = init.counters;
    this.#onFlowing = init.onFlowing;
    this.#keyframes = new KeyframeThrottle(() => this.#sendPli(), init.keyframeIntervalMs ?? 500);
    this.#unsubscribeRtp = init.source.onReceiveRtp.subscribe((packet) => this.#onRtp(packet)).unSubscribe;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The publisher's SSRC: from the first packet, else as signalled in the offer. */
  get ssrc(): number | undefined {
    return this.#flowingSsrc ?? this.#source.ssrc;
  }

  get codecKey(): string {
    return codecKey(this.codec);
  }

  get subscriptionCount(): number {
    return this.#subscriptions.size;
  }

  /** Called on renegotiation: the publisher may renumber the same codec. */
  setPublisherPayloadType(payloadType: number): void {
    this.#publisherPayloadType = payloadType;
  }

  addSubscription(subscription: Subscription): void {
    if (this.#closed) throw new SfuError('unknown-track', `track ${this.id} is closed`);
    this.#subscriptions.add(subscription);
  }

  removeSubscription(subscription: Subscription): void {
    this.#subscriptions.delete(subscription);
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** A paused track is received but forwarded to nobody (a server-enforced mute). */
  setPaused(paused: boolean): void {
    if (this.#paused === paused) return;
    this.#paused = paused;
    if (!paused) this.requestKeyframe();
  }

  /** Asks the publisher for a keyframe (video only), at most once per throttle interval. */
  requestKeyframe(): void {
    if (this.kind === 'video' && !this.#closed) this.#keyframes.request();
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribeRtp();
    this.#keyframes.close();
    for (const subscription of [...this.#subscriptions]) subscription.close();
    this.#subscriptions.clear();
  }

  #onRtp(packet: RtpPacket): void {
    if (this.#closed) return;
    this.#counters.packetsReceived += 1;
    // The receiver accepts every payload type of the offer; subscribers only know the chosen codec.
    if (packet.header.payloadType !== this.#publisherPayloadType) return;
    if (this.#paused) return;
    if (this.#flowingSsrc === undefined) {
      this.#flowingSsrc = packet.header.ssrc;
      this.#onFlowing(this.id);
    }
    for (const subscription of this.#subscriptions) subscription.forward(packet);
  }

  #sendPli(): void {
    const ssrc = this.ssrc;
    if (ssrc === undefined) return;
    void sendPli(this.#receiver, ssrc).then((sent) => {
      if (sent) this.#counters.keyframeRequests += 1;
    });
  }
}
