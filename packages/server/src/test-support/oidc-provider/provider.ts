/**
 * A real OpenID Provider for tests: panva's certified `oidc-provider`, on 127.0.0.1 on an ephemeral
 * port, with one client (Parley's test server, on any loopback port), an in-memory account store
 * and its own plain-HTML login and consent pages (no scripts, no fonts, nothing from anywhere else).
 *
 * Run: `node --import tsx provider.ts [--client-id ID] [--client-secret S] [--port P]`. Prints
 * `OIDC_PROVIDER_READY <issuer>` on stdout when it listens.
 *
 * For the failure tests it can be told to misbehave (POST /test-control, JSON, from the test only):
 * `clockSkewSeconds` shifts the provider's own clock (so the ID tokens it signs are already
 * expired), and `tamper` makes its token endpoint hand out an ID token that is unsigned
 * (`alg_none`), or re-signed with its own key but for another audience (`aud`), another issuer
 * (`iss`) or another sign-in's nonce (`nonce`): what a compromised or confused provider, or someone
 * between it and Parley, would send.
 */
import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { TEST_ACCOUNTS, TEST_PROVIDER_PASSWORD, type TestLogin } from './accounts.js';


type Tamper = 'off' | 'alg_none' | 'aud' | 'iss' | 'nonce';

const { values } = parseArgs({ options: { 'client-id': { type: 'string' }, 'client-secret': { type: 'string' }, port: { type: 'string' } } });
const clientId = values['client-id'] ?? 'parley-test';
const clientSecret = values['client-secret'] ?? 'parley-test-secret-0123456789';

let tamper: Tamper = 'off';
let clockSkewMs = 0;
const realNow = Date.now.bind(Date);
Date.now = (): number => realNow() + clockSkewMs;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = randomBytes(8).toString('hex');
const jwk = { ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(res: ServerResponse, title: string, body: string): void {
  // form-action also governs where a form's redirects may go: back to Parley, on a loopback port.
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:*; frame-ancestors 'none'",
    'cache-control': 'no-store',
  });
  res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:24rem;margin:3rem auto}label,input,button{display:block;margin:.5rem 0}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`);
}

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 16 * 1024) throw new Error('form too large');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function b64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The tampered ID token, from the genuine one's claims. */
function tampered(idToken: string, issuer: string): string {
  const payload = JSON.parse(Buffer.from(idToken.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  if (tamper === 'alg_none') return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
  if (tamper === 'aud') payload.aud = 'some-other-application';
  if (tamper === 'iss') payload.iss = `${issuer}/someone-else`;
  if (tamper === 'nonce') payload.nonce = `replayed-${randomBytes(16).toString('base64url')}`;
  const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid })}.${b64url(payload)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

const server = createServer();
server.listen(Number(values.port ?? 0), '127.0.0.1', () => {
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const issuer = `http://127.0.0.1:${address.port}`;

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: ['http://127.0.0.1/api/auth/oidc/callback'],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    features: { devInteractions: { enabled: false } },
    pkce: { required: () => true },
    interactions: { url: (_ctx: KoaContextWithOIDC, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, id) => {
      const account = TEST_ACCOUNTS[id as TestLogin] as (typeof TEST_ACCOUNTS)[TestLogin] | undefined;
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, email: account.email, email_verified: account.verified, name: account.name, preferred_username: id }),
      };
    },
  };
  const provider = new Provider(issuer, configuration);
  // Like RFC 8252's loopback redirects: Parley's test servers listen on ephemeral ports on 127.0.0.1.
  provider.Client.prototype.redirectUriAllowed = function (uri: string): boolean {
    try {
      const url = new URL(uri);
      return url.protocol === 'http:' && url.hostname === '127.0.0.1' && url.pathname === '/api/auth/oidc/callback' && !url.search && !url.hash;
    } catch {
      return false;
    }
  };
  provider.use(async (ctx, next) => {
    await next();
    const body: unknown = ctx.body;
    if (tamper !== 'off' && ctx.path === '/token' && body && typeof body === 'object' && 'id_token' in body && typeof body.id_token === 'string') {
      ctx.body = { ...body, id_token: tampered(body.id_token, issuer) };
    }
  });
  const callback = provider.callback();

  const interaction = async (req: IncomingMessage, res: ServerResponse, uid: string, action: string | undefined): Promise<void> => {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction mismatch');
    if (req.method === 'GET' && details.prompt.name === 'login') {
      return page(
        res,
        'Sign in to the test provider',
        `<form method="post" action="/interaction/${escapeHtml(uid)}/login">
<label>Username <input name="login" autocomplete="username" required data-testid="op-login"></label>
<label>Password <input name="password" type="password" autocomplete="current-password" required data-testid="op-password"></label>
<button type="submit" data-testid="op-submit">Sign in</button></form>`,
      );
    }
    if (req.method === 'GET') {
      return page(
        res,
        'Allow access',
        `<p>${escapeHtml(String(details.params.client_id))} asks for your name and email address.</p>
<form method="post" action="/interaction/${escapeHtml(uid)}/confirm"><button type="submit" data-testid="op-allow">Allow</button></form>
<form method="post" action="/interaction/${escapeHtml(uid)}/abort"><button type="submit" data-testid="op-deny">Deny</button></form>`,
      );
    }
    if (action === 'login') {
      const form = await formBody(req);
      const login = form.get('login') ?? '';
      if (!Object.hasOwn(TEST_ACCOUNTS, login) || form.get('password') !== TEST_PROVIDER_PASSWORD) {
        return page(res, 'Wrong username or password', `<p><a href="/interaction/${escapeHtml(uid)}">Try again</a></p>`);
      }
      return provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
    }
    if (action === 'confirm') {
      const accountId = details.session?.accountId;
      if (!accountId) throw new Error('no session');
      const grant = details.grantId ? await provider.Grant.find(details.grantId) : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      if (!grant) throw new Error('no grant');
      const missing = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[] };
      if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
      if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    if (action === 'abort') {
      return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'the person denied access' }, { mergeWithLastSubmission: false });
    }
    res.writeHead(404).end();
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', issuer);
    const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|confirm|abort))?$/.exec(url.pathname);
    if (match?.[1]) {
      interaction(req, res, match[1], match[2]).catch((err: unknown) => {
        process.stderr.write(`interaction failed: ${String(err)}\n`);
        if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('interaction failed');
      });
      return;
    }
    if (url.pathname === '/test-control' && req.method === 'POST') {
      formBody(req)
        .then((form) => {
          const mode = form.get('tamper');
          if (mode === 'off' || mode === 'alg_none' || mode === 'aud' || mode === 'iss' || mode === 'nonce') tamper = mode;
          const skew = form.get('clockSkewSeconds');
          if (skew !== null) clockSkewMs = Number(skew) * 1000;
          res.writeHead(204).end();
        })
        .catch(() => res.writeHead(400).end());
      return;
    }
    void callback(req, res);
  });
  process.stdout.write(`OIDC_PROVIDER_READY ${issuer}\n`);
});
