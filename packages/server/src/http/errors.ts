/**
 * Maps every error an HTTP route can raise to the coded `{ error: { code, message } }` body, and
 * refuses, before any route, a request whose body, query or parameters carry U+0000 (util/nul.ts).
 */
import { ParleyError } from '@parley/protocol';
import type { FastifyError, FastifyInstance } from 'fastify';
import { hasNul, NUL_REFUSED } from '../util/nul.js';

export function errorHandling(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    if (hasNul(request.params) || hasNul(request.query) || hasNul(request.body)) throw new ParleyError('bad_request', NUL_REFUSED);
  });
  app.setErrorHandler((err: FastifyError | ParleyError | Error, request, reply) => {
    let error: ParleyError;
    if (err instanceof ParleyError) error = err;
    else if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) {
      error = new ParleyError(err.statusCode === 413 ? 'message_too_large' : err.statusCode === 429 ? 'rate_limited' : 'bad_request', err.message);
    } else {
      request.log.error({ err }, 'request failed');
      error = new ParleyError('internal');
    }
    void reply.status(error.status).send({ error: { code: error.code, message: error.message } });
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.status(404).send({ error: { code: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` } });
  });
}
