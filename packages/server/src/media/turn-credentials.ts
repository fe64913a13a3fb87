/**
 * Short-lived TURN credentials in coturn's REST-API scheme (`use-auth-secret`, draft-uberti-behave-turn-rest):
 * the username is `<unix expiry>:<participant id>` and the credential is base64(HMAC-SHA1(secret, username)).
 * coturn recomputes the HMAC with its `static-auth-secret` and refuses a username whose expiry has passed;
 * it checks only when an allocation is made, so a relay in use outlives its credential. Parley keeps no
 * state: a participant gets fresh credentials with every join, resume and ICE restart.
 */
import { createHmac } from 'node:crypto';
import { isIP } from 'node:net';
import type { IceServer } from '@parley/protocol';

export interface TurnSettings {
  /** `turn:` / `turns:` URIs (RFC 7065), validated by the configuration. */
  urls: readonly string[];
  /** coturn's `static-auth-secret`. Never logged. */
  secret: string;
  /** How long a credential may start new allocations. */
  ttlSeconds: number;
}

/** The HMAC coturn expects for `username`. */
export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', secret).update(username, 'utf8').digest('base64');
}

/** The TURN server entry for one participant, valid `ttlSeconds` from `nowMs`. */
export function turnIceServer(settings: TurnSettings, participantId: string, nowMs: number = Date.now()): IceServer {
  if (participantId.includes(':')) throw new Error('a participant ID never contains a colon');
  const expiry = Math.floor(nowMs / 1000) + settings.ttlSeconds;
  const username = `${expiry}:${participantId}`;
  return { urls: [...settings.urls], username, credential: turnPassword(settings.secret, username) };
}

/** What `RoomDeps.iceServers` returns: the TURN entry when TURN is configured, otherwise nothing. */
export function iceServersFor(settings: TurnSettings | null): (participantId: string) => IceServer[] {
  return (participantId) => (settings ? [turnIceServer(settings, participantId)] : []);
}

/**
 * Whether `uri` is a TURN URI a browser can use (RFC 7065): `turn:` or `turns:`, a host name, IPv4 address
 * or bracketed IPv6 address, an optional port, and an optional `?transport=udp|tcp`. `turns:` with
 * `transport=udp` (TURN over DTLS) is refused: browsers do not speak it.
 */
export function turnUriProblem(uri: string): string | null {
  const match = /^(turns?):(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::(\d{1,5}))?(?:\?transport=(udp|tcp))?$/.exec(uri);
  if (!match) return 'must be turn:host[:port][?transport=udp|tcp] or turns:host[:port][?transport=tcp]';
  const [, scheme, host = '', port, transport] = match;
  if (host.startsWith('[') && isIP(host.slice(1, -1)) !== 6) return 'has a malformed IPv6 address';
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return 'has a port outside 1-65535';
  if (scheme === 'turns' && transport === 'udp') return 'asks for TURN over DTLS (turns: with transport=udp), which browsers do not support';
  return null;
}
