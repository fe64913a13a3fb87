/**
 * A lossy network path for tests: a UDP relay between a Node WebRTC peer and the SFU that drops a
 * fixed share of the RTP packets the peer sends (STUN, DTLS and RTCP pass), as a congested uplink
 * would. `throughLossyUplink` hands TestMedia a client whose send transport's ICE candidates point
 * at the relay, so the real SFU sees a real publisher with real gaps in its sequence numbers.
 */
import { createSocket, type Socket } from 'node:dgram';
import type { TestClient } from './ws-client.js';

export interface LossyRelay {
  port: number;
  /** RTP packets dropped so far. */
  readonly dropped: number;
  close(): void;
}

/** RTP (not RTCP: packet types 192–223), by the first two bytes of a version-2 packet. */
function isRtp(packet: Buffer): boolean {
  const [b0 = 0, b1 = 0] = packet;
  return b0 >> 6 === 2 && (b1 < 192 || b1 > 223);
}

/** Relays 127.0.0.1:port ↔ target, dropping `dropPerTen` of every ten RTP packets from the peer. */
export async function lossyRelay(target: { ip: string; port: number }, dropPerTen: number): Promise<LossyRelay> {
  const front = createSocket('udp4');
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  const backs = new Map<string, Socket>();
  let count = 0;
  let dropped = 0;
  front.on('message', (packet, from) => {
    const key = `${from.address}:${from.port}`;
    let back = backs.get(key);
    if (!back) {
      const created = createSocket('udp4');
      created.on('message', (reply) => front.send(reply, from.port, from.address));
      created.bind(0, '127.0.0.1');
      backs.set(key, created);
      back = created;
    }
    if (isRtp(packet) && count++ % 10 < dropPerTen) {
      dropped += 1;
      return;
    }
    back.send(packet, target.port, target.ip);
  });
  return {
    port: front.address().port,
    get dropped() {
      return dropped;
    },
    close() {
      front.close();
      for (const b of backs.values()) b.close();
    },
  };
}

interface Candidate {
  protocol?: unknown;
  port?: unknown;
  ip?: unknown;
  address?: unknown;
}

/**
 * `client`, except that its `setupMedia` result's send transport has one ICE candidate: a lossy
 * relay to the SFU's UDP candidate. Returns the relay (close it after the test).
 */
export function throughLossyUplink(client: TestClient, dropPerTen: number): { client: TestClient; relay: Promise<LossyRelay> } {
  let made: (relay: LossyRelay) => void = () => undefined;
  const relay = new Promise<LossyRelay>((resolve) => (made = resolve));
  const request: TestClient['request'] = async (type, body) => {
    const result = await client.request(type, body);
    if (type !== 'setupMedia') return result;
    const setup = result as unknown as { send?: { iceCandidates: Candidate[] } };
    const udp = setup.send?.iceCandidates.find((c) => c.protocol === 'udp');
    if (!setup.send || !udp) throw new Error('the SFU offered no UDP candidate to relay');
    const ip = String(udp.ip ?? udp.address);
    const r = await lossyRelay({ ip, port: Number(udp.port) }, dropPerTen);
    made(r);
    setup.send.iceCandidates = [{ ...udp, ip: '127.0.0.1', address: '127.0.0.1', port: r.port }];
    return result;
  };
  const wrapped = new Proxy(client, {
    get(target, prop) {
      if (prop === 'request') return request;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { client: wrapped, relay };
}
