/** Validates a request body against a zod schema; failures are `bad_request` naming the field. */
import { ParleyError } from '@parley/protocol';
import type { z } from 'zod';

export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ParleyError('bad_request', issue ? `${issue.path.map(String).join('.') || 'body'}: ${issue.message}` : undefined);
}
