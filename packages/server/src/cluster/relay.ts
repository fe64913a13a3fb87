/**
 * Relaying a client's signaling to the node that runs its meeting. The client's socket reached this
 * node; its meeting's room runs on another. This node opens a WebSocket to that node's
 * PARLEY_NODE_URL, vouching for the client's address (X-Parley-Relay, relay-auth.ts) and passing the
 * client's cookies (the meeting's node checks the session and device itself), replays the client's
 * `hello` (swallowing the second `welcome`), sends the `join` or `resume` that named the meeting,
 * and from then on pipes frames both ways: the client notices nothing. When the meeting's node goes
 * away the client's socket is dropped like a network failure, so the client resumes, and the node
 * it reaches then takes the meeting over.
 */
import { ParleyError } from '@parley/protocol';
import WebSocket from 'ws';
import type { Cluster } from './cluster.js';
import { LEASE_MS } from './redis-cluster.js';

/** The client's socket, as the relay drives it. */
export interface RelaySink {
  sendText(text: string): void;
  /** The meeting's node closed cleanly (bye, left, shutdown): close the client's socket likewise. */
  close(code: number, reason: string): void;
  /** The meeting's node vanished: drop the client's socket so the client resumes. */
  drop(): void;
}

export interface RelayRequest {
  clientAddress: string;
  cookie: string | undefined;
  userAgent: string | undefined;
  /** The client's `hello` and the request that named the meeting, as JSON text. */
  hello: string;
  first: string;
}

const CONNECT_TIMEOUT_MS = 3000;
/** Close codes a server may send on (not 1005/1006/1015, which only describe what happened). */
function sendable(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

export class Relay {
  readonly #ws: WebSocket;
  #closed = false;
  /** Frames the client sent before the meeting's node had its join or resume: held, to keep their order. */
  #held: { data: Buffer; isBinary: boolean }[] | undefined = [];

  private constructor(ws: WebSocket) {
    this.#ws = ws;
  }

  /** Opens the pipe to `url`; rejects if that node does not answer. */
  static open(cluster: Cluster, url: string, request: RelayRequest, sink: RelaySink): Promise<Relay> {
    const target = `${url.replace(/^http/, 'ws').replace(/\/$/, '')}/ws`;
    const ws = new WebSocket(target, {
      handshakeTimeout: CONNECT_TIMEOUT_MS,
      maxPayload: 256 * 1024,
      headers: {
        'x-parley-relay': cluster.relayHeader(request.clientAddress),
        ...(request.cookie ? { cookie: request.cookie } : {}),
        ...(request.userAgent ? { 'user-agent': request.userAgent } : {}),
      },
    });
    const relay = new Relay(ws);
    return new Promise((resolve, reject) => {
      let welcomed = false;
      let opened = false;
      ws.once('open', () => {
        opened = true;
        ws.send(request.hello);
        resolve(relay);
      });
      ws.on('message', (data, isBinary) => {
        if (isBinary) return;
        const text = Buffer.isBuffer(data) ? data.toString() : Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(data).toString();
        if (!welcomed) {
          // The client had its welcome from this node: the second one is not for it.
          if (/^\{"type":"welcome"/.test(text)) {
            welcomed = true;
            ws.send(request.first);
            relay.#release();
            return;
          }
        }
        sink.sendText(text);
      });
      // Errors before the pipe opened reject; later ones end in 'close'.
      ws.on('error', (err) => {
        if (!opened) reject(err);
      });
      ws.once('close', (code, reason) => {
        if (!opened) return reject(new Error('the meeting node closed the relay before it opened'));
        if (relay.#closed) return;
        relay.#closed = true;
        if (sendable(code)) sink.close(code, reason.toString());
        else sink.drop();
      });
    });
  }

  forward(data: Buffer, isBinary: boolean): void {
    if (this.#held) this.#held.push({ data, isBinary });
    else if (this.#ws.readyState === WebSocket.OPEN) this.#ws.send(data, { binary: isBinary });
  }

  #release(): void {
    const held = this.#held ?? [];
    this.#held = undefined;
    for (const frame of held) this.forward(frame.data, frame.isBinary);
  }

  /** The client went away: so does the pipe (the meeting's node keeps their place for a resume). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ws.terminate();
  }
}

/**
 * Where this client's signaling goes: null when the meeting's room is (or now becomes) this node's;
 * otherwise the open relay to the node that runs it. A node that holds the meeting but does not
 * answer is dead or dying: its lease lapses within LEASE_MS, and then this node takes the meeting.
 */
export async function relayIfElsewhere(cluster: Cluster, meetingId: string, request: RelayRequest, sink: RelaySink): Promise<Relay | null> {
  const deadline = Date.now() + LEASE_MS + 2 * CONNECT_TIMEOUT_MS;
  for (;;) {
    const place = await cluster.place(meetingId);
    if (place.local) return null;
    try {
      return await Relay.open(cluster, place.url, request, sink);
    } catch {
      if (Date.now() > deadline) throw new ParleyError('shutting_down', "the meeting's server does not answer; retry in a moment");
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
