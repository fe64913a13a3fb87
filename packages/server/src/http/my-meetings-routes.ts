/**
 * A host's own meetings: `GET /api/meetings/mine` lists them, `POST /api/meetings/:id/reissue` gives
 * one a fresh passcode and link. Both need a signed-in account; the global CSRF check (session.ts)
 * refuses cross-site POSTs.
 */
import { MeetingIdParams, MyMeetingsResponse, ParleyError, ReissuePasscodeRequest, type ReissuePasscodeResponse } from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserRecord } from '../accounts/users.js';
import type { MyMeetings } from '../meetings/my-meetings.js';
import { TokenBucket } from '../signaling/rate-limiter.js';
import { joinLink } from './join-link.js';
import { KeyedLimiter } from './keyed-limiter.js';
import { parseBody } from './parse-body.js';
import { expectedOrigin } from './session.js';

function signedIn(request: FastifyRequest): UserRecord {
  const user = request.parleySession?.user;
  if (!user) throw new ParleyError('sign_in_required', 'sign in to see your meetings');
  return user;
}

export function myMeetingsRoutes(app: FastifyInstance, deps: { myMeetings: MyMeetings; publicUrl: string | undefined }): void {
  // Re-issuing costs a hash, as creating does: at most 20 a minute per address.
  const limiter = new KeyedLimiter(() => new TokenBucket(20 / 60, 20));

  app.get('/api/meetings/mine', async (request, reply) => {
    const user = signedIn(request);
    const response = MyMeetingsResponse.parse(await deps.myMeetings.list(user));
    return reply.header('cache-control', 'no-store').send(response);
  });

  app.post('/api/meetings/:id/reissue', async (request, reply) => {
    const user = signedIn(request);
    const { id } = parseBody(MeetingIdParams, request.params);
    parseBody(ReissuePasscodeRequest, request.body);
    if (!limiter.take(request.ip)) throw new ParleyError('rate_limited', 'too many passcodes issued from this address');
    const { passcode, sensitive } = await deps.myMeetings.reissue(id, user, request.ip);
    const response: ReissuePasscodeResponse = { id, passcode, joinUrl: joinLink(expectedOrigin(request, deps.publicUrl), id, passcode, sensitive) };
    return reply.header('cache-control', 'no-store').send(response);
  });
}
