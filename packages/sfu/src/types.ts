/**
 * The media contract: the only thing room logic sees of the media plane. Every argument and result
 * is plain JSON-serialisable data and every call is async, so the engine behind it (mediasoup
 * today: a C++ worker per core, a router per room) can move or be replaced without touching room
 * logic. No mediasoup object crosses this boundary.
 *
 * Model (mediasoup's, one level up): a *room* is one meeting's router; a *peer* is one client in a
 * room, with at most one *send* and one *recv* WebRTC transport. A peer publishes *tracks*
 * (mediasoup producers, with room-minted IDs) on its send transport and receives *subscriptions*
 * (consumers) on its recv transport. The SFU forwards RTP without decoding it, so it works the
 * same when frames are end-to-end encrypted.
 *
 * Media parameters (RTP capabilities and parameters, ICE and DTLS parameters) are passed through as
 * opaque JSON: the client's mediasoup-client produces them and the SFU validates them; a value it
 * cannot use rejects with `invalid-argument`.
 *
 * Every call rejects with an `SfuError` (exported from the package index) whose `code` says why:
 * `unknown-room`, `unknown-peer`, `unknown-transport`, `unknown-track`, `peer-exists`,
 * `track-exists`, `invalid-argument` (bad or unusable parameters, including what mediasoup itself
 * refuses), `invalid-state` (e.g. produce without a send transport, a fifth track, a second track
 * of the same source), `sfu-closed`. A rejected call changes no state.
 *
 * `createSfu()` (package index) is async: it spawns the workers before it resolves.
 */

export type MediaKind = 'audio' | 'video';

/** Opaque media parameters (RtpCapabilities, RtpParameters, IceParameters, DtlsParameters, ...). */
export type MediaJson = Record<string, unknown>;

export type TransportDirection = 'send' | 'recv';

/** What the source of a track is: the SFU treats camera and screen video differently (simulcast, priority). */
export type TrackSource = 'microphone' | 'camera' | 'screen' | 'screen-audio';

/** A simulcast layer a subscriber asks for: `low` fits a thumbnail, `high` a large tile. */
export type Layer = 'low' | 'medium' | 'high';

export interface SfuOptions {
  /**
   * Worker processes (one mediasoup Worker each). Default: one per CPU core. Rooms are placed on
   * the least loaded worker.
   */
  workers?: number;
  /** Address the media ports listen on. Default 127.0.0.1. */
  listenAddress?: string;
  /** Public IP address or host name announced in ICE candidates (e.g. behind 1:1 NAT). */
  announcedAddress?: string;
  /**
   * The UDP and TCP port of the first worker's WebRtcServer; worker i listens on `port + i`.
   * Unset: each worker picks a free port from `portRange` (or an ephemeral one).
   */
  port?: number;
  /** Inclusive port range used when `port` is unset. */
  portRange?: { min: number; max: number };
  /** Starting estimate (bits/s) for sending to a subscriber. Default 1_000_000. */
  initialOutgoingBitrate?: number;
  /** Most bits/s accepted from one publisher transport. Default 5_000_000. */
  maxIncomingBitrate?: number;
  /**
   * Once a room has more microphones than this, only the loudest this many are forwarded (others
   * are paused per subscriber until they speak up). Default 6; 0 forwards every microphone.
   */
  loudestAudio?: number;
  /** How long (ms) a transport may take to connect before it is reported `failed`. Default 20_000. */
  connectTimeoutMs?: number;
  /** Overrides the worker binary (else `MEDIASOUP_WORKER_BIN`, else mediasoup's own). */
  workerBin?: string;
  /**
   * A room's router takes new peers until it carries more than this many consumers; then new
   * peers of that room get a router on another worker and tracks are piped between the two
   * (pipeToRouter), so everyone still receives everyone. Default 500.
   */
  maxConsumersPerRouter?: number;
  /**
   * Problems that belong to no call: a worker died (before `workerDied`), a replacement worker
   * failed to start, a throwing event listener, a failed background pause/resume. Default: ignored.
   */
  onError?: (error: unknown) => void;
}

/** What a client needs to create its side of a transport (mediasoup-client's TransportOptions). */
export interface TransportOptions {
  id: string;
  iceParameters: MediaJson;
  iceCandidates: MediaJson[];
  dtlsParameters: MediaJson;
}

export interface ProduceSpec {
  /** Room-minted, unique within the SFU. */
  trackId: string;
  kind: MediaKind;
  source: TrackSource;
  /** From the client's `transport.produce()` (mediasoup-client `rtpParameters`). */
  rtpParameters: MediaJson;
  /** Start paused (a server-enforced mute from the first packet). */
  paused: boolean;
}

/** What a client needs to create its side of a subscription (mediasoup-client's ConsumerOptions). */
export interface SubscriptionOptions {
  /** The consumer's ID: the client's `consumerOptions.id`. */
  id: string;
  trackId: string;
  kind: MediaKind;
  rtpParameters: MediaJson;
}

export type ConnectionState = 'new' | 'connecting' | 'connected' | 'disconnected' | 'failed' | 'closed';

export interface SfuStats {
  workers: number;
  rooms: number;
  peers: number;
  tracks: number;
  subscriptions: number;
  /** Resident memory of every worker process, bytes. */
  workerRss: number;
  /** CPU time (user + system, ms) of every worker process since start. */
  workerCpuMs: number;
  /** The same per live worker (for per-worker monitoring). */
  workerDetails?: SfuWorkerStats[];
  /** Only with `stats({ traffic: true })`: RTP counted from every track and subscription. */
  traffic?: SfuTrafficStats;
}

/** One worker process. A replacement for a dead worker keeps its `index` and has a new `pid`. */
export interface SfuWorkerStats {
  index: number;
  pid: number;
  /** CPU time (user + system, ms) of this worker process since it started. */
  cpuMs: number;
  /** Resident memory, bytes: current on Linux, the peak elsewhere. */
  rss: number;
}

/**
 * RTP totals since the SFU started (monotonic), read from mediasoup's stream stats of every track
 * (producer) and subscription (consumer) each time `stats({ traffic: true })` is called: each call
 * adds what every live stream counted since the previous call. What a stream counted after the last
 * call before it closed is not included, so totals lag slightly when streams close between calls.
 * Each call costs one worker request per track and per subscription.
 */
export interface SfuTrafficStats {
  /** Received from publishers (every simulcast layer). */
  receivedPackets: number;
  receivedBytes: number;
  /** Lost between publishers and the SFU, as the SFU counts them from sequence numbers. */
  receivedPacketsLost: number;
  /** Sent to subscribers. */
  forwardedPackets: number;
  forwardedBytes: number;
  /** Lost between the SFU and subscribers, as their RTCP receiver reports say. */
  forwardedPacketsLost: number;
  /** Resent to subscribers who asked for them again (NACK). */
  retransmittedPackets: number;
  /** NACKs received from subscribers. */
  nacks: number;
  /** How many tracks and subscriptions this call read. */
  tracksRead: number;
  subscriptionsRead: number;
}

/** Typed events; the argument tuple of each. */
export interface SfuEvents {
  /**
   * A transport's state changed (ICE and DTLS combined, as RTCPeerConnection.connectionState).
   * `failed` also when it does not connect within `connectTimeoutMs`. closePeer() emits nothing.
   */
  connectionState: [peerId: string, direction: TransportDirection, state: ConnectionState];
  /** The room's dominant speaker changed (from the active-speaker observer). */
  activeSpeaker: [roomId: string, peerId: string];
  /**
   * A worker died; its rooms are gone (their peers must set up media again: openRoom, createPeer,
   * ...). A replacement worker is started. Emitted with an empty list if the worker had no room.
   */
  workerDied: [roomIds: string[]];
  /**
   * A peer's network scores changed (see PeerNetworkScore). mediasoup re-scores a stream at most
   * about once a second; a busy room emits often, so listeners throttle.
   */
  networkScore: [peerId: string, score: PeerNetworkScore];
}

/**
 * A peer's connection as the SFU measures it, 0 (unusable) to 10 (no loss), from RTP sequence
 * numbers and RTCP receiver reports; null when there is nothing to measure. `uplink`: the worst of
 * its live tracks (each at its best simulcast layer). `downlink`: the worst of its live
 * subscriptions, less what the publisher's own stream already lacked.
 */
export interface PeerNetworkScore {
  uplink: number | null;
  downlink: number | null;
}

export interface SfuControl {
  /** Creates the room's router if needed and returns its RTP capabilities. Idempotent. */
  openRoom(roomId: string): Promise<{ rtpCapabilities: MediaJson }>;
  /** Closes a room and every peer in it. Idempotent. */
  closeRoom(roomId: string): Promise<void>;
  /**
   * Creates a peer in an open room with the client's device capabilities (what it can receive).
   * Rejects if the ID is taken or the capabilities are unusable.
   */
  createPeer(roomId: string, peerId: string, rtpCapabilities: MediaJson): Promise<void>;
  /**
   * Creates the peer's transport for one direction. If it already had one, that one is closed
   * first, with its tracks (send) or subscriptions (recv): a fresh start after a reload or a
   * failed connection.
   */
  createTransport(peerId: string, direction: TransportDirection): Promise<TransportOptions>;
  /** Gives a transport the client's DTLS parameters (mediasoup-client's `connect` event). */
  connectTransport(peerId: string, transportId: string, dtlsParameters: MediaJson): Promise<void>;
  /** New ICE credentials for a transport whose connection broke; returns its iceParameters. */
  restartIce(peerId: string, transportId: string): Promise<MediaJson>;
  /** Publishes a track on the peer's send transport (simulcast encodings are kept as sent). */
  produce(peerId: string, spec: ProduceSpec): Promise<void>;
  /** Ends a track and every subscription to it. Idempotent. */
  closeTrack(trackId: string): Promise<void>;
  /**
   * Stops (or resumes) forwarding a track to all its subscribers, whatever its publisher sends: a
   * server-enforced mute. Resuming video asks the publisher for a keyframe.
   */
  setTrackPaused(trackId: string, paused: boolean): Promise<void>;
  /**
   * Subscribes a peer to a track on its recv transport. The subscription starts paused: the
   * client creates its consumer from the result, then calls `resumeSubscription`. Subscribing
   * twice returns the existing one.
   */
  subscribe(peerId: string, trackId: string): Promise<SubscriptionOptions>;
  /** The client's consumer is ready: start forwarding (and ask for a keyframe). */
  resumeSubscription(peerId: string, trackId: string): Promise<void>;
  /**
   * What the subscriber's view needs of a track: `hidden` stops forwarding it to this peer (a tile
   * off screen or on another page); `layer` caps the simulcast layer (a thumbnail needs `low`).
   */
  setSubscriptionPreference(peerId: string, trackId: string, preference: { hidden?: boolean; layer?: Layer }): Promise<void>;
  /** Ends one subscription. Idempotent. */
  unsubscribe(peerId: string, trackId: string): Promise<void>;
  /** Closes a peer, its transports, tracks and subscriptions. Idempotent. Emits no connectionState. */
  closePeer(peerId: string): Promise<void>;
  /** Counts and resource use; `traffic: true` also reads every stream's RTP stats (see SfuTrafficStats). */
  stats(options?: { traffic?: boolean }): Promise<SfuStats>;
  on<E extends keyof SfuEvents>(event: E, listener: (...args: SfuEvents[E]) => void): void;
  off<E extends keyof SfuEvents>(event: E, listener: (...args: SfuEvents[E]) => void): void;
  /** Closes every room and worker. Idempotent; later calls reject. */
  close(): Promise<void>;
}
