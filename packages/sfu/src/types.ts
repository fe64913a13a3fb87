/**
 * The SFU's control interface: the only thing room logic sees of the media plane. Every argument
 * and result is plain JSON-serialisable data and every call is async, so the SFU can move into
 * worker processes (one per core) or be replaced by another forwarding engine without touching
 * room logic. No werift type crosses this boundary.
 *
 * Model: a *peer* is one client. It has two WebRTC connections with the SFU:
 *  - the publisher connection: the client offers, the SFU answers; each send-only m-line the room
 *    registers becomes a *track* with a room-minted ID;
 *  - the subscriber connection: the SFU offers (one send-only m-line per subscribed track), the
 *    client answers.
 * The SFU forwards each track's RTP to every subscriber without decoding it.
 *
 * Every call rejects with an `SfuError` (exported from the package index) whose `code` says why:
 * unknown peer or track, invalid SDP, wrong signaling state, closed SFU. A rejected call changes
 * no state. Signaling is non-trickle: SDP the SFU returns already holds its candidates, and SDP
 * from clients may hold none (the SFU is ICE-lite and learns the client's address from its checks).
 */

export type MediaKind = 'audio' | 'video';

export interface SfuOptions {
  /** Public IP address to announce in ICE candidates (e.g. behind 1:1 NAT). */
  announcedAddress?: string;
  /** Inclusive UDP port range for ICE; unset means ephemeral ports. */
  portRange?: { min: number; max: number };
  /** The operator's STUN/TURN servers. Empty by default: Parley contacts no third party. */
  iceServers?: { urls: string; username?: string; credential?: string }[];
  /** Bitrate (bits/s) the SFU advertises to publishers with REMB. Default 2_500_000. */
  maxIncomingBitrate?: number;
  /**
   * How long (ms) a negotiated connection may take to connect before it is reported `failed`.
   * Default 20_000. (The SFU is ICE-lite and never gives up on its own.)
   */
  connectTimeoutMs?: number;
}

export interface PublishedTrackSpec {
  /**
   * The m-line in the publisher offer that carries this track. It must be sendonly or sendrecv,
   * signal its SSRC (a=ssrc, as browsers do), and not use simulcast.
   */
  mid: string;
  /** Room-minted, unique within the SFU. */
  trackId: string;
  kind: MediaKind;
}

export interface SubscriberOffer {
  /**
   * Keeps every earlier m-line in order; an ended subscription's m-line stays, inactive (m-lines
   * are not reused). Each m-line's msid stream ID is opaque, one per publishing peer, so a
   * browser lip-syncs a peer's audio and video.
   */
  sdp: string;
  /** Which m-line carries which track; m-lines not listed are inactive. */
  tracks: { mid: string; trackId: string }[];
}

export type ConnectionRole = 'publisher' | 'subscriber';
export type ConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface SfuStats {
  peers: number;
  tracks: number;
  subscriptions: number;
  /** RTP packets received from publishers since start. */
  packetsReceived: number;
  /** RTP packets sent to subscribers since start. */
  packetsForwarded: number;
  /** Keyframe requests (PLI/FIR) sent to publishers since start. */
  keyframeRequests: number;
  /** NACKed packets retransmitted to subscribers since start. */
  retransmissions: number;
}

/** Typed events; the argument tuple of each. */
export interface SfuEvents {
  /**
   * A peer's connection changed state (ICE + DTLS combined, as RTCPeerConnection.connectionState).
   * `failed` also when a negotiated connection does not connect within `connectTimeoutMs`;
   * `closed` when the client closed it. closePeer() itself emits nothing.
   */
  connectionState: [peerId: string, role: ConnectionRole, state: ConnectionState];
  /** The first RTP packet of a track arrived (media actually flows). */
  trackFlowing: [trackId: string];
}

export interface SfuControl {
  /** Creates a peer with its two connections. Rejects if the ID is taken. */
  createPeer(peerId: string): Promise<void>;
  /** Applies a publisher offer in which `tracks` are (newly) sending; returns the answer. */
  publish(peerId: string, offerSdp: string, tracks: PublishedTrackSpec[]): Promise<{ sdp: string }>;
  /**
   * Applies a publisher offer from which `trackIds` have been removed (their m-lines inactive or
   * stopped); returns the answer. Ends those tracks' subscriptions at once: each subscriber's
   * m-line goes inactive with its next subscriber offer, which the room should then create.
   */
  unpublish(peerId: string, offerSdp: string, trackIds: string[]): Promise<{ sdp: string }>;
  /**
   * Forwards `trackId` to `peerId` (takes effect with the next subscriber offer); requests a
   * keyframe, and again once the subscriber can receive. Subscribing twice is a no-op.
   */
  subscribe(peerId: string, trackId: string): Promise<void>;
  /** Stops forwarding `trackId` to `peerId`; its m-line goes inactive at the next offer. */
  unsubscribe(peerId: string, trackId: string): Promise<void>;
  /**
   * Stops (or resumes) forwarding a track to all its subscribers, whatever its publisher sends: a
   * server-enforced mute. Resuming video asks the publisher for a keyframe.
   */
  setTrackPaused(trackId: string, paused: boolean): Promise<void>;
  /**
   * Creates the subscriber connection's offer for the current subscriptions (replacing an offer
   * still outstanding). Rejects with invalid-state while the peer has never subscribed: an offer
   * without m-lines could not connect.
   */
  createSubscriberOffer(peerId: string): Promise<SubscriberOffer>;
  /** Applies the client's answer to the last subscriber offer. Rejects if no offer is outstanding. */
  applySubscriberAnswer(peerId: string, answerSdp: string): Promise<void>;
  /**
   * Closes a peer, its tracks and every subscription to them (as unpublish does, other subscribers
   * need a new offer). Idempotent (unknown peers resolve). Emits no connectionState event.
   */
  closePeer(peerId: string): Promise<void>;
  stats(): Promise<SfuStats>;
  on<E extends keyof SfuEvents>(event: E, listener: (...args: SfuEvents[E]) => void): void;
  off<E extends keyof SfuEvents>(event: E, listener: (...args: SfuEvents[E]) => void): void;
  /** Closes every peer. Idempotent; later calls reject. */
  close(): Promise<void>;
}
