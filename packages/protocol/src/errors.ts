/**
 * The coded error taxonomy shared by the HTTP API and signaling. Every code is documented in
 * docs/protocol.md (a test checks it). HTTP status is what the API answers with; over a socket the
 * code travels in an `error` message.
 */
export const ERRORS = {
  bad_request: { status: 400, text: 'The message is malformed or fails validation.' },
  unknown_type: { status: 400, text: 'The message type is not part of the protocol.' },
  message_too_large: { status: 413, text: 'The message exceeds the 64 KiB limit.' },
  update_required: { status: 426, text: 'The client build or protocol version is not supported; reload.' },
  wrong_state: { status: 409, text: 'The message is not valid in the connection’s current state.' },
  meeting_access_denied: {
    status: 403,
    text: 'No meeting with this ID accepts this passcode (unknown meeting and wrong passcode look the same).',
  },
  forbidden: { status: 403, text: 'The sender may not perform this action.' },
  meeting_locked: { status: 423, text: 'The meeting is locked: the host is not letting anyone new in.' },
  meeting_ended: { status: 410, text: 'The meeting has ended.' },
  sign_in_required: { status: 401, text: 'Sign in to do this (or to join this meeting).' },
  invalid_credentials: { status: 401, text: 'Wrong email or password.' },
  feature_disabled: { status: 403, text: 'This feature is turned off in this meeting.' },
  forced_by_sensitivity: {
    status: 403,
    text: 'Required for sensitive meetings: this setting cannot be weakened, and a sensitive meeting cannot be made standard.',
  },
  link_blocked: { status: 403, text: 'Links are not allowed in this meeting’s chat; moderators have been told.' },
  removed: { status: 403, text: 'You were removed from this meeting.' },
  unsupported_file_type: { status: 415, text: 'This type of file may not be shared.' },
  csrf: { status: 403, text: 'The request failed the cross-site request forgery check; reload and retry.' },
  not_found: { status: 404, text: 'The referenced object does not exist in this meeting.' },
  rate_limited: { status: 429, text: 'Too many requests; retry later.' },
  negotiation_failed: { status: 422, text: 'The media parameters (RTP, ICE or DTLS) could not be applied.' },
  resume_expired: { status: 401, text: 'This resume credential is unknown, already used or expired: join the meeting again.' },
  e2ee_required: { status: 409, text: 'This meeting is end-to-end encrypted: this must go through the encrypted path (or is unavailable).' },
  meeting_full: { status: 503, text: 'The meeting has reached its participant limit.' },
  shutting_down: { status: 503, text: 'The server is shutting down.' },
  browser_outdated: { status: 426, text: 'This browser is older than the organization’s policy accepts; update it or ask IT support.' },
  policy_conflict: { status: 422, text: 'The organization policy contradicts itself or what the server allows; nothing was changed.' },
  internal: { status: 500, text: 'An unexpected server error; it has been logged.' },
} as const satisfies Record<string, { status: number; text: string }>;

export type ErrorCode = keyof typeof ERRORS;
export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

/** An error that is a value: a code from the taxonomy, a human message, and the code's HTTP status. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message?: string) {
    super(message ?? ERRORS[code].text);
    this.name = 'ParleyError';
    this.code = code;
    this.status = ERRORS[code].status;
  }
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERRORS, value);
}
