/**
 * Sharing files in a meeting, over HTTP. Only admitted participants of that meeting (proved by the
 * participant token from their room state, sent as `x-parley-participant`) may upload or download;
 * the room's permission check decides whether file sharing is on. Downloads are attachments that
 * the browser may not sniff or render.
 */
import { MeetingId, OpaqueId, ParleyError } from '@parley/protocol';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { RoomRegistry } from '../rooms/registry.js';
import { MAX_FILE_BYTES } from '../rooms/file-box.js';

const Params = z.object({ meetingId: MeetingId });
const FileParams = Params.extend({ fileId: OpaqueId });
const Upload = z.object({ name: z.string().min(1).max(255) });

function token(request: FastifyRequest): string {
  const value = request.headers['x-parley-participant'];
  if (typeof value !== 'string' || value.length < 16 || value.length > 128) throw new ParleyError('forbidden', 'only participants of this meeting may do this');
  return value;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new ParleyError('bad_request', parsed.error.issues[0]?.message);
  return parsed.data;
}

/** RFC 6266: an ASCII fallback and the UTF-8 name. */
function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function filesRoutes(app: FastifyInstance, deps: { rooms: RoomRegistry }): void {
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: MAX_FILE_BYTES }, (_request, body, done) => done(null, body));

  app.post('/api/meetings/:meetingId/files', { bodyLimit: MAX_FILE_BYTES }, async (request, reply) => {
    const { meetingId } = parse(Params, request.params);
    const { name } = parse(Upload, request.query);
    const room = deps.rooms.get(meetingId);
    if (!room) throw new ParleyError('forbidden', 'only participants of this meeting may do this');
    if (!Buffer.isBuffer(request.body)) throw new ParleyError('bad_request', 'send the file as application/octet-stream');
    const file = await room.shareFile(token(request), name, request.body);
    return reply.status(201).send(file);
  });

  app.get('/api/meetings/:meetingId/files/:fileId', async (request, reply) => {
    const { meetingId, fileId } = parse(FileParams, request.params);
    const room = deps.rooms.get(meetingId);
    if (!room) throw new ParleyError('forbidden', 'only participants of this meeting may do this');
    const file = room.file(token(request), fileId);
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-disposition', contentDisposition(file.info.name))
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "sandbox; default-src 'none'")
      .header('cache-control', 'no-store')
      .send(file.data);
  });
}
