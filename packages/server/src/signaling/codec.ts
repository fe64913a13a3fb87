/**
 * Turns one raw WebSocket frame into a validated client message, or a coded error that carries the
 * request id when one could be read. Never throws.
 */
import { CLIENT_MESSAGE_TYPES, ClientMessage, MAX_MESSAGE_BYTES, ParleyError } from '@parley/protocol';
import { hasNul, NUL_REFUSED } from '../util/nul.js';

export type Decoded = { ok: true; message: ClientMessage } | { ok: false; id: number | null; error: ParleyError };

const knownTypes = new Set<string>(CLIENT_MESSAGE_TYPES);

function fail(id: number | null, error: ParleyError): Decoded {
  return { ok: false, id, error };
}

export function decode(data: Buffer, isBinary: boolean): Decoded {
  if (data.byteLength > MAX_MESSAGE_BYTES) {
    return fail(null, new ParleyError('message_too_large', `message is ${data.byteLength} bytes; the limit is ${MAX_MESSAGE_BYTES}`));
  }
  if (isBinary) return fail(null, new ParleyError('bad_request', 'binary frames are not part of the protocol'));
  let value: unknown;
  try {
    value = JSON.parse(data.toString('utf8'));
  } catch {
    return fail(null, new ParleyError('bad_request', 'message is not valid JSON'));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(null, new ParleyError('bad_request', 'message is not a JSON object'));
  }
  const record = value as Record<string, unknown>;
  const id = typeof record.id === 'number' && Number.isSafeInteger(record.id) && record.id > 0 ? record.id : null;
  if (typeof record.type !== 'string') return fail(id, new ParleyError('bad_request', 'message has no type'));
  if (!knownTypes.has(record.type)) {
    return fail(id, new ParleyError('unknown_type', `unknown message type "${record.type.slice(0, 40)}"`));
  }
  if (hasNul(value)) return fail(id, new ParleyError('bad_request', `invalid ${record.type}: ${NUL_REFUSED}`));
  const parsed = ClientMessage.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    return fail(id, new ParleyError('bad_request', `invalid ${record.type}: ${where}${issue?.message ?? 'invalid'}`));
  }
  return { ok: true, message: parsed.data };
}
