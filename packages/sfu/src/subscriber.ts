/**
 * A peer's subscriber connection: the SFU offers one send-only m-line per subscribed track and
 * the client answers. Owns the peer's subscriptions, their payload types, and the routing of the
 * client's keyframe requests (PLI/FIR) to the publishers.
 */
import { MediaStream, type RtcpPacket } from 'werift';
import { PayloadTypeTable, subscriberCodec } from './codecs.js';
import { Connection } from './connection.js';
import type { Counters } from './counters.js';
import { SfuError, sdpFailure } from './errors.js';
import type { PublishedTrack } from './published-track.js';
import { parseClientSdp } from './sdp-check.js';
import { fixMediaPorts } from './sdp-rewrite.js';
import { Subscription } from './subscription.js';
import type { ConnectionState, SfuOptions, SubscriberOffer } from './types.js';
import { keyframeRequestSsrcs, retransmittedPackets } from './werift-glue.js';

export interface SubscriberInit {
  peerId: string;
  options: SfuOptions;
  counters: Counters;
  connectTimeoutMs: number;
  onState: (state: ConnectionState) => void;
}

export class Subscriber {
  readonly #init: SubscriberInit;
  readonly #connection: Connection;
  readonly #subscriptions = new Map<string, Subscription>();
  readonly #payloadTypes = new PayloadTypeTable();
  #unsubscribeRtcp: (() => void) | undefined;
  #closed = false;

  constructor(init: SubscriberInit) {
    this.#init = init;
    this.#connection = new Connection({
      role: 'subscriber',
      options: init.options,
      connectTimeoutMs: init.connectTimeoutMs,
      onState: (state) => {
        // The keyframe requested at subscribe time may have arrived before the client could
        // receive it: ask again now that media can flow.
        if (state === 'connected') this.#requestKeyframes();
        init.onState(state);
      },
    });
  }

  get subscriptionCount(): number {
    return this.#subscriptions.size;
  }

  subscribe(track: PublishedTrack): void {
    if (!this.#subscriptions.has(track.id)) {
      const subscription = new Subscription(track, this.#init.counters, (s) => this.#forget(s));
      this.#subscriptions.set(track.id, subscription);
    }
    track.requestKeyframe();
  }

  unsubscribe(trackId: string): void {
    const subscription = this.#subscriptions.get(trackId);
    if (!subscription) throw new SfuError('unknown-track', `peer ${this.#init.peerId} is not subscribed to ${trackId}`);
    subscription.close();
  }

  createOffer(): Promise<SubscriberOffer> {
    return this.#connection.run(async () => {
      const pc = this.#connection.pc;
      for (const subscription of this.#subscriptions.values()) {
        if (subscription.transceiver) continue;
        const { track } = subscription;
        const transceiver = pc.addTransceiver(track.kind, {
          direction: 'sendonly',
          streams: [new MediaStream({ id: track.streamId })],
        });
        // Never let werift recycle this m-line for another track; it only ever goes inactive.
        transceiver.usedForSender = true;
        transceiver.codecs = [subscriberCodec(track.codec, this.#payloadTypes.payloadTypeFor(track.codec), track.kind)];
        subscription.attach(transceiver);
      }
      if (pc.getTransceivers().length === 0) throw new SfuError('invalid-state', 'nothing to offer: the peer has never subscribed');
      this.#listenForKeyframeRequests();
      await pc.setLocalDescription(await pc.createOffer());
      const local = pc.localDescription?.sdp;
      if (!local) throw new SfuError('invalid-state', 'no local description after offering');
      const sdp = fixMediaPorts(local);
      const tracks = [...this.#subscriptions.values()].flatMap((s) => (s.mid ? [{ mid: s.mid, trackId: s.track.id }] : []));
      return { sdp, tracks };
    });
  }

  applyAnswer(answerSdp: string): Promise<void> {
    return this.#connection.run(async () => {
      const pc = this.#connection.pc;
      if (pc.signalingState !== 'have-local-offer') throw new SfuError('invalid-state', 'no subscriber offer is outstanding');
      parseClientSdp(answerSdp, 'answer');
      try {
        await pc.setRemoteDescription({ type: 'answer', sdp: answerSdp });
      } catch (error) {
        throw sdpFailure('subscriber answer rejected', error);
      }
      this.#connection.armWatchdog();
      // New m-lines on a connection that is already up can receive from now on.
      if (this.#connection.state === 'connected') this.#requestKeyframes();
    });
  }

  /** NACKed packets this connection's senders retransmitted so far. */
  retransmissions(): number {
    return this.#connection.pc.getTransceivers().reduce((sum, t) => sum + retransmittedPackets(t.sender), 0);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#init.counters.retransmissionsOfClosed += this.retransmissions();
    for (const subscription of [...this.#subscriptions.values()]) subscription.close();
    this.#unsubscribeRtcp?.();
    await this.#connection.close();
  }

  #forget(subscription: Subscription): void {
    if (this.#subscriptions.get(subscription.track.id) === subscription) this.#subscriptions.delete(subscription.track.id);
  }

  #requestKeyframes(): void {
    for (const subscription of this.#subscriptions.values()) {
      if (subscription.transceiver) subscription.track.requestKeyframe();
    }
  }

  /** PLI reaches werift's sender, FIR does not (werift routes it by the wrong SSRC): read both here. */
  #listenForKeyframeRequests(): void {
    if (this.#unsubscribeRtcp) return;
    const transport = this.#connection.pc.dtlsTransports[0];
    if (!transport) return;
    this.#unsubscribeRtcp = transport.onRtcp.subscribe((packet: RtcpPacket) => {
      for (const ssrc of keyframeRequestSsrcs(packet)) {
        for (const subscription of this.#subscriptions.values()) {
          if (subscription.ssrc === ssrc) subscription.track.requestKeyframe();
        }
      }
    }).unSubscribe;
  }
}
