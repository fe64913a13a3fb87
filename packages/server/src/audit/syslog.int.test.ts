/**
 * Syslog forwarding against a real TCP receiver: every appended audit event arrives as an RFC 5424
 * message, octet-counted (RFC 6587), whose MSG is CEF with its escaping; a dropped connection is
 * re-established and forwarding goes on; a full queue drops and counts instead of waiting.
 */
import assert from 'node:assert/strict';
import { createServer, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually } from '../test-support/media-peer.js';
import { startTestServer, type TestServer } from '../test-support/server.js';
import { SyslogForwarder } from './syslog.js';

/** A SIEM's listener: splits octet-counted frames, keeps every message. */
class Receiver {
  readonly messages: string[] = [];
  readonly sockets: Socket[] = [];
  readonly server: Server;
  connections = 0;

  constructor() {
    this.server = createServer((socket) => {
      this.connections += 1;
      this.sockets.push(socket);
      let buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const space = buffer.indexOf(0x20);
          if (space < 0) return;
          const length = Number(buffer.subarray(0, space).toString('ascii'));
          assert.ok(Number.isInteger(length) && length > 0, `bad frame length ${buffer.subarray(0, space).toString()}`);
          if (buffer.length < space + 1 + length) return;
          this.messages.push(buffer.subarray(space + 1, space + 1 + length).toString('utf8'));
          buffer = buffer.subarray(space + 1 + length);
        }
      });
      socket.on('error', () => {});
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  find(action: string): string | undefined {
    return this.messages.find((m) => m.split(' ')[5] === action);
  }

  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** RFC 5424: <PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG. */
const RFC5424 = /^<(\d{1,3})>1 (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\S+) parley (\d+) (\S{1,32}) - (.*)$/s;

/** Splits a CEF message into its seven header fields and its extension map, undoing the escaping. */
function parseCef(msg: string): { header: string[]; ext: Map<string, string> } {
  assert.ok(msg.startsWith('CEF:0|'), msg);
  const header: string[] = [];
  let field = '';
  let i = 4;
  while (header.length < 7) {
    i += 1;
    const c = msg[i];
    if (c === '\\') {
      i += 1;
      field += msg[i];
    } else if (c === '|') {
      header.push(field);
      field = '';
    } else field += c;
  }
  const ext = new Map<string, string>();
  const rest = msg.slice(i + 1);
  for (const m of rest.matchAll(/(\w+)=((?:[^\\=]|\\.)*?)(?= \w+=|$)/g)) {
    ext.set(m[1] ?? '', (m[2] ?? '').replace(/\\(.)/g, (_, e: string) => (e === 'n' ? '\n' : e === 'r' ? '\r' : e)));
  }
  return { header: [`CEF:0`, ...header.slice(1)], ext };
}

describe('syslog forwarding', () => {
  const receiver = new Receiver();
  let server: TestServer;

  before(async () => {
    const port = await receiver.listen();
    server = await startTestServer({ syslogTarget: `127.0.0.1:${port}` });
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  it('sends each audit event as RFC 5424 + CEF, escaped', async () => {
    await server.server.audit.append({
      action: 'test.escaping',
      actor: 'pipe|back\\slash',
      target: 'equals=sign',
      meetingId: 'abc-defg-hij',
      clientAddress: '192.0.2.44',
      details: { note: 'line one\nline two' },
    });
    await eventually(() => receiver.find('test.escaping') !== undefined, 'the event at the receiver');
    const message = receiver.find('test.escaping') ?? '';
    const match = RFC5424.exec(message);
    assert.ok(match, message);
    const [, pri, , , , msgid, cef] = match;
    assert.equal(Number(pri), 13 * 8 + 6);
    assert.equal(msgid, 'test.escaping');
    assert.doesNotMatch(message, /\n/, 'no raw line break inside a message');
    const parsed = parseCef(cef ?? '');
    assert.deepEqual(parsed.header.slice(1, 6), ['Parley', 'Parley', '0.1.0', 'test.escaping', 'test.escaping']);
    assert.equal(parsed.ext.get('suser'), 'pipe|back\\slash');
    assert.equal(parsed.ext.get('duser'), 'equals=sign');
    assert.equal(parsed.ext.get('src'), '192.0.2.44');
    assert.equal(parsed.ext.get('cs1'), 'abc-defg-hij');
    assert.deepEqual(JSON.parse(parsed.ext.get('cs2') ?? ''), { note: 'line one\nline two' });
    assert.match(parsed.ext.get('cs3') ?? '', /^[0-9a-f]{64}$/);
    assert.match(parsed.ext.get('externalId') ?? '', /^\d+$/);
  });

  it('forwards real security events, failures at warning severity', async () => {
    await server.api('POST', '/api/auth/sign-in', { email: 'nobody@parley.test', password: 'wrong password here' });
    await eventually(() => receiver.find('signin.failed') !== undefined, 'signin.failed at the receiver');
    const [, pri] = RFC5424.exec(receiver.find('signin.failed') ?? '') ?? [];
    assert.equal(Number(pri), 13 * 8 + 4);
    assert.ok(receiver.find('account.created'), 'the setup account creation was forwarded too');
  });

  it('reconnects after the receiver drops the connection', async () => {
    for (const s of receiver.sockets) s.destroy();
    await eventually(() => receiver.connections >= 2, 'a second connection');
    await server.server.audit.append({ action: 'test.after-reconnect' });
    await eventually(() => receiver.find('test.after-reconnect') !== undefined, 'the event after the reconnect');
  });

  it('drops and counts rather than waits when nobody listens', async () => {
    const silent = new Receiver();
    const port = await silent.listen();
    await silent.close();
    const forwarder = new SyslogForwarder({ host: '127.0.0.1', port, build: 'x', maxQueue: 3, warn: () => {} });
    try {
      for (let seq = 1; seq <= 10; seq += 1) {
        forwarder.send({ seq, at: Date.now(), meetingId: null, actor: null, action: 'test.drop', target: null, clientAddress: null, details: {}, hash: '0'.repeat(64) });
      }
      assert.equal(forwarder.dropped, 7);
      assert.equal(forwarder.sent, 0);
    } finally {
      await forwarder.close();
    }
  });
});
