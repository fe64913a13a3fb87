/**
 * Passcode guessing against one meeting, with the server's current throttle (5 free failures an
 * hour per address, then turns 1 s, 2 s, 4 s, 8 s, 10 s apart; 20 failures in 10 minutes per
 * meeting, then one check per 10 minutes): how many guesses are actually checked in `seconds`, from
 * one address and from fifty (distinct loopback addresses), and how long a refusal takes for an
 * unknown meeting and for a wrong passcode (they should look alike).
 */
import { randomBytes } from 'node:crypto';
import { PROTOCOL_VERSION } from '@parley/protocol';
import WebSocket from 'ws';
import { TEST_CLIENT_BUILD } from '../../packages/server/src/test-support/client-build.js';
import { startParley } from './parley-server.js';
import { median, sleep } from './util.js';

type Outcome = 'checked' | 'throttled' | 'other';

function guess(ws: WebSocket, meetingId: string, id: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => done('other'), 15_000);
    const onMessage = (data: WebSocket.RawData): void => {
      const m = JSON.parse(String(data)) as { id?: number; type: string; code?: string };
      if (m.id !== id) return;
      done(m.type === 'error' && m.code === 'meeting_access_denied' ? 'checked' : m.type === 'error' && m.code === 'rate_limited' ? 'throttled' : 'other');
    };
    const done = (o: Outcome): void => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      resolve(o);
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'join', id, meetingId, passcode: randomBytes(5).toString('hex'), displayName: 'M' }));
  });
}

async function attacker(wsUrl: string, localAddress: string): Promise<WebSocket> {
  const ws = new WebSocket(wsUrl, { localAddress });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const welcomed = new Promise((r) => ws.once('message', r));
  ws.send(JSON.stringify({ type: 'hello', id: 1, protocolVersion: PROTOCOL_VERSION, clientBuild: TEST_CLIENT_BUILD }));
  await welcomed;
  return ws;
}

export interface BruteForce {
  addresses: number;
  seconds: number;
  attempts: number;
  checked: number;
  throttled: number;
}

export async function bruteForce(addresses: number, seconds: number): Promise<BruteForce> {
  const server = await startParley();
  try {
    const { id } = await server.createMeeting({});
    const sockets = await Promise.all(Array.from({ length: addresses }, (_, i) => attacker(server.wsUrl, addresses === 1 ? '127.0.4.200' : `127.0.4.${i + 1}`)));
    const deadline = Date.now() + seconds * 1000;
    const r: BruteForce = { addresses, seconds, attempts: 0, checked: 0, throttled: 0 };
    await Promise.all(
      sockets.map(async (ws) => {
        for (let n = 2; Date.now() < deadline; n++) {
          const outcome = await guess(ws, id, n);
          r.attempts += 1;
          if (outcome === 'checked') r.checked += 1;
          if (outcome === 'throttled') r.throttled += 1;
          await sleep(addresses === 1 ? 100 : 500);
        }
      }),
    );
    for (const ws of sockets) ws.close();
    return r;
  } finally {
    await server.close();
  }
}

/** Time to be refused for an unknown meeting and for a wrong passcode (a fresh address each, so no throttling). */
export async function refusalTimes(samples: number): Promise<{ unknown: number; wrong: number; worstUnknown: number; worstWrong: number }> {
  const server = await startParley();
  try {
    const { id } = await server.createMeeting({});
    const times = { unknown: [] as number[], wrong: [] as number[] };
    for (let i = 0; i < samples * 2; i++) {
      const ws = await attacker(server.wsUrl, `127.0.5.${i + 1}`);
      const unknown = i % 2 === 0;
      const started = performance.now();
      // An unknown ID of the same shape as a real one.
      const target = unknown ? id.replace(/[a-z0-9]/gi, (c) => (c === 'a' ? 'b' : 'a')) : id;
      await guess(ws, target, 2);
      (unknown ? times.unknown : times.wrong).push(performance.now() - started);
      ws.close();
    }
    return { unknown: median(times.unknown), wrong: median(times.wrong), worstUnknown: Math.max(...times.unknown), worstWrong: Math.max(...times.wrong) };
  } finally {
    await server.close();
  }
}
