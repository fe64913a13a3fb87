/**
 * U+0000 in text from the network. No field of the protocol or the API needs it, PostgreSQL's text
 * refuses it (SQLite stores it, so the engines would disagree), and some C-string code after us would
 * cut the text at it: a request that carries one anywhere is refused as bad input, before any handler.
 */

/** Whether any string in `value` (a parsed JSON value, a query or route parameters) holds U+0000. */
export function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || typeof value !== 'object' || value === null) return false;
  if (Buffer.isBuffer(value)) return false; // file contents are bytes, not text
  for (const [key, inner] of Object.entries(value)) if (key.includes('\u0000') || hasNul(inner, depth + 1)) return true;
  return false;
}

export const NUL_REFUSED = 'text may not contain the NUL character (U+0000)';
