/**
 * Resolves the caller's sign-in session from its HttpOnly cookie on every request (including the
 * WebSocket upgrade), and enforces CSRF protection on every state-changing API request: the
 * browser's Origin must be ours, and a signed-in caller must echo its session's CSRF token.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import { ParleyError } from '@parley/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Accounts } from '../accounts/accounts.js';
import { SESSION_TTL_MS, type Session } from '../accounts/sessions.js';

export const SESSION_COOKIE = 'parley_session';
/** A long-lived random ID of the browser, so people a moderator removed stay out when they come back as guests. */
export const DEVICE_COOKIE = 'parley_device';

declare module 'fastify' {
  interface FastifyRequest {
    /** The caller's live sign-in session, if any. */
    parleySession: Session | undefined;
  }
}

export function expectedOrigin(request: FastifyRequest, publicUrl: string | undefined): string {
  return publicUrl ? new URL(publicUrl).origin : `${request.protocol}://${request.host}`;
}

/** A browser request from another site (Origin or Sec-Fetch-Site says so). Non-browser clients send neither. */
export function crossSite(request: FastifyRequest, publicUrl: string | undefined): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) return origin !== expectedOrigin(request, publicUrl);
  const site = request.headers['sec-fetch-site'];
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function sessions(app: FastifyInstance, deps: { accounts: Accounts; publicUrl: string | undefined }): Promise<void> {
  await app.register(fastifyCookie);
  app.decorateRequest('parleySession', undefined);
  app.addHook('onRequest', async (request) => {
    request.parleySession = await deps.accounts.session(request.cookies[SESSION_COOKIE]);
  });
  app.addHook('preHandler', async (request) => {
    if (!['POST', 'PUT', 'PATCH', 'DELETE'].includes(request.method)) return;
    if (crossSite(request, deps.publicUrl)) {
      request.log.warn({ origin: request.headers.origin }, 'cross-site request refused');
      throw new ParleyError('csrf', 'cross-site request refused');
    }
    const session = request.parleySession;
    const header = request.headers['x-csrf-token'];
    if (session && (typeof header !== 'string' || !sameSecret(header, session.csrfToken))) {
      throw new ParleyError('csrf');
    }
  });
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    secure: request.protocol === 'https',
    sameSite: 'lax',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
}

/** A device ID as the server mints them (18 random bytes, base64url); anything else is not one. */
export function validDeviceId(value: string | undefined): string | null {
  return value !== undefined && /^[A-Za-z0-9_-]{24}$/.test(value) ? value : null;
}

/**
 * Gives a browser its device ID on its first page load, and a fresh one if what it sends is not a
 * device ID the server could have minted (else that browser could never be recognised, or banned).
 */
export function ensureDeviceCookie(request: FastifyRequest, reply: FastifyReply): void {
  if (validDeviceId(request.cookies[DEVICE_COOKIE])) return;
  reply.setCookie(DEVICE_COOKIE, randomBytes(18).toString('base64url'), {
    httpOnly: true,
    secure: request.protocol === 'https',
    sameSite: 'lax',
    path: '/',
    maxAge: 365 * 24 * 60 * 60,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}
