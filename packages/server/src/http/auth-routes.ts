/** Sign-in, sign-out, the session, first-start setup, and account creation by administrators. */
import { CreateUserRequest, ParleyError, SetupRequest, SignInRequest, type SessionInfo } from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Accounts } from '../accounts/accounts.js';
import { userInfo } from '../accounts/users.js';
import { parseBody as parse } from './parse-body.js';
import { SESSION_COOKIE, clearSessionCookie, ensureDeviceCookie, setSessionCookie } from './session.js';

async function sessionInfo(accounts: Accounts, request: FastifyRequest, ssoName: string | null): Promise<SessionInfo> {
  const session = request.parleySession;
  return {
    user: session ? userInfo(session.user) : null,
    csrfToken: session?.csrfToken ?? null,
    setupRequired: await accounts.setupRequired(),
    authMethod: session?.authMethod ?? null,
    authProvider: session?.authMethod === 'oidc' ? ssoName : null,
  };
}

/** `ssoName`: the single sign-on provider's name (for the badge of sessions it made), if one is configured. */
export function authRoutes(app: FastifyInstance, deps: { accounts: Accounts; ssoName?: string | null }): void {
  const { accounts } = deps;
  const ssoName = deps.ssoName ?? null;

  app.get('/api/session', async (request, reply) => {
    ensureDeviceCookie(request, reply);
    return reply.header('cache-control', 'no-store').send(await sessionInfo(accounts, request, ssoName));
  });

  app.post('/api/auth/sign-in', async (request, reply) => {
    const body = parse(SignInRequest, request.body);
    const { user, token, csrfToken } = await accounts.signIn(body.email, body.password, request.ip);
    setSessionCookie(request, reply, token);
    const info: SessionInfo = { user: userInfo(user), csrfToken, setupRequired: false, authMethod: 'password', authProvider: null };
    return reply.header('cache-control', 'no-store').send(info);
  });

  app.post('/api/auth/sign-out', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    if (token) await accounts.signOut(token, request.ip);
    clearSessionCookie(reply);
    return reply.send({ ok: true });
  });

  app.post('/api/setup', async (request, reply) => {
    const body = parse(SetupRequest, request.body);
    const user = await accounts.setup(body.token, body, request.ip);
    const { token, csrfToken } = await accounts.sessions.create(user.id);
    setSessionCookie(request, reply, token);
    const info: SessionInfo = { user: userInfo(user), csrfToken, setupRequired: false, authMethod: 'password', authProvider: null };
    return reply.status(201).send(info);
  });

  app.post('/api/users', async (request, reply) => {
    const actor = request.parleySession?.user;
    if (!actor) throw new ParleyError('sign_in_required');
    if (actor.org_role !== 'admin') throw new ParleyError('forbidden', 'only administrators create accounts');
    const body = parse(CreateUserRequest, request.body);
    const user = await accounts.createUser(actor, body, request.ip);
    return reply.status(201).send(userInfo(user));
  });
}
