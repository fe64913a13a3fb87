/**
 * A seeded signaling fuzzer: many sockets send malformed and adversarial frames at a real server
 * while a legitimate meeting (A) runs that no fuzzing socket can join. Fuzzing sockets join other
 * meetings (B, as guests with the right passcode, and one signed-in host per meeting) so that
 * in-room handlers run, and aim A's meeting, participant and track IDs at them. It reports what was
 * sent, every `internal` reply (with the frame that caused it), anything the legitimate
 * participants received after setup, and the server's health and memory.
 *
 * Used by `npm run fuzz` (scripts/fuzz.ts, a million frames against a server in a child process)
 * and by signaling/fuzz.int.test.ts (a short seeded run against an in-process server).
 */
import { ClientMessage, PROTOCOL_VERSION, REACTIONS, type CreateMeetingResponse, type RoomState, type ServerMessage } from '@parley/protocol';
import WebSocket from 'ws';
import type { Credentials, TestServer } from './server.js';
import { TestClient } from './ws-client.js';
import { TEST_CLIENT_BUILD } from './client-build.js';

// ---------------------------------------------------------------------------------------------
// Seeded randomness
// ---------------------------------------------------------------------------------------------

/** mulberry32: small, fast, good enough for test input, and reproducible from a 32-bit seed. */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  next(): number {
    this.#s = (this.#s + 0x6d2b79f5) >>> 0;
    let t = this.#s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    const item = items[this.int(items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }
  /** A child generator with its own stream (one per socket, so sockets do not share a sequence). */
  fork(): Rng {
    return new Rng(this.int(0x1_0000_0000));
  }
}

// ---------------------------------------------------------------------------------------------
// What the generator knows: IDs worth aiming at
// ---------------------------------------------------------------------------------------------

/** A bounded pool of recently seen IDs. */
class Pool {
  readonly #items: string[] = [];
  readonly limit: number;
  constructor(limit = 64) {
    this.limit = limit;
  }
  add(id: string | undefined): void {
    if (!id || this.#items.includes(id)) return;
    this.#items.push(id);
    if (this.#items.length > this.limit) this.#items.shift();
  }
  pick(rng: Rng): string | undefined {
    return this.#items.length > 0 ? rng.pick(this.#items) : undefined;
  }
  get size(): number {
    return this.#items.length;
  }
}

export interface FuzzKnowledge {
  /** The legitimate meeting: its ID and its participants' and tracks' IDs (never its passcode). */
  aMeetingId: string;
  aParticipants: Pool;
  aTracks: Pool;
  /** The fuzzing meetings with their passcodes (a join to one of them always carries the right one). */
  bMeetings: Map<string, string>;
  bParticipants: Pool;
  bTracks: Pool;
  transports: Pool;
  lobby: Pool;
  chat: Pool;
  removed: Pool;
  /** The router's RTP capabilities, as a plausible `rtpCapabilities` for setupMedia. */
  rtpCapabilities: Record<string, unknown> | undefined;
}

function newKnowledge(aMeetingId: string): FuzzKnowledge {
  return {
    aMeetingId,
    aParticipants: new Pool(),
    aTracks: new Pool(),
    bMeetings: new Map(),
    bParticipants: new Pool(128),
    bTracks: new Pool(128),
    transports: new Pool(128),
    lobby: new Pool(),
    chat: new Pool(),
    removed: new Pool(),
    rtpCapabilities: undefined,
  };
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

const READABLE = '0123456789abcdefghjkmnpqrstvwxyz';
const OPAQUE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

/** Strings that have tripped up text handling somewhere: surrogates, bidi, invisibles, NUL, separators. */
export const UNICODE_EDGES: readonly string[] = [
  '\ud800',
  '\udfff',
  'a\ud83d',
  '\udc00b',
  '\u202eevil\u202c',
  '\u2066x\u2069',
  '\u200b',
  '\u200d\u200d',
  '\u0000',
  'x\u0000y',
  '\ufeffname',
  'line\u2028break\u2029',
  '\u3164',
  '\u2800',
  'e\u0301\u0301\u0301',
  'ﬁ𝔸Ａ',
  '\uffff\ufffe',
  'Z' + '\u0336'.repeat(300),
  'مرحبا بالعالم',
  '👨‍👩‍👧‍👦',
  '\u00a0\u1680\u3000',
  '\u001b[31mred',
  '<script>alert(1)</script>',
  '%s%n%x',
  '../../etc/passwd',
  'https://evil.example/x',
];

const WRONG_TYPES: readonly unknown[] = [null, true, false, 0, -1, 1.5, 1e308, 2 ** 60, '', 'x', '0', [], [1, 2], {}, { a: 1 }, [[[]]], '__proto__'];

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

function randomString(rng: Rng, alphabet: string, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[rng.int(alphabet.length)];
  return s;
}

function randomMeetingId(rng: Rng): string {
  return [0, 1, 2, 3].map(() => randomString(rng, READABLE, 4)).join('-');
}

function randomOpaque(rng: Rng): string {
  return randomString(rng, OPAQUE, rng.range(6, 32));
}

/** Random UTF-16 code units, surrogates and controls included. */
function randomUnicode(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) {
    const r = rng.next();
    s += String.fromCharCode(r < 0.5 ? rng.range(0x20, 0x7e) : r < 0.6 ? rng.range(0, 0x1f) : r < 0.7 ? rng.range(0xd800, 0xdfff) : rng.range(0x80, 0xffff));
  }
  return s;
}

function edgyText(rng: Rng): string {
  const r = rng.next();
  if (r < 0.4) return rng.pick(UNICODE_EDGES);
  if (r < 0.6) return rng.pick(UNICODE_EDGES) + randomUnicode(rng, rng.range(1, 40)) + rng.pick(UNICODE_EDGES);
  if (r < 0.8) return randomUnicode(rng, rng.range(1, 80));
  return `fuzz ${rng.int(1e6)}`;
}

/** A random JSON value of bounded size. */
function randomJson(rng: Rng, depth = 0): unknown {
  const r = rng.next();
  if (depth > 3 || r < 0.35) return rng.pick(WRONG_TYPES);
  if (r < 0.55) return edgyText(rng);
  if (r < 0.75) return Array.from({ length: rng.range(0, 4) }, () => randomJson(rng, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = rng.range(0, 5); i > 0; i--) o[rng.chance(0.2) ? rng.pick(UNICODE_EDGES) : rng.pick(['kind', 'codecs', 'encodings', 'rid', 'ssrc', 'mimeType', 'fingerprints', 'role', 'headerExtensions', 'rtcp', 'mid'])] = randomJson(rng, depth + 1);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Schema-derived message shapes
// ---------------------------------------------------------------------------------------------

interface FieldDef {
  def: { type: string; innerType?: FieldDef; entries?: Record<string, string> };
}

interface MessageShape {
  type: string;
  fields: { name: string; kind: string; optional: boolean; options: string[] | undefined }[];
}

/** Every client message type with its fields, read from the protocol's own schema. */
export const MESSAGE_SHAPES: readonly MessageShape[] = ClientMessage.options.map((option) => {
  const shape = option.shape as unknown as Record<string, FieldDef>;
  const type = option.shape.type.value;
  const fields = Object.entries(shape)
    .filter(([name]) => name !== 'type')
    .map(([name, schema]) => {
      const optional = schema.def.type === 'optional';
      const inner = optional && schema.def.innerType ? schema.def.innerType : schema;
      return { name, kind: inner.def.type, optional, options: inner.def.entries ? Object.values(inner.def.entries) : undefined };
    });
  return { type, fields };
});

/** Relative weights of message types: some reshape the meeting and are kept rarer. */
const TYPE_WEIGHTS: Record<string, number> = {
  setupMedia: 0.15,
  endMeeting: 0.05,
  suspend: 0.05,
  lock: 0.1,
  updateSettings: 0.3,
  leave: 0.2,
  hello: 0.5,
  join: 0.7,
  resume: 0.5,
};

const WEIGHTED_SHAPES: { shape: MessageShape; upTo: number }[] = (() => {
  let total = 0;
  const list = MESSAGE_SHAPES.map((shape) => {
    total += TYPE_WEIGHTS[shape.type] ?? 1;
    return { shape, upTo: total };
  });
  return list.map((e) => ({ shape: e.shape, upTo: e.upTo / total }));
})();

function pickShape(rng: Rng): MessageShape {
  const r = rng.next();
  return (WEIGHTED_SHAPES.find((e) => r < e.upTo) ?? WEIGHTED_SHAPES[WEIGHTED_SHAPES.length - 1])?.shape ?? rng.pick(MESSAGE_SHAPES);
}

/** Which socket is speaking: outside any meeting, or in one of the fuzzing meetings. */
export type Vantage = 'outside' | 'in-room';

/** A plausible value for a field: right type, often a real ID from the wrong meeting. */
function plausible(rng: Rng, k: FuzzKnowledge, name: string, kind: string, options: string[] | undefined): unknown {
  const idFrom = (...pools: Pool[]): string => {
    for (let tries = 0; tries < 3; tries++) {
      const id = rng.pick(pools).pick(rng);
      if (id) return id;
    }
    return rng.chance(0.9) ? randomOpaque(rng) : rng.pick(['', 'a', 'x'.repeat(65), '../..', 'ID WITH SPACE']);
  };
  switch (name) {
    case 'meetingId': {
      const r = rng.next();
      if (r < 0.35) return k.aMeetingId;
      if (r < 0.6 && k.bMeetings.size > 0) return rng.pick([...k.bMeetings.keys()]);
      if (r < 0.9) return randomMeetingId(rng);
      return rng.pick([k.aMeetingId.toUpperCase(), k.aMeetingId.replace(/-/g, ''), ` ${k.aMeetingId}`, `${k.aMeetingId}\u0000`]);
    }
    case 'passcode':
      return rng.chance(0.5) ? randomString(rng, READABLE, 8) : edgyText(rng);
    case 'displayName':
      return rng.chance(0.3) ? `Fuzz ${rng.int(1000)}` : edgyText(rng);
    case 'participantId':
    case 'to':
      return idFrom(k.aParticipants, k.bParticipants);
    case 'trackId':
      return idFrom(k.aTracks, k.bTracks);
    case 'transportId':
      return idFrom(k.transports, k.aTracks);
    case 'lobbyId':
      return idFrom(k.lobby, k.aParticipants);
    case 'messageId':
      return idFrom(k.chat, k.aParticipants);
    case 'removedId':
      return idFrom(k.removed, k.aParticipants);
    case 'token':
      return randomString(rng, OPAQUE, rng.range(16, 128));
    case 'protocolVersion':
      return rng.chance(0.7) ? PROTOCOL_VERSION : rng.pick([0, 2, -1, 1.5, 1e9]);
    case 'clientBuild':
      return rng.chance(0.5) ? '0.1.0' : edgyText(rng);
    case 'emoji':
      return rng.chance(0.7) ? rng.pick(REACTIONS) : edgyText(rng);
    case 'text':
    case 'note':
    case 'message':
      return edgyText(rng);
    case 'rtpCapabilities':
      return rng.chance(0.5) && k.rtpCapabilities ? k.rtpCapabilities : (randomJson(rng) ?? {});
    case 'settings':
      return randomSettings(rng);
  }
  if (options) return rng.chance(0.85) ? rng.pick(options) : edgyText(rng);
  if (kind === 'boolean') return rng.chance(0.5);
  if (kind === 'number') return rng.range(1, 1000);
  if (kind === 'record') return randomJson(rng) ?? {};
  return edgyText(rng);
}

function randomSettings(rng: Rng): Record<string, unknown> {
  const keys = ['lobby', 'joinBeforeHost', 'membersSkipLobby', 'access', 'linkPolicy', 'allowedDomains', 'features', 'muteOnEntry', 'nope'];
  const s: Record<string, unknown> = {};
  for (let i = rng.range(0, 3); i > 0; i--) {
    const key = rng.pick(keys);
    // Keep the fuzzing meetings' doors open (a lobby would park every later joiner).
    if (key === 'lobby' || key === 'joinBeforeHost') s[key] = key === 'joinBeforeHost';
    else if (key === 'features') s.features = { chat: rng.chance(0.8), reactions: rng.chance(0.8), privateChat: rng.chance(0.5), renameSelf: rng.chance(0.5), [rng.pick(['raiseHand', 'bogus'])]: randomJson(rng) };
    else s[key] = rng.chance(0.5) ? rng.pick(WRONG_TYPES) : rng.pick(['members', 'everyone', 'block', 'hold', 'allow', 'example.com']);
  }
  return s;
}

/** A structurally valid-looking message of `shape`, with plausible fields. */
function plausibleMessage(rng: Rng, k: FuzzKnowledge, shape: MessageShape, id: number): Record<string, unknown> {
  const m: Record<string, unknown> = { type: shape.type, id };
  for (const f of shape.fields) {
    if (f.name === 'id') continue;
    if (f.optional && rng.chance(0.3)) continue;
    m[f.name] = plausible(rng, k, f.name, f.kind, f.options);
  }
  return m;
}

/**
 * A join to a fuzzing meeting always carries its right passcode: wrong guesses would throttle it
 * (per meeting) and park every later joiner. Wrong guesses go to A and to unknown meetings instead.
 */
function keepBJoinsHonest(k: FuzzKnowledge, m: Record<string, unknown>): void {
  if (m.type !== 'join' || typeof m.meetingId !== 'string') return;
  const passcode = k.bMeetings.get(m.meetingId);
  if (passcode !== undefined) m.passcode = passcode;
}

function insertBeforeClose(json: string, extra: string): string {
  return json.endsWith('}') ? `${json.slice(0, -1)}${json.length > 2 ? ',' : ''}${extra}}` : json;
}

/** One frame: text (JSON or not) or binary. `id` is the request id it carries, if well formed. */
export interface Frame {
  data: string | Buffer;
  binary: boolean;
  category: string;
}

/** Deep nesting that fits in 64 KiB. */
function deepNesting(rng: Rng): string {
  const depth = rng.range(100, 30_000);
  const open = rng.chance(0.5) ? '[' : '{"a":';
  const close = open === '[' ? ']' : '}';
  return open.repeat(depth) + '1' + close.repeat(depth);
}

/** Generates one adversarial frame. */
export function generateFrame(rng: Rng, k: FuzzKnowledge, id: number): Frame {
  const r = rng.next();
  const shape = pickShape(rng);
  const base = (): Record<string, unknown> => {
    const m = plausibleMessage(rng, k, shape, id);
    keepBJoinsHonest(k, m);
    return m;
  };
  if (r < 0.03) {
    const bytes = Buffer.alloc(rng.range(0, 256));
    for (let i = 0; i < bytes.length; i++) bytes[i] = rng.int(256);
    return { data: bytes, binary: true, category: 'binary' };
  }
  if (r < 0.06) return { data: randomUnicode(rng, rng.range(0, 200)), binary: false, category: 'random-text' };
  if (r < 0.07) {
    // Invalid UTF-8 in a text frame: the WebSocket layer closes the socket (1007).
    return { data: Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0xff, 0xfe, 0x22, 0x7d]), binary: false, category: 'invalid-utf8' };
  }
  if (r < 0.14) {
    const json = JSON.stringify(base());
    return { data: json.slice(0, rng.int(json.length)), binary: false, category: 'truncated' };
  }
  if (r < 0.16) {
    if (rng.chance(0.5)) return { data: deepNesting(rng), binary: false, category: 'deep-nesting' };
    // Deep nesting inside a field that takes free-form JSON (the media plane validates it).
    const m = base();
    const field = shape.fields.find((f) => f.kind === 'record')?.name ?? 'extra';
    return { data: JSON.stringify(m).replace(/}$/, `,"${field}":${deepNesting(rng).slice(0, 60_000)}}`), binary: false, category: 'deep-field' };
  }
  if (r < 0.19) {
    // Huge strings near (and over) the 64 KiB limit.
    const m = base();
    const stringField = rng.pick([...shape.fields.map((f) => f.name), 'type', 'padding']);
    const overhead = JSON.stringify({ ...m, [stringField]: '' }).length;
    const target = 65_536 + rng.range(-64, 8) - overhead;
    m[stringField] = rng.chance(0.8) ? 'x'.repeat(Math.max(0, target)) : '\u00e9'.repeat(Math.max(0, Math.floor(target / 2)));
    return { data: JSON.stringify(m), binary: false, category: 'huge-string' };
  }
  if (r < 0.45) {
    // A wrong type for one field (or a missing required one).
    const m = base();
    const field = rng.chance(0.9) && shape.fields.length > 0 ? rng.pick(shape.fields).name : 'type';
    if (rng.chance(0.15)) delete m[field];
    else m[field] = field === 'type' ? rng.pick([...WRONG_TYPES, 'Hello', 'hello ', 'launchMissiles', edgyText(rng)]) : rng.pick(WRONG_TYPES);
    return { data: JSON.stringify(m), binary: false, category: 'wrong-type' };
  }
  if (r < 0.52) {
    // Prototype keys, at the top and in nested objects.
    const key = rng.pick(PROTO_KEYS);
    const payload = key === 'constructor' ? '{"prototype":{"fuzzPolluted":true}}' : '{"fuzzPolluted":true,"isHost":true,"role":"host"}';
    const m = base();
    const nested = shape.fields.find((f) => f.kind === 'record' || f.name === 'settings')?.name;
    let json = JSON.stringify(m);
    if (nested && rng.chance(0.5)) json = json.replace(`"${nested}":{`, `"${nested}":{"${key}":${payload},`);
    else json = insertBeforeClose(json, `"${key}":${payload}`);
    return { data: json, binary: false, category: 'proto-keys' };
  }
  if (r < 0.56) {
    // Odd envelopes: extra fields, bad ids, duplicate keys.
    const m = base();
    const variant = rng.int(5);
    if (variant === 0) m.id = rng.pick([0, -1, 1.5, Number.MAX_SAFE_INTEGER + 2, '1', null]);
    else if (variant === 1) m[edgyText(rng)] = randomJson(rng);
    else if (variant === 2) delete m.id;
    else if (variant === 3) return { data: insertBeforeClose(JSON.stringify(m), `"type":${JSON.stringify(pickShape(rng).type)}`), binary: false, category: 'duplicate-key' };
    else return { data: JSON.stringify([m]), binary: false, category: 'envelope' };
    return { data: JSON.stringify(m), binary: false, category: 'envelope' };
  }
  // Plausible messages, in any order, aimed at real IDs of this and other meetings.
  return { data: JSON.stringify(base()), binary: false, category: 'plausible' };
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

export interface ServerProbe {
  healthy: boolean;
  rss: number;
  fds: number | null;
  rooms: number;
  sfuPeers: number;
  /** `{}` has picked up a property from a `__proto__` payload. */
  prototypePolluted: boolean;
}

/** What the fuzzer needs of a server: where it is, an administrator, and ways to look at it. */
export interface FuzzTarget {
  readonly wsUrl: string;
  readonly admin: Credentials;
  createMeeting(options: { title?: string; settings?: Record<string, unknown>; passcode?: string; host?: Credentials }): Promise<CreateMeetingResponse>;
  createUser(email: string): Promise<Credentials>;
  probe(): Promise<ServerProbe>;
  /** True once the server process has gone (a child that exited). */
  readonly exited?: () => boolean;
}

export interface FuzzOptions {
  messages: number;
  seed: number;
  /** Fuzzing sockets open at once (default 200). */
  sockets?: number;
  /** Messages each socket sends per second (kept under the server's 30/s). */
  perSocketRate?: number;
  /** In-room fuzzing sockets per fuzzing meeting (default 8): each broadcast reaches this many. */
  perMeeting?: number;
  /** Run a publishing participant (mediasoup-client over wrtc) in meeting A. */
  media?: boolean;
  /** Called about every second. */
  progress?: (p: { sent: number; elapsedMs: number; open: number; bJoins: number; bJoinFailures: number }) => void;
  /** Stops the run early (the report then covers what was sent). */
  signal?: AbortSignal;
}

export interface LegitParticipant {
  name: string;
  client: TestClient;
  state: RoomState;
  close(): Promise<void>;
}

export interface FuzzReport {
  seed: number;
  sent: number;
  elapsedMs: number;
  byCategory: Record<string, number>;
  replies: Record<string, number>;
  internalErrors: number;
  internalSamples: { reply: string; frame: string }[];
  /** Events the legitimate participants received after setup that the fuzzers may have caused. */
  unexpected: { who: string; message: string }[];
  /** Events the legitimate participants received after setup that they cause themselves (resume tokens, their speaker). */
  expectedAfterSetup: Record<string, number>;
  legitStillConnected: boolean;
  socketsOpened: number;
  bJoins: number;
  bJoinFailures: Record<string, number>;
  meetingsCreated: number;
  serverGone: boolean;
  healthFailures: number;
  before: ServerProbe;
  after: ServerProbe;
}

/** Events a legitimate participant gets without anyone else doing anything. */
const SELF_CAUSED = new Set(['resumeToken', 'activeSpeaker']);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));



/** One fuzzing socket's life: connect, maybe join a B meeting, send its budget, go. */
class FuzzSocket {
  readonly #ws: WebSocket;
  readonly #sentById = new Map<number, string>();
  readonly closed: Promise<void>;
  joinReply: Promise<ServerMessage | undefined>;
  #resolveJoin: (m: ServerMessage | undefined) => void = () => undefined;
  #joinId = -1;

  readonly run: FuzzRun;

  constructor(url: string, headers: Record<string, string>, localAddress: string, run: FuzzRun) {
    this.run = run;
    this.#ws = new WebSocket(url, { headers, localAddress, handshakeTimeout: 30_000 });
    this.joinReply = new Promise((resolve) => (this.#resolveJoin = resolve));
    this.closed = new Promise((resolve) => {
      this.#ws.on('close', () => {
        this.#resolveJoin(undefined);
        resolve();
      });
      this.#ws.on('error', () => undefined);
    });
    this.#ws.on('message', (data: Buffer) => this.#onMessage(data));
  }

  opened(): Promise<boolean> {
    if (this.#ws.readyState === WebSocket.OPEN) return Promise.resolve(true);
    return new Promise((resolve) => {
      this.#ws.once('open', () => resolve(true));
      this.#ws.once('close', () => resolve(false));
    });
  }

  get open(): boolean {
    return this.#ws.readyState === WebSocket.OPEN;
  }

  send(frame: Frame, id: number | null): void {
    if (!this.open) return;
    if (id !== null) {
      this.#sentById.set(id, typeof frame.data === 'string' ? frame.data.slice(0, 400) : `<binary ${frame.data.length}>`);
      if (this.#sentById.size > 200) {
        const oldest = this.#sentById.keys().next().value;
        if (oldest !== undefined) this.#sentById.delete(oldest);
      }
    }
    this.#ws.send(frame.data, { binary: frame.binary });
  }

  sendJson(message: Record<string, unknown>): void {
    const id = typeof message.id === 'number' ? message.id : null;
    if (message.type === 'join' && id !== null) this.#joinId = id;
    this.send({ data: JSON.stringify(message), binary: false, category: 'setup' }, id);
  }

  terminate(): void {
    this.#ws.terminate();
  }

  close(): void {
    this.#ws.close();
  }

  #onMessage(data: Buffer): void {
    let m: ServerMessage;
    try {
      m = JSON.parse(data.toString('utf8')) as ServerMessage;
    } catch {
      this.run.note('unparseable-reply', data.toString('utf8').slice(0, 200), '');
      return;
    }
    if (m.type === 'error') {
      const frame = m.id !== null ? (this.#sentById.get(m.id) ?? '') : '';
      this.run.note(`error:${m.code}`, JSON.stringify(m).slice(0, 300), frame);
    } else {
      this.run.note(m.type, '', '');
    }
    if ((m.type === 'result' || m.type === 'error') && m.id === this.#joinId) this.#resolveJoin(m);
    if (m.type === 'result' || m.type === 'error' || m.type === 'welcome') {
      if (m.id !== null) this.#sentById.delete(m.id);
    }
    this.run.harvest(m);
  }
}

class FuzzRun {
  readonly report: FuzzReport;
  readonly k: FuzzKnowledge;
  constructor(seed: number, aMeetingId: string, before: ServerProbe) {
    this.k = newKnowledge(aMeetingId);
    this.report = {
      seed,
      sent: 0,
      elapsedMs: 0,
      byCategory: {},
      replies: {},
      internalErrors: 0,
      internalSamples: [],
      unexpected: [],
      expectedAfterSetup: {},
      legitStillConnected: true,
      socketsOpened: 0,
      bJoins: 0,
      bJoinFailures: {},
      meetingsCreated: 0,
      serverGone: false,
      healthFailures: 0,
      before,
      after: before,
    };
  }

  note(kind: string, reply: string, frame: string): void {
    this.report.replies[kind] = (this.report.replies[kind] ?? 0) + 1;
    if (kind === 'error:internal') {
      this.report.internalErrors += 1;
      if (this.report.internalSamples.length < 20) this.report.internalSamples.push({ reply, frame });
    }
  }

  /** Learns IDs from what the fuzzing sockets are told, to aim them at each other and at A. */
  harvest(m: ServerMessage): void {
    const k = this.k;
    switch (m.type) {
      case 'result': {
        const r = m.result as Record<string, unknown>;
        const state = r.state as RoomState | undefined;
        if (state?.participants) {
          k.bParticipants.add(state.self.id);
          for (const p of state.participants.slice(0, 8)) k.bParticipants.add(p.id);
          for (const t of state.tracks.slice(0, 8)) k.bTracks.add(t.id);
          if (state.media?.rtpCapabilities) k.rtpCapabilities = state.media.rtpCapabilities as Record<string, unknown>;
        }
        if (typeof r.trackId === 'string') k.bTracks.add(r.trackId);
        for (const dir of ['send', 'recv']) {
          const t = r[dir] as { id?: string } | null | undefined;
          if (t && typeof t.id === 'string') k.transports.add(t.id);
        }
        const message = r.message as { id?: string } | undefined;
        if (message && typeof message.id === 'string') k.chat.add(message.id);
        break;
      }
      case 'participantJoined':
        k.bParticipants.add(m.participant.id);
        break;
      case 'trackPublished':
        k.bTracks.add(m.track.id);
        break;
      case 'chatHeld':
      case 'chatMessage':
        k.chat.add(m.message.id);
        break;
      case 'lobbyChanged':
        for (const e of m.added) k.lobby.add(e.id);
        break;
      case 'removedUpdated':
        for (const e of m.entries) k.removed.add(e.id);
        break;
      default:
        break;
    }
  }
}

/** Meeting A's legitimate participants, by default: the administrator as host and two guests. */
async function defaultJoinA(target: FuzzTarget, meeting: CreateMeetingResponse, media: boolean): Promise<LegitParticipant[]> {
  const ref = { id: meeting.id, passcode: meeting.passcode };
  const enter = async (name: string, as?: Credentials): Promise<LegitParticipant> => {
    const client = await TestClient.ready(target.wsUrl, as ? { cookie: as.cookie } : undefined);
    const result = await client.request('join', { meetingId: ref.id, ...(ref.passcode ? { passcode: ref.passcode } : {}), ...(as ? {} : { displayName: name }) });
    if (result.status !== 'admitted') throw new Error(`${name} was not admitted to meeting A`);
    return { name, client, state: result.state, close: async () => void (await client.close()) };
  };
  const host = await enter('A host', target.admin);
  const guest1 = await enter('A guest 1');
  const guest2 = await enter('A guest 2');
  const people = [host, guest1, guest2];
  if (media) {
    const { TestMedia, eventually } = await import('./media-peer.js');
    const publisher = await new TestMedia(guest1.client, guest1.state).setup();
    const viewer = await new TestMedia(host.client, host.state).setup();
    const mic = await publisher.publish('microphone');
    const cam = await publisher.publish('camera');
    await viewer.waitForMedia(cam.trackId, 5, 60_000);
    await eventually(async () => (await viewer.count(mic.trackId)) > 0, 'audio reaching the host', 60_000);
    const close1 = guest1.close;
    guest1.close = async () => {
      publisher.close();
      await close1();
    };
    const close0 = host.close;
    host.close = async () => {
      viewer.close();
      await close0();
    };
  }
  return people;
}

/**
 * Runs the fuzzer: sets up meeting A with its legitimate participants, a few fuzzing meetings B,
 * then keeps `sockets` fuzzing sockets busy until `messages` frames have been sent.
 */
export async function runFuzz(target: FuzzTarget, options: FuzzOptions): Promise<FuzzReport> {
  const rng = new Rng(options.seed);
  const socketCount = options.sockets ?? 200;
  const perSocketRate = Math.min(options.perSocketRate ?? 20, 25);
  const media = options.media ?? false;

  // Meeting A: the legitimate one. Its passcode never reaches the generator.
  const meetingA = await target.createMeeting({ title: 'Legitimate meeting', settings: { lobby: false, joinBeforeHost: true } });
  const legit = await defaultJoinA(target, meetingA, media);
  const before = await target.probe();
  const run = new FuzzRun(options.seed, meetingA.id, before);
  const k = run.k;
  for (const p of legit) {
    k.aParticipants.add(p.state.self.id);
    for (const t of p.state.tracks) k.aTracks.add(t.id);
  }
  for (const m of legit[0]?.client.messages ?? []) if (m.type === 'trackPublished') k.aTracks.add(m.track.id);
  // Settle: the publisher's subscriptions and A's own chatter are over before we start watching.
  await sleep(1000);
  const baseline = legit.map((p) => p.client.messages.length);

  // Meetings B: one per `perMeeting` in-room sockets, each with its own signed-in host (a moderator to fuzz with).
  const inRoomShare = 0.7;
  const slots = Math.max(1, Math.ceil((socketCount * inRoomShare) / (options.perMeeting ?? 8)));
  interface Slot {
    host: Credentials;
    meeting: CreateMeetingResponse;
    rotating: Promise<void> | undefined;
    rotatedAt: number;
    joins: number;
  }
  const slotList: Slot[] = [];
  for (let i = 0; i < slots; i++) {
    const host = await target.createUser(`fuzz-host-${options.seed}-${i}@parley.test`);
    const meeting = await target.createMeeting({ title: `Fuzz ${i}`, settings: { lobby: false, joinBeforeHost: true }, host });
    run.report.meetingsCreated += 1;
    k.bMeetings.set(meeting.id, meeting.passcode ?? '');
    slotList.push({ host, meeting, rotating: undefined, rotatedAt: 0, joins: 0 });
  }
  /** A B meeting that turned hostile to joiners (ended, locked, lobby, bans): replace it. */
  const rotate = (slot: Slot): Promise<void> => {
    if (slot.rotating) return slot.rotating;
    if (Date.now() - slot.rotatedAt < 1000 || run.report.meetingsCreated > 2000) return Promise.resolve();
    slot.rotating = (async () => {
      const meeting = await target.createMeeting({ title: 'Fuzz', settings: { lobby: false, joinBeforeHost: true }, host: slot.host });
      run.report.meetingsCreated += 1;
      k.bMeetings.set(meeting.id, meeting.passcode ?? '');
      if (k.bMeetings.size > 64) {
        const oldest = k.bMeetings.keys().next().value;
        if (oldest !== undefined) k.bMeetings.delete(oldest);
      }
      slot.meeting = meeting;
      slot.joins = 0;
    })()
      .catch(() => undefined)
      .finally(() => {
        slot.rotating = undefined;
        slot.rotatedAt = Date.now();
      });
    return slot.rotating;
  };

  const started = Date.now();
  let stopping = false;
  let open = 0;
  const budgetLeft = (): boolean => !stopping && !options.signal?.aborted && run.report.sent < options.messages;

  const tick = 1000 / perSocketRate;
  const worker = async (index: number): Promise<void> => {
    const wrng = rng.fork();
    const inRoom = index < Math.round(socketCount * inRoomShare);
    const slot = slotList[index % slots];
    const isHost = inRoom && index < slots;
    // In-room sockets and outside sockets come from different addresses: outside sockets guess
    // passcodes, and the per-address throttle must not slow the in-room sockets' honest joins.
    const localAddress = `127.0.${inRoom ? 1 : 2}.${1 + (index % 250)}`;
    while (budgetLeft()) {
      const headers: Record<string, string> = isHost && slot ? { cookie: slot.host.cookie } : {};
      const socket = new FuzzSocket(target.wsUrl, headers, localAddress, run);
      run.report.socketsOpened += 1;
      if (!(await socket.opened())) {
        await sleep(200 + wrng.int(500));
        continue;
      }
      open += 1;
      let id = 1;
      try {
        if (inRoom && slot) {
          socket.sendJson({ type: 'hello', id: id++, protocolVersion: PROTOCOL_VERSION, clientBuild: TEST_CLIENT_BUILD });
          const meeting = slot.meeting;
          socket.sendJson({ type: 'join', id: id++, meetingId: meeting.id, passcode: meeting.passcode ?? undefined, ...(isHost ? {} : { displayName: `Fuzzer ${index}` }) });
          const reply = await socket.joinReply;
          const admitted = reply?.type === 'result' && (reply.result as { status?: string }).status === 'admitted';
          if (!admitted) {
            const why = reply === undefined ? 'closed' : reply.type === 'error' ? reply.code : 'waiting';
            run.report.bJoinFailures[why] = (run.report.bJoinFailures[why] ?? 0) + 1;
            socket.terminate();
            if (why !== 'closed' && why !== 'rate_limited' && why !== 'shutting_down' && slot.meeting.id === meeting.id) await rotate(slot);
            await sleep(100 + wrng.int(300));
            continue;
          }
          run.report.bJoins += 1;
          // A meeting's history (chat, removals) grows with every visit: start a fresh one now and then.
          if (++slot.joins > 150) void rotate(slot);
        } else if (wrng.chance(0.6)) {
          socket.sendJson({ type: 'hello', id: id++, protocolVersion: PROTOCOL_VERSION, clientBuild: TEST_CLIENT_BUILD });
        }
        // Outside sockets must finish before the handshake timeout closes them; in-room ones live longer.
        let budget = inRoom ? wrng.range(200, 1500) : wrng.range(20, 200);
        while (budget > 0 && socket.open && budgetLeft()) {
          const burst = wrng.chance(0.5) ? 2 : 1;
          for (let b = 0; b < burst && budget > 0 && budgetLeft(); b++, budget--) {
            const frame = generateFrame(wrng, k, id);
            run.report.sent += 1;
            run.report.byCategory[frame.category] = (run.report.byCategory[frame.category] ?? 0) + 1;
            socket.send(frame, id++);
          }
          await sleep(tick * burst);
        }
        if (socket.open) {
          if (wrng.chance(0.8)) socket.sendJson({ type: 'leave', id: id++ });
          else socket.terminate();
          await Promise.race([socket.closed, sleep(5000)]);
        }
        socket.terminate();
      } finally {
        open -= 1;
      }
    }
  };

  const progressTimer = setInterval(() => {
    options.progress?.({
      sent: run.report.sent,
      elapsedMs: Date.now() - started,
      open,
      bJoins: run.report.bJoins,
      bJoinFailures: Object.values(run.report.bJoinFailures).reduce((a, b) => a + b, 0),
    });
    if (target.exited?.()) {
      run.report.serverGone = true;
      stopping = true;
    }
  }, 1000);
  const healthTimer = setInterval(() => {
    target
      .probe()
      .then((p) => {
        if (!p.healthy) run.report.healthFailures += 1;
      })
      .catch(() => {
        run.report.healthFailures += 1;
        if (target.exited?.()) stopping = true;
      });
  }, 5000);
  try {
    // Sockets start a little apart, not all in the same instant.
    await Promise.all(
      Array.from({ length: socketCount }, async (_, i) => {
        await sleep(i * 10);
        await worker(i);
      }),
    );
  } finally {
    clearInterval(progressTimer);
    clearInterval(healthTimer);
  }
  run.report.elapsedMs = Date.now() - started;
  // Late replies and broadcasts land, then we look at A.
  await sleep(1500);

  for (const [i, p] of legit.entries()) {
    for (const m of p.client.messages.slice(baseline[i])) {
      // The host is told when wrong passcodes pile up for A: the fuzzers guess them on purpose.
      const kind = m.type === 'alert' && m.kind === 'passcode-guessing' ? 'alert:passcode-guessing' : m.type;
      if (SELF_CAUSED.has(kind) || kind === 'alert:passcode-guessing') run.report.expectedAfterSetup[kind] = (run.report.expectedAfterSetup[kind] ?? 0) + 1;
      else if (run.report.unexpected.length < 50) run.report.unexpected.push({ who: p.name, message: JSON.stringify(m).slice(0, 300) });
    }
    if (!p.client.open) run.report.legitStillConnected = false;
  }
  try {
    run.report.after = await target.probe();
  } catch {
    run.report.serverGone = true;
  }
  if (target.exited?.()) run.report.serverGone = true;
  for (const p of legit) await p.close().catch(() => undefined);
  return run.report;
}

/** True when the run found nothing wrong. */
export function fuzzPassed(report: FuzzReport): boolean {
  return (
    !report.serverGone &&
    report.healthFailures === 0 &&
    report.internalErrors === 0 &&
    report.unexpected.length === 0 &&
    report.legitStillConnected &&
    report.after.healthy &&
    !report.after.prototypePolluted
  );
}

let meetingsCreated = 0;

/**
 * Creates a meeting as if from `address`: the fuzzer replaces its meetings often, more often than
 * the 20 a minute one address may create, so it spreads them over addresses, as many hosts would.
 */
async function createMeetingFrom(server: TestServer, options: Parameters<FuzzTarget['createMeeting']>[0], localAddress: string): Promise<CreateMeetingResponse> {
  const host = options.host ?? server.admin;
  const { host: _host, ...body } = options;
  const { request } = await import('node:http');
  const payload = JSON.stringify(body);
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      `${server.url}/api/meetings`,
      {
        method: 'POST',
        localAddress,
        headers: { cookie: host.cookie, 'x-csrf-token': host.csrfToken, 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
  if (status !== 201) throw new Error(`create meeting: HTTP ${status} ${text}`);
  return JSON.parse(text) as CreateMeetingResponse;
}

/** A target for a server running in this process (the test suite, and the fuzz script's child). */
export function inProcessTarget(server: TestServer): FuzzTarget {
  return {
    wsUrl: server.wsUrl,
    admin: server.admin,
    createMeeting: (options) => createMeetingFrom(server, options, `127.0.3.${1 + (meetingsCreated++ % 250)}`),
    createUser: (email) => server.createUser(email),
    probe: () => probeInProcess(server),
  };
}

/** Health, memory, descriptors and leftovers of a server in this process. */
export async function probeInProcess(server: TestServer): Promise<ServerProbe> {
  let healthy = false;
  try {
    const res = await fetch(`${server.url}/api/health`);
    healthy = res.ok && ((await res.json()) as { ok?: boolean }).ok === true;
  } catch {
    healthy = false;
  }
  let fds: number | null = null;
  try {
    const { readdirSync } = await import('node:fs');
    fds = readdirSync('/proc/self/fd').length;
  } catch {
    fds = null;
  }
  const marker: Record<string, unknown> = {};
  return {
    healthy,
    rss: process.memoryUsage().rss,
    fds,
    rooms: server.server.rooms.roomCount,
    sfuPeers: (await server.server.sfu.stats()).peers,
    prototypePolluted: marker.fuzzPolluted !== undefined || marker.isHost !== undefined || Object.keys(Object.prototype).length > 0,
  };
}
