/**
 * Serves the built web client: hashed assets with long caching, and index.html for the app's routes
 * (`/`, `/m/<meeting>`), never cached so a new deployment reaches open tabs on their next load.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ensureDeviceCookie } from './session.js';

export async function webClient(app: FastifyInstance, webRoot: string): Promise<void> {
  const indexPath = join(webRoot, 'index.html');
  if (!existsSync(indexPath)) {
    app.log.warn({ webRoot }, 'web client not built (npm run build); only the API is served');
    return;
  }
  const index = readFileSync(indexPath);
  await app.register(fastifyStatic, {
    root: webRoot,
    index: false,
    wildcard: true,
    setHeaders(res, path) {
      res.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const sendIndex = (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    ensureDeviceCookie(request, reply);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(index);
  };
  app.get('/', sendIndex);
  app.get('/m/:meetingId', sendIndex);
  app.get('/setup', sendIndex);
  app.get('/signin', sendIndex);
  app.get('/admin', sendIndex);
  app.get('/admin/:section', sendIndex);
  app.get('/about', sendIndex);
}
