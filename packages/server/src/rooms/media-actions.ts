/**
 * Media in a room: setting up a participant's transports, publishing and unpublishing, handing each
 * participant a subscription to every other track, muting. A muted track is paused in the SFU, so a
 * moderator's mute holds whatever the client does. Everything here talks to the media plane only
 * through its contract (SfuControl).
 */
import { ParleyError, SOURCE_KIND, type ClientRequest, type RequestResult } from '@parley/protocol';
import { SfuError } from '@parley/sfu';
import type { RoomContext, Reply, Track } from './context.js';
import type { Participant } from './participant.js';
import { can } from './permissions.js';
import { newOpaqueId } from '../util/secrets.js';

/** Runs a media operation with client-supplied parameters; the SFU refusing them is negotiation_failed. */
async function negotiate<T>(room: RoomContext, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof SfuError && (err.code === 'unknown-track' || err.code === 'unknown-transport')) {
      throw new ParleyError('not_found', err.message.slice(0, 200));
    }
    room.log.warn({ err }, 'media negotiation failed');
    throw new ParleyError('negotiation_failed', err instanceof Error ? err.message.slice(0, 200) : undefined);
  }
}

/** A track of this room that belongs to the sender; someone else's is forbidden, unknown is not_found. */
export function ownTrack(room: RoomContext, participantId: string, trackId: string): Track {
  const track = room.tracks.get(trackId);
  if (!track) throw new ParleyError('not_found', 'no such track in this meeting');
  if (track.info.participantId !== participantId) throw new ParleyError('forbidden', 'not your track');
  return track;
}

/** Another participant's track in this room (to subscribe to); unknown or one's own is not_found. */
function othersTrack(room: RoomContext, participantId: string, trackId: string): Track {
  const track = room.tracks.get(trackId);
  if (!track || track.info.participantId === participantId) throw new ParleyError('not_found', 'no such track in this meeting');
  return track;
}

function requireMedia(actor: Participant): void {
  if (!actor.mediaReady) throw new ParleyError('wrong_state', 'set up media first (setupMedia)');
}

/**
 * Creates (or recreates) the participant's SFU peer and transports. A second call is a fresh
 * start: their old tracks end for everyone, and every other track is offered again.
 */
export async function setupMedia(room: RoomContext, actor: Participant, request: ClientRequest<'setupMedia'>, reply: Reply<RequestResult<'setupMedia'>>): Promise<void> {
  if (actor.mediaReady) await closeMedia(room, actor);
  await room.deps.sfu.openRoom(room.meeting.id);
  await negotiate(room, () => room.deps.sfu.createPeer(room.meeting.id, actor.id, request.rtpCapabilities));
  try {
    const send = await room.deps.sfu.createTransport(actor.id, 'send');
    const recv = await room.deps.sfu.createTransport(actor.id, 'recv');
    actor.mediaReady = true;
    reply({ send, recv });
  } catch (err) {
    await room.deps.sfu.closePeer(actor.id);
    throw err;
  }
  for (const track of room.tracks.values()) {
    if (track.info.participantId !== actor.id) await offerSubscription(room, actor, track);
  }
}

/** Ends the participant's media: their tracks end for everyone and their SFU peer closes. */
export async function closeMedia(room: RoomContext, participant: Participant): Promise<void> {
  participant.mediaReady = false;
  const own = [...room.tracks.values()].filter((t) => t.info.participantId === participant.id);
  for (const track of own) room.tracks.delete(track.info.id);
  await room.deps.sfu.closePeer(participant.id).catch((err: unknown) => room.log.error({ err }, 'closePeer failed'));
  for (const track of own) room.broadcast({ type: 'trackUnpublished', trackId: track.info.id }, participant.id);
}

export async function connectTransport(room: RoomContext, actor: Participant, request: ClientRequest<'connectTransport'>, reply: Reply): Promise<void> {
  requireMedia(actor);
  await negotiate(room, () => room.deps.sfu.connectTransport(actor.id, request.transportId, request.dtlsParameters));
  reply({});
}

export async function restartIce(room: RoomContext, actor: Participant, request: ClientRequest<'restartIce'>, reply: Reply<RequestResult<'restartIce'>>): Promise<void> {
  requireMedia(actor);
  const iceParameters = await negotiate(room, () => room.deps.sfu.restartIce(actor.id, request.transportId));
  room.log.info({ participantId: actor.id }, 'ICE restart');
  // Fresh TURN credentials: the new candidates may be gathered long after the join's expired.
  reply({ iceParameters, iceServers: room.deps.iceServers(actor.id) });
}

export async function publish(room: RoomContext, actor: Participant, request: ClientRequest<'publish'>, reply: Reply<RequestResult<'publish'>>): Promise<void> {
  requireMedia(actor);
  if (SOURCE_KIND[request.source] !== request.kind) {
    throw new ParleyError('bad_request', `a ${request.source} track must be ${SOURCE_KIND[request.source]}`);
  }
  for (const track of room.tracks.values()) {
    if (track.info.participantId === actor.id && track.info.source === request.source) {
      throw new ParleyError('wrong_state', `already publishing ${request.source}`);
    }
  }
  // A microphone published where participants may not unmute themselves starts muted by the meeting.
  const forcedMute = request.source === 'microphone' && !actor.unmuteGranted && !can(actor, 'media.unmuteSelf', { settings: room.settings() });
  const track: Track = {
    info: { id: newOpaqueId(), participantId: actor.id, kind: request.kind, source: request.source, muted: forcedMute, mutedByModerator: forcedMute },
  };
  await negotiate(room, () =>
    room.deps.sfu.produce(actor.id, { trackId: track.info.id, kind: request.kind, source: request.source, rtpParameters: request.rtpParameters, paused: forcedMute }),
  );
  room.tracks.set(track.info.id, track);
  reply({ trackId: track.info.id });
  if (forcedMute) actor.send({ type: 'trackUpdated', track: track.info });
  room.broadcast({ type: 'trackPublished', track: track.info }, actor.id);
  room.log.info({ participantId: actor.id, trackId: track.info.id, source: track.info.source }, 'track published');
  for (const other of room.others(actor.id)) await offerSubscription(room, other, track);
}

export async function unpublish(room: RoomContext, actor: Participant, request: ClientRequest<'unpublish'>, reply: Reply): Promise<void> {
  const track = ownTrack(room, actor.id, request.trackId);
  room.tracks.delete(track.info.id);
  await room.deps.sfu.closeTrack(track.info.id);
  reply({});
  room.broadcast({ type: 'trackUnpublished', trackId: track.info.id }, actor.id);
}

export async function resumeSubscription(room: RoomContext, actor: Participant, request: ClientRequest<'resumeSubscription'>, reply: Reply): Promise<void> {
  requireMedia(actor);
  othersTrack(room, actor.id, request.trackId);
  await negotiate(room, () => room.deps.sfu.resumeSubscription(actor.id, request.trackId));
  reply({});
}

export async function setSubscription(room: RoomContext, actor: Participant, request: ClientRequest<'setSubscription'>, reply: Reply): Promise<void> {
  requireMedia(actor);
  othersTrack(room, actor.id, request.trackId);
  const preference = { ...(request.hidden !== undefined ? { hidden: request.hidden } : {}), ...(request.layer ? { layer: request.layer } : {}) };
  await negotiate(room, () => room.deps.sfu.setSubscriptionPreference(actor.id, request.trackId, preference));
  reply({});
}

/** Subscribes `participant` to `track` (paused until they resume it) and tells them. */
async function offerSubscription(room: RoomContext, participant: Participant, track: Track): Promise<void> {
  if (!participant.mediaReady || participant.closed) return;
  try {
    const sub = await room.deps.sfu.subscribe(participant.id, track.info.id);
    participant.send({ type: 'subscription', trackId: track.info.id, consumerId: sub.id, kind: sub.kind, rtpParameters: sub.rtpParameters });
  } catch (err) {
    // Their device cannot receive this codec, or their peer went away meanwhile: they miss one track.
    room.log.warn({ err, participantId: participant.id, trackId: track.info.id }, 'could not subscribe');
  }
}

/**
 * Muting is always allowed; unmuting needs the switch for that kind of track (unmute oneself, start
 * video, share screens) or, for a microphone, a moderator's request to unmute.
 */
export async function setMuted(room: RoomContext, actor: Participant, request: ClientRequest<'setMuted'>, reply: Reply): Promise<void> {
  const track = ownTrack(room, actor.id, request.trackId);
  if (!request.muted) {
    const facts = { settings: room.settings() };
    const source = track.info.source;
    const allowed =
      source === 'microphone'
        ? actor.unmuteGranted || can(actor, 'media.unmuteSelf', facts)
        : source === 'camera'
          ? can(actor, 'media.startVideo', facts)
          : can(actor, 'media.screenShare', facts);
    if (!allowed) {
      throw new ParleyError('feature_disabled', source === 'microphone' ? 'a moderator must allow you to unmute' : `you may not turn your ${source} back on`);
    }
    if (source === 'microphone') actor.unmuteGranted = false;
  }
  await setTrackMuted(room, track, request.muted, false);
  reply({});
}

/** Mutes or unmutes a track: the SFU stops or resumes forwarding it and everyone is told. */
export async function setTrackMuted(room: RoomContext, track: Track, muted: boolean, byModerator: boolean): Promise<boolean> {
  // Muting what is already muted changes nothing (and keeps a moderator's mute a moderator's).
  if (muted && track.info.muted && (track.info.mutedByModerator || !byModerator)) return false;
  if (!muted && !track.info.muted) return false;
  await room.deps.sfu.setTrackPaused(track.info.id, muted);
  track.info = { ...track.info, muted, mutedByModerator: muted && byModerator };
  room.broadcast({ type: 'trackUpdated', track: track.info });
  return true;
}

/** A moderator stops every track of `target` from `sources`. */
export async function moderatorMute(room: RoomContext, target: Participant, sources: readonly string[]): Promise<number> {
  let count = 0;
  for (const track of room.tracks.values()) {
    if (track.info.participantId !== target.id || !sources.includes(track.info.source)) continue;
    if (await setTrackMuted(room, track, true, true)) count += 1;
  }
  return count;
}
