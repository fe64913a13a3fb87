/**
 * One published track forwarded to one subscriber: owns the sending transceiver (one m-line of
 * the subscriber connection) once the next offer has created it. Closing it stops forwarding at
 * once and marks the m-line inactive for the next offer; m-lines are never removed or reused, so
 * every new offer keeps the existing m-lines in order.
 */
import type { RTCRtpTransceiver, RtpPacket } from 'werift';
import type { Counters } from './counters.js';
import type { PublishedTrack } from './published-track.js';
import { copyForSubscriber, senderReady } from './werift-glue.js';

export class Subscription {
  readonly track: PublishedTrack;
  readonly #counters: Counters;
  readonly #onClose: (subscription: Subscription) => void;
  #transceiver: RTCRtpTransceiver | undefined;
  #closed = false;

  constructor(track: PublishedTrack, counters: Counters, onClose: (subscription: Subscription) => void) {
    this.track = track;
    this.#counters = counters;
    this.#onClose = onClose;
    track.addSubscription(this);
  }

  get closed(): boolean {
    return this.#closed;
  }

  get transceiver(): RTCRtpTransceiver | undefined {
    return this.#transceiver;
  }

  /** The m-line's mid once an offer has assigned one. */
  get mid(): string | undefined {
    return this.#transceiver?.mid ?? undefined;
  }

  /** The SSRC this subscription sends with (what the subscriber's PLI/FIR names). */
  get ssrc(): number | undefined {
    return this.#transceiver?.sender.ssrc;
  }

  attach(transceiver: RTCRtpTransceiver): void {
    this.#transceiver = transceiver;
  }

  forward(packet: RtpPacket): void {
    const sender = this.#transceiver?.sender;
    // Until the answer is applied and DTLS is up, werift's sender would drop the packet anyway.
    if (this.#closed || !sender || !senderReady(sender)) return;
    this.#counters.packetsForwarded += 1;
    sender.sendRtp(copyForSubscriber(packet)).catch(() => undefined);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.track.removeSubscription(this);
    if (this.#transceiver) {
      this.#transceiver.setDirection('inactive');
      this.#transceiver.sender.stop(); // ends its RTCP timer; the m-line stays, inactive
    }
    this.#onClose(this);
  }
}
