/**
 * Encrypted chat (end-to-end encrypted meetings): what goes inside an MLS application message, and
 * the meeting's link policy applied by the client, because the server cannot read the text. The
 * policy is applied twice, with the same classifier the server uses elsewhere (@parley/protocol's
 * findLinkAttempts): by the sender before encrypting, and by every receiver before rendering, so a
 * modified client cannot make a link clickable for the others.
 *
 * `hold` cannot be done end to end: holding needs a moderator to read the message on the server
 * before it is delivered, and the server cannot read it. An encrypted meeting treats `hold` as
 * `block` (the composer says links are not allowed).
 */
import {
  MAX_CHAT_CHARS,
  allowedHttpsUrl,
  findLinkAttempts,
  segmentChat,
  type ChatSegment,
  type LinkPolicy,
  type MeetingSettings,
} from '@parley/protocol';

/** The policy an encrypted meeting enforces: `hold` becomes `block` (no server can approve). */
export function e2eeLinkPolicy(policy: LinkPolicy): Exclude<LinkPolicy, 'hold'> {
  return policy === 'hold' ? 'block' : policy;
}

export type LinkRules = Pick<MeetingSettings, 'linkPolicy' | 'linkAllowList'>;

/** Why a message may not be sent, or null. Moderators' links are never refused (as on the server). */
export function refuseOnSend(text: string, rules: LinkRules, trusted: boolean): 'link_blocked' | null {
  if (trusted || e2eeLinkPolicy(rules.linkPolicy) !== 'block') return null;
  return findLinkAttempts(text).length > 0 ? 'link_blocked' : null;
}

export interface Rendered {
  segments: ChatSegment[];
  /** The text holds a link the meeting does not allow: shown as plain text, and marked. */
  flagged: boolean;
}

/**
 * How a received (or one's own) message is shown: under `block` (and `hold`) as plain text, flagged
 * if it holds a link; under `allow`, plainly written `https:` links to listed domains (any, from a
 * moderator) become clickable, everything else stays text.
 */
export function renderChat(text: string, rules: LinkRules, trusted: boolean): Rendered {
  const policy = trusted ? 'allow' : e2eeLinkPolicy(rules.linkPolicy);
  if (policy === 'block') return { segments: [{ text }], flagged: findLinkAttempts(text).length > 0 };
  const clickable = (url: URL): boolean => trusted || allowedHttpsUrl(url.href, rules.linkAllowList) !== null;
  return { segments: segmentChat(text, clickable), flagged: false };
}

export interface ChatPayload {
  text: string;
  /** The sender's clock, milliseconds since the Unix epoch. */
  sentAt: number;
}

/** The application message's plaintext: UTF-8 JSON `{text, sentAt}`. */
export function encodeChatPayload(payload: ChatPayload): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ text: payload.text, sentAt: payload.sentAt }));
}

/** Reads a plaintext; null for anything that is not a chat message this client would send. */
export function decodeChatPayload(bytes: Uint8Array): ChatPayload | null {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { text, sentAt } = value as { text?: unknown; sentAt?: unknown };
  if (typeof text !== 'string' || text.trim().length === 0 || text.length > MAX_CHAT_CHARS) return null;
  if (typeof sentAt !== 'number' || !Number.isSafeInteger(sentAt) || sentAt < 0) return null;
  return { text, sentAt };
}
