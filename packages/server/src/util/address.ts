/**
 * The key that per-address throttles and caps count by. An IPv4 address is itself; an IPv6 address
 * counts by its /64, the block one subscriber or one LAN gets, so rotating through a block's 2^64
 * addresses buys no extra guesses or sockets.
 */
import { isIP } from 'node:net';

function hextets(ipv6: string): string[] | null {
  let text = ipv6.toLowerCase().split('%')[0] ?? '';
  // An embedded IPv4 tail (::ffff:1.2.3.4, 64:ff9b::1.2.3.4) is two hextets.
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const [a = 0, b = 0, c = 0, d = 0] = v4[1].split('.').map(Number);
    text = text.slice(0, -v4[1].length) + `${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (missing < 0 || (halves.length === 1 && missing !== 0)) return null;
  return [...head, ...Array<string>(missing).fill('0'), ...tail].map((h) => h.padStart(4, '0'));
}

export function addressKey(address: string): string {
  const family = isIP(address);
  if (family !== 6) return address;
  const parts = hextets(address);
  if (!parts) return address;
  // IPv4-mapped (::ffff:a.b.c.d) is the IPv4 address.
  if (parts.slice(0, 5).every((h) => h === '0000') && parts[5] === 'ffff') {
    const [hi = 0, lo = 0] = [parseInt(parts[6] ?? '0', 16), parseInt(parts[7] ?? '0', 16)];
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return `${parts.slice(0, 4).join(':')}::/64`;
}
