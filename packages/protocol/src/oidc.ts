/**
 * Single sign-on with OpenID Connect: what the sign-in page is told about the ways to sign in, how a
 * session was made, the query strings the server accepts on its OIDC routes, and the reasons a
 * single sign-on can fail (shown to the person as `/signin?error=sso_failed&reason=…`).
 */
import { z } from 'zod';

/** How a session was made. */
export const AuthMethod = z.enum(['password', 'oidc']);
export type AuthMethod = z.infer<typeof AuthMethod>;

/** `GET /api/auth/providers` (public): the ways to sign in on this server. */
export const AuthProviders = z.object({
  /** The single sign-on provider, if one is configured: the label of its button. */
  sso: z.object({ name: z.string() }).nullable(),
  /** Password sign-in is allowed by the organization's policy. */
  localPasswords: z.boolean(),
});
export type AuthProviders = z.infer<typeof AuthProviders>;

/** Why a single sign-on failed, as the person is told (the audit log has the finer reason). */
export const SsoFailureReason = z.enum([
  /** The sign-in took too long, was already used, or was started in another browser: start again. */
  'expired',
  /** The provider's answer did not verify (state, nonce, issuer, audience, signature or lifetime). */
  'invalid_response',
  /** The provider refused or cancelled the sign-in. */
  'provider_refused',
  /** The provider could not be reached. */
  'provider_unavailable',
  /** The provider did not give a verified email address. */
  'email_unverified',
  /** The policy lets only accounts an administrator created sign in, and there is none for this person. */
  'account_not_allowed',
  /** The account exists but is linked to another identity at the provider. */
  'account_conflict',
  /** The account is disabled. */
  'account_disabled',
  /** Too many sign-ins started from this address; wait a minute. */
  'rate_limited',
  /** Something went wrong on Parley's side; it has been logged. */
  'internal',
]);
export type SsoFailureReason = z.infer<typeof SsoFailureReason>;

/** `GET /api/auth/oidc/start?next=/path`. */
export const OidcStartQuery = z.object({ next: z.string().max(512).optional() });

/** What the provider sends back to `GET /api/auth/oidc/callback` (openid-client validates the values). */
export const OidcCallbackQuery = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(512).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(1024).optional(),
  session_state: z.string().max(512).optional(),
});
