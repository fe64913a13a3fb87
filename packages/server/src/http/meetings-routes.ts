/** The meetings API: create a meeting and get its join link. */
import { CreateMeetingRequest, ParleyError, type CreateMeetingResponse } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import type { Meetings } from '../meetings/meetings.js';
import { TokenBucket } from '../signaling/rate-limiter.js';
import { KeyedLimiter } from './keyed-limiter.js';

export function meetingsRoutes(app: FastifyInstance, deps: { meetings: Meetings; publicUrl: string | undefined }): void {
  // Creating meetings is cheap to ask for and costs a hash: at most 20 a minute per address.
  const limiter = new KeyedLimiter(() => new TokenBucket(20 / 60, 20));

  app.post('/api/meetings', async (request, reply) => {
    if (!limiter.take(request.ip)) throw new ParleyError('rate_limited', 'too many meetings created from this address');
    const parsed = CreateMeetingRequest.safeParse(request.body ?? {});
    if (!parsed.success) throw new ParleyError('bad_request', parsed.error.issues[0]?.message);
    const { meeting, passcode } = await deps.meetings.create({ title: parsed.data.title, clientAddress: request.ip });
    const base = deps.publicUrl ?? `${request.protocol}://${request.host}`;
    const body: CreateMeetingResponse = {
      id: meeting.id,
      title: meeting.title,
      passcode,
      joinUrl: `${base.replace(/\/$/, '')}/m/${meeting.id}#pwd=${passcode}`,
    };
    return reply.status(201).header('cache-control', 'no-store').send(body);
  });
}
