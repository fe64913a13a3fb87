/** The meetings API: a signed-in member creates a meeting and gets its join link. */
import { CreateMeetingRequest, ParleyError, type CreateMeetingResponse } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import type { Meetings } from '../meetings/meetings.js';
import { TokenBucket } from '../signaling/rate-limiter.js';
import { joinLink } from './join-link.js';
import { KeyedLimiter } from './keyed-limiter.js';
import { parseBody } from './parse-body.js';
import { expectedOrigin } from './session.js';

export function meetingsRoutes(app: FastifyInstance, deps: { meetings: Meetings; publicUrl: string | undefined }): void {
  // Creating meetings costs a hash: at most 20 a minute per address.
  const limiter = new KeyedLimiter(() => new TokenBucket(20 / 60, 20));

  app.post('/api/meetings', async (request, reply) => {
    const user = request.parleySession?.user;
    // Only the organization's members host meetings: no anonymous "anyone can open a room".
    if (!user) throw new ParleyError('sign_in_required', 'sign in to create a meeting');
    if (user.org_role === 'external') throw new ParleyError('forbidden', 'only members of the organization host meetings');
    if (!limiter.take(request.ip)) throw new ParleyError('rate_limited', 'too many meetings created from this address');
    const body = parseBody(CreateMeetingRequest, request.body);
    const created = await deps.meetings.create({ host: user, ...body, clientAddress: request.ip });
    const response: CreateMeetingResponse = {
      id: created.meeting.id,
      title: created.meeting.title,
      passcode: created.passcode,
      joinUrl: joinLink(expectedOrigin(request, deps.publicUrl), created.meeting.id, created.passcode, created.settings.sensitivity === 'sensitive'),
      settings: created.settings,
    };
    return reply.status(201).header('cache-control', 'no-store').send(response);
  });
}
