/** The meetings API: a signed-in member creates a meeting and gets its join link. */
import { CreateMeetingRequest, ParleyError, type CreateMeetingResponse } from '@parley/protocol';
import type { FastifyInstance } from 'fastify';
import type { Meetings } from '../meetings/meetings.js';
import { TokenBucket } from '../signaling/rate-limiter.js';
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
    const base = expectedOrigin(request, deps.publicUrl);
    // The passcode rides in the fragment, which browsers never send; public meetings say so instead.
    // `sensitive` lets the pre-join screen say so before joining (a hint: the server decides at `join`).
    const fragment = (created.passcode === null ? '#public' : `#pwd=${encodeURIComponent(created.passcode)}`) + (created.settings.sensitivity === 'sensitive' ? '&sensitive' : '');
    const response: CreateMeetingResponse = {
      id: created.meeting.id,
      title: created.meeting.title,
      passcode: created.passcode,
      joinUrl: `${base}/m/${created.meeting.id}${fragment}`,
      settings: created.settings,
    };
    return reply.status(201).header('cache-control', 'no-store').send(response);
  });
}
