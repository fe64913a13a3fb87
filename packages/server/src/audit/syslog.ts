/**
 * Forwards audit events to a SIEM: RFC 5424 syslog messages with a CEF payload, octet-counted
 * (RFC 6587) over TCP. Never in an append's way: events wait in a bounded in-memory queue (the
 * oldest are dropped and counted when it is full), and a lost connection is retried with backoff.
 */
import { connect, isIP, type Socket } from 'node:net';
import { hostname } from 'node:os';
import type { StoredRecord } from './chain.js';

export interface SyslogOptions {
  host: string;
  port: number;
  build: string;
  maxQueue?: number;
  warn: (err: unknown, message: string) => void;
}

/** RFC 5424 facility 13: log audit. */
const FACILITY = 13;
const MIN_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 30_000;

/** `host:port` (IPv6 in brackets). */
export function parseTarget(target: string): { host: string; port: number } {
  const at = target.lastIndexOf(':');
  return { host: target.slice(0, at).replace(/^\[(.*)\]$/, '$1'), port: Number(target.slice(at + 1)) };
}

/** CEF header fields: backslash and pipe escaped, no line breaks. */
export function cefHeader(value: string): string {
  return value.replace(/[\\|]/g, (c) => `\\${c}`).replace(/[\r\n]+/g, ' ');
}

/** CEF extension values: backslash and equals escaped, line breaks as \n and \r. */
export function cefValue(value: string): string {
  return value.replace(/[\\=]/g, (c) => `\\${c}`).replace(/\r/g, '\\r').replace(/\n/g, '\\n');
}

/** Refusals and failures matter more to a SIEM than routine events. */
function severityOf(action: string): { cef: number; syslog: number } {
  if (/(fail|denied|refused|lockout|blocked|removed|banned|throttl|suppressed)/.test(action)) return { cef: 6, syslog: 4 };
  return { cef: 3, syslog: 6 };
}

/** RFC 5424 PRINTUSASCII (33..126), at most `max` characters, "-" when empty. */
function header(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean === '' ? '-' : clean;
}

/** One record as an RFC 5424 message whose MSG is CEF. */
export function syslogMessage(record: StoredRecord & { hash: string }, build: string, host = hostname()): string {
  const severity = severityOf(record.action);
  const ext: [string, string | null][] = [
    ['rt', String(record.at)],
    ['externalId', String(record.seq)],
    ['suser', record.actor],
    ['duser', record.target],
    ['src', record.clientAddress && isIP(record.clientAddress) ? record.clientAddress : null],
    ['cs1Label', 'meetingId'],
    ['cs1', record.meetingId],
    ['cs2Label', 'details'],
    ['cs2', JSON.stringify(record.details)],
    ['cs3Label', 'chainHash'],
    ['cs3', record.hash],
  ];
  const extension = ext
    .filter((e): e is [string, string] => e[1] !== null)
    .map(([k, v]) => `${k}=${cefValue(v)}`)
    .join(' ');
  const cef = `CEF:0|Parley|Parley|${cefHeader(build)}|${cefHeader(record.action)}|${cefHeader(record.action)}|${severity.cef}|${extension}`;
  const pri = FACILITY * 8 + severity.syslog;
  return `<${pri}>1 ${new Date(record.at).toISOString()} ${header(host, 255)} parley ${process.pid} ${header(record.action, 32)} - ${cef}`;
}

/** Octet-counting framing: `LEN SP MSG`. */
export function frame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}

export class SyslogForwarder {
  readonly #options: SyslogOptions;
  readonly #maxQueue: number;
  readonly #queue: Buffer[] = [];
  #socket: Socket | undefined;
  #connected = false;
  #backoff = MIN_BACKOFF_MS;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;
  #dropped = 0;
  #sent = 0;

  constructor(options: SyslogOptions) {
    this.#options = options;
    this.#maxQueue = options.maxQueue ?? 10_000;
    this.#connect();
  }

  /** Events dropped because the queue was full (the SIEM away too long). */
  get dropped(): number {
    return this.#dropped;
  }

  /** Events handed to the socket. */
  get sent(): number {
    return this.#sent;
  }

  /** Queues a record; returns at once. */
  send(record: StoredRecord & { hash: string }): void {
    if (this.#closed) return;
    if (this.#queue.length >= this.#maxQueue) {
      this.#queue.shift();
      this.#dropped += 1;
    }
    this.#queue.push(frame(syslogMessage(record, this.#options.build)));
    this.#drain();
  }

  /** Stops; what is still queued is given up to a second to leave. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retry);
    const socket = this.#socket;
    if (!socket) return;
    if (this.#connected) this.#drain();
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        socket.destroy();
        resolve();
      }, 1000);
      timer.unref();
      socket.end(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    socket.destroy();
  }

  #connect(): void {
    const socket = connect({ host: this.#options.host, port: this.#options.port });
    this.#socket = socket;
    socket.setKeepAlive(true);
    socket.on('connect', () => {
      this.#connected = true;
      this.#backoff = MIN_BACKOFF_MS;
      this.#drain();
    });
    socket.on('drain', () => this.#drain());
    socket.on('error', (err) => {
      if (this.#connected) this.#options.warn(err, 'syslog forwarding: connection lost');
    });
    socket.on('close', () => {
      const wasConnected = this.#connected;
      this.#connected = false;
      this.#socket = undefined;
      if (this.#closed) return;
      if (!wasConnected) this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
      this.#retry = setTimeout(() => this.#connect(), this.#backoff);
      this.#retry.unref();
    });
  }

  #drain(): void {
    const socket = this.#socket;
    if (!socket || !this.#connected) return;
    while (this.#queue.length > 0) {
      const next = this.#queue.shift();
      if (!next) break;
      this.#sent += 1;
      if (!socket.write(next)) return;
    }
  }
}
