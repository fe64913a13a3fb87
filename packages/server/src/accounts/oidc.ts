/**
 * Single sign-on with OpenID Connect (authorization code flow with PKCE S256, state and nonce),
 * done by openid-client: Parley only decides who the verified identity is here.
 *
 * Linking rules, in order (docs/security.md):
 * 1. An (issuer, subject) pair already linked signs in its account, and nothing else does.
 * 2. Otherwise, an email the provider marks `email_verified: true` links the account with that email,
 *    unless that account is already linked to another subject at this issuer (refused: the address
 *    was given to someone else at the provider).
 * 3. Otherwise, if the policy lets single sign-on create accounts, a member account is created with
 *    the verified email and the provider's name, and linked. If not (or while no administrator
 *    exists yet: a fresh install's first account is made by the setup link), the sign-in is refused.
 * An email that is not verified is never used. Disabled accounts are refused at every step.
 */
import { randomBytes } from 'node:crypto';
import * as client from 'openid-client';
import { Email, type SsoFailureReason } from '@parley/protocol';
import { isLoopbackHost, type ParleyConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { PolicySource } from '../policy/policy-store.js';
import type { AuditLog } from '../storage/audit.js';
import type { UntrustedAudit } from '../storage/untrusted-audit.js';
import type { UserIdentityStore } from './oidc-identities.js';
import type { OidcLoginStore } from './oidc-logins.js';
import type { SessionStore } from './sessions.js';
import type { UserRecord, UserStore } from './users.js';

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The button's label. */
  name: string;
}

/** The single sign-on settings of a configuration, or null when it configures none. */
export function oidcSettings(config: ParleyConfig): OidcSettings | null {
  const { oidcIssuer: issuer, oidcClientId: clientId, oidcClientSecret: clientSecret } = config;
  if (!issuer || !clientId || !clientSecret) return null;
  return { issuer, clientId, clientSecret, name: config.oidcName ?? new URL(issuer).hostname };
}

/**
 * Whether single sign-on is configured. The policy route must refuse `localPasswords: false` when
 * it is not (nobody could sign in any more).
 */
export function oidcConfigured(config: ParleyConfig): boolean {
  return oidcSettings(config) !== null;
}

/** A single sign-on that did not happen: what the person is told, and what the audit log records. */
export class OidcFailure extends Error {
  readonly reason: SsoFailureReason;
  /** The finer cause for the audit log (never a token or a secret). */
  readonly check: string;
  readonly userId: string | null;

  constructor(reason: SsoFailureReason, check: string, userId: string | null = null) {
    super(`single sign-on failed: ${reason} (${check})`);
    this.name = 'OidcFailure';
    this.reason = reason;
    this.check = check;
    this.userId = userId;
  }
}

/** A short, log-safe description of what openid-client refused (its codes, the claim it compared). */
function classify(err: unknown): OidcFailure {
  if (err instanceof OidcFailure) return err;
  if (err instanceof client.AuthorizationResponseError) return new OidcFailure('provider_refused', `authorization_error:${err.error.slice(0, 64)}`);
  if (err instanceof client.ResponseBodyError) return new OidcFailure('invalid_response', `token_endpoint:${err.error.slice(0, 64)}`);
  if (err instanceof client.ClientError) {
    // openid-client wraps oauth4webapi's error, whose message and `cause.claim` say what failed.
    // Only those are kept: the cause also holds the token's claims, which the audit log does not need.
    const inner = err.cause instanceof Error ? err.cause : err;
    const detail = inner.cause as { claim?: unknown; header?: { alg?: unknown } } | undefined;
    const claim = typeof detail?.claim === 'string' ? `:${detail.claim}` : typeof detail?.header?.alg === 'string' ? `:alg=${detail.header.alg.slice(0, 16)}` : '';
    const code = typeof err.code === 'string' ? err.code : 'client_error';
    return new OidcFailure('invalid_response', `${code}${claim}: ${inner.message.slice(0, 160)}`);
  }
  if (err instanceof TypeError || (err instanceof Error && err.name === 'TimeoutError')) {
    return new OidcFailure('provider_unavailable', `${err.name}: ${err.message.slice(0, 160)}`);
  }
  return new OidcFailure('internal', err instanceof Error ? `${err.name}: ${err.message.slice(0, 160)}` : 'unknown');
}

/** A display name from the ID token's claims: name, else preferred_username, else the email's local part. */
function displayNameOf(claims: client.IDToken, email: string): string {
  for (const value of [claims.name, claims.preferred_username]) {
    if (typeof value !== 'string') continue;
    // eslint-disable-next-line no-control-regex
    const clean = value.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 64);
    if (clean) return clean;
  }
  return email.split('@')[0]?.slice(0, 64) || 'User';
}

export interface OidcDeps {
  users: UserStore;
  sessions: SessionStore;
  identities: UserIdentityStore;
  logins: OidcLoginStore;
  audit: AuditLog;
  untrusted: UntrustedAudit;
  policy: PolicySource;
  log: Logger;
}

export interface OidcSignedIn {
  user: UserRecord;
  token: string;
  csrfToken: string;
  next: string;
}

export class OidcSignIn {
  readonly settings: OidcSettings;
  readonly #deps: OidcDeps;
  #discovered: Promise<client.Configuration> | undefined;

  constructor(settings: OidcSettings, deps: OidcDeps) {
    this.settings = settings;
    this.#deps = deps;
  }

  get name(): string {
    return this.settings.name;
  }

  /** Starts discovery now (at server start); a provider that is down is asked again at the first sign-in. */
  warmUp(): void {
    this.#configuration().catch((err: unknown) => {
      this.#deps.log.warn({ issuer: this.settings.issuer, reason: classify(err).check }, 'single sign-on provider not reachable yet; will retry at the first sign-in');
    });
  }

  /** The provider's discovered metadata; a failed discovery is forgotten so the next call tries again. */
  #configuration(): Promise<client.Configuration> {
    this.#discovered ??= (async () => {
      const { issuer, clientId, clientSecret } = this.settings;
      const url = new URL(issuer);
      // Plain http only to a provider on a loopback address (config.ts refuses any other http issuer).
      const insecure = url.protocol === 'http:' && isLoopbackHost(url.hostname);
      const config = await client.discovery(url, clientId, { id_token_signed_response_alg: 'RS256' }, client.ClientSecretBasic(clientSecret), {
        execute: insecure ? [client.allowInsecureRequests] : [],
        timeout: 10,
      });
      config.timeout = 10;
      return config;
    })();
    const pending = this.#discovered;
    pending.catch(() => {
      if (this.#discovered === pending) this.#discovered = undefined;
    });
    return pending;
  }

  async #fail(failure: OidcFailure, clientAddress: string): Promise<never> {
    await this.#deps.untrusted.append({
      action: 'auth.oidc.failed',
      target: failure.userId,
      clientAddress,
      details: { reason: failure.reason, check: failure.check, issuer: this.settings.issuer },
    });
    throw failure;
  }

  /** Begins a sign-in: the provider's authorization URL, and the handle the browser must bring back. */
  async start(next: string, redirectUri: string, clientAddress: string): Promise<{ url: string; handle: string }> {
    let config: client.Configuration;
    try {
      config = await this.#configuration();
    } catch (err) {
      return this.#fail(classify(err), clientAddress);
    }
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const handle = await this.#deps.logins.create({ state, nonce, code_verifier: codeVerifier, redirect_uri: redirectUri, next });
    if (!handle) return this.#fail(new OidcFailure('rate_limited', 'too_many_pending_sign_ins'), clientAddress);
    const url = client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, handle };
  }

  /**
   * Completes a sign-in from the provider's redirect: the handle from the browser's cookie and the
   * query string the provider sent (null: it did not validate). Throws OidcFailure (audited) on anything short of a verified identity.
   */
  async finish(handle: string | undefined, query: string | null, clientAddress: string): Promise<OidcSignedIn> {
    const login = handle ? await this.#deps.logins.take(handle) : undefined;
    if (!login) return this.#fail(new OidcFailure('expired', 'no_pending_sign_in'), clientAddress);
    // A malformed callback still used up the sign-in it names: it cannot be retried with it.
    if (query === null) return this.#fail(new OidcFailure('invalid_response', 'malformed_callback'), clientAddress);
    let claims: client.IDToken | undefined;
    let issuer: string;
    try {
      const config = await this.#configuration();
      issuer = config.serverMetadata().issuer;
      const currentUrl = new URL(login.redirect_uri);
      currentUrl.search = query;
      const tokens = await client.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: login.code_verifier,
        expectedState: login.state,
        expectedNonce: login.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
      // Providers may keep email and name out of the ID token (OIDC Core 5.4): ask the UserInfo
      // endpoint, which openid-client checks is about the same subject.
      if (claims && (claims.email === undefined || claims.email_verified === undefined) && config.serverMetadata().userinfo_endpoint) {
        const info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
        claims = { ...info, ...claims, email: claims.email ?? info.email, email_verified: claims.email_verified ?? info.email_verified, name: claims.name ?? info.name };
      }
    } catch (err) {
      return this.#fail(classify(err), clientAddress);
    }
    if (!claims) return this.#fail(new OidcFailure('invalid_response', 'no_id_token'), clientAddress);
    let user: UserRecord;
    try {
      user = await this.#account(issuer, claims, clientAddress);
    } catch (err) {
      return this.#fail(classify(err), clientAddress);
    }
    const { token, csrfToken } = await this.#deps.sessions.create(user.id, 'oidc');
    await this.#deps.identities.touch(issuer, claims.sub);
    await this.#deps.audit.append({ action: 'signin', actor: user.id, clientAddress, details: { method: 'oidc', issuer } });
    return { user, token, csrfToken, next: login.next };
  }

  /** The account a verified identity signs in, by the linking rules at the top of this file. */
  async #account(issuer: string, claims: client.IDToken, clientAddress: string): Promise<UserRecord> {
    const { users, identities, audit, policy } = this.#deps;
    const subject = claims.sub;
    const linked = await identities.find(issuer, subject);
    if (linked) {
      const user = await users.findById(linked.user_id);
      if (!user) throw new OidcFailure('internal', 'linked_account_missing');
      if (user.disabled) throw new OidcFailure('account_disabled', 'account_disabled', user.id);
      return user;
    }
    const parsedEmail = Email.safeParse(claims.email);
    if (claims.email_verified !== true || !parsedEmail.success) throw new OidcFailure('email_unverified', 'no_verified_email');
    const email = parsedEmail.data;
    const existing = await users.findByEmail(email);
    if (existing) {
      if ((await identities.forUser(existing.id, issuer)).length > 0) throw new OidcFailure('account_conflict', 'account_linked_to_another_subject', existing.id);
      if (existing.disabled) throw new OidcFailure('account_disabled', 'account_disabled', existing.id);
      await identities.link({ issuer, subject, userId: existing.id, email });
      await audit.append({ action: 'account.linked', actor: existing.id, target: existing.id, clientAddress, details: { issuer, subject, via: 'verified_email' } });
      return existing;
    }
    if (!policy.current().ssoCreatesAccounts) throw new OidcFailure('account_not_allowed', 'no_account_and_policy_forbids_creation');
    // A fresh install's first account is its administrator, made with the setup link or the CLI:
    // the first person through the provider must not close that door by becoming a member.
    if ((await users.count()) === 0) throw new OidcFailure('account_not_allowed', 'setup_required');
    // The account's password is random and never told to anyone: it signs in through the provider only.
    const user = await users.create({ email, displayName: displayNameOf(claims, email), password: randomBytes(32).toString('base64url'), orgRole: 'member' });
    await identities.link({ issuer, subject, userId: user.id, email });
    await audit.append({ action: 'account.created', actor: user.id, target: user.id, clientAddress, details: { orgRole: 'member', email, via: 'oidc', issuer } });
    await audit.append({ action: 'account.linked', actor: user.id, target: user.id, clientAddress, details: { issuer, subject, via: 'created' } });
    return user;
  }
}
