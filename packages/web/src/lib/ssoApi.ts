/**
 * Single sign-on, as the sign-in page sees it: which ways to sign in the server offers, where the
 * "Sign in with …" link goes (a plain navigation: the server redirects to the provider and back),
 * and what to tell the person when the server sent them back with `?error=sso_failed&reason=…`.
 */
import { AuthProviders, SsoFailureReason } from '@parley/protocol';
import type { ApiClient } from './api.js';

export function fetchProviders(api: ApiClient): Promise<AuthProviders> {
  return api.call('GET', '/api/auth/providers', AuthProviders);
}

export function ssoStartHref(next: string): string {
  return next === '/' ? '/api/auth/oidc/start' : `/api/auth/oidc/start?next=${encodeURIComponent(next)}`;
}

const TEXT: Record<SsoFailureReason, string> = {
  expired: 'The sign-in took too long or was already used. Start again.',
  invalid_response: 'The answer from the sign-in provider could not be verified, so you were not signed in. Try again; if it keeps happening, tell your administrator.',
  provider_refused: 'The sign-in provider did not sign you in.',
  provider_unavailable: 'The sign-in provider could not be reached. Try again in a moment.',
  email_unverified: 'The sign-in provider did not confirm your email address, so Parley cannot tell which account is yours.',
  account_not_allowed: 'There is no Parley account for you yet. Ask an administrator to create one.',
  account_conflict: 'The Parley account with your email address belongs to another identity at the provider. Ask an administrator.',
  account_disabled: 'Your account is disabled.',
  rate_limited: 'Too many sign-ins were started from here. Wait a minute and try again.',
  internal: 'Something went wrong on the server; it has been logged. Try again.',
};

/** The failure the server reported in this address (`?error=sso_failed&reason=…`), if any. */
export function ssoFailureOf(search: string): { reason: SsoFailureReason; text: string } | null {
  const params = new URLSearchParams(search);
  if (params.get('error') !== 'sso_failed') return null;
  const parsed = SsoFailureReason.safeParse(params.get('reason'));
  const reason = parsed.success ? parsed.data : 'internal';
  return { reason, text: TEXT[reason] };
}
