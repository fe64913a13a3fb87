/**
 * Single sign-on routes: which ways to sign in exist (public), the start of an OpenID Connect sign-in
 * (a redirect to the provider) and its callback (a redirect to where the person was going, signed
 * in, or to the sign-in page with a coded reason). The state, nonce and PKCE verifier stay on the
 * server (accounts/oidc-logins.ts); the browser holds only a random handle to them, in an HttpOnly
 * SameSite=Lax cookie scoped to these routes.
 */
import { AuthProviders, OidcCallbackQuery, OidcStartQuery, type SsoFailureReason } from '@parley/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OIDC_LOGIN_TTL_MS } from '../accounts/oidc-logins.js';
import { OidcFailure, type OidcSignIn } from '../accounts/oidc.js';
import type { PolicySource } from '../policy/policy-store.js';
import { TokenBucket } from '../signaling/rate-limiter.js';
import { KeyedLimiter } from './keyed-limiter.js';
import { safeNext } from './oidc-next.js';
import { expectedOrigin, setSessionCookie } from './session.js';
import { addressKey } from '../util/address.js';

export const OIDC_COOKIE = 'parley_oidc';
const OIDC_COOKIE_PATH = '/api/auth/oidc';
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

/** The sign-in page, told why single sign-on failed (and where the person was going). */
function failurePage(reason: SsoFailureReason, next: string): string {
  const query = new URLSearchParams({ error: 'sso_failed', reason });
  if (next !== '/') query.set('next', next);
  return `/signin?${query.toString()}`;
}

function rawQuery(request: FastifyRequest): string {
  const at = request.url.indexOf('?');
  return at < 0 ? '' : request.url.slice(at);
}

export function oidcRoutes(app: FastifyInstance, deps: { oidc: OidcSignIn | null; policy: PolicySource; publicUrl: string | undefined }): void {
  const { oidc, policy, publicUrl } = deps;
  // Sign-ins started per address: a burst of 60, then one a second (an office behind one NAT
  // signing in at nine still gets through; one address cannot take all MAX_PENDING_LOGINS).
  const starts = new KeyedLimiter(() => new TokenBucket(1, 60));

  app.get('/api/auth/providers', async (_request, reply) => {
    const answer: AuthProviders = { sso: oidc ? { name: oidc.name } : null, localPasswords: policy.current().localPasswords };
    return reply.header('cache-control', 'no-store').send(AuthProviders.parse(answer));
  });

  if (!oidc) return;

  const toSignIn = (reply: FastifyReply, err: unknown, next: string, request: FastifyRequest): FastifyReply => {
    if (!(err instanceof OidcFailure)) request.log.error({ err }, 'single sign-on failed unexpectedly');
    const reason = err instanceof OidcFailure ? err.reason : 'internal';
    return reply.header('cache-control', 'no-store').redirect(failurePage(reason, next), 302);
  };

  app.get('/api/auth/oidc/start', async (request, reply) => {
    const parsed = OidcStartQuery.safeParse(request.query);
    const next = safeNext(parsed.success ? parsed.data.next : undefined);
    if (!starts.take(addressKey(request.ip))) return toSignIn(reply, new OidcFailure('rate_limited', 'address'), next, request);
    try {
      const redirectUri = `${expectedOrigin(request, publicUrl)}${OIDC_CALLBACK_PATH}`;
      const { url, handle } = await oidc.start(next, redirectUri, request.ip);
      reply.setCookie(OIDC_COOKIE, handle, {
        httpOnly: true,
        secure: request.protocol === 'https',
        // Lax: sent on the provider's top-level redirect back to us, never on another site's subrequests.
        sameSite: 'lax',
        path: OIDC_COOKIE_PATH,
        maxAge: OIDC_LOGIN_TTL_MS / 1000,
      });
      return reply.header('cache-control', 'no-store').redirect(url, 302);
    } catch (err) {
      return toSignIn(reply, err, next, request);
    }
  });

  // Not in the access log: its address carries the authorization code and state (the audit log records the outcome).
  app.get(OIDC_CALLBACK_PATH, { logLevel: 'warn' }, async (request, reply) => {
    const handle = request.cookies[OIDC_COOKIE];
    reply.clearCookie(OIDC_COOKIE, { path: OIDC_COOKIE_PATH });
    try {
      const wellFormed = OidcCallbackQuery.safeParse(request.query).success;
      const signedIn = await oidc.finish(handle, wellFormed ? rawQuery(request) : null, request.ip);
      setSessionCookie(request, reply, signedIn.token);
      return reply.header('cache-control', 'no-store').redirect(safeNext(signedIn.next), 302);
    } catch (err) {
      return toSignIn(reply, err, '/', request);
    }
  });
}
