/**
 * Media in a room: publishing and unpublishing (publisher renegotiation), the subscriber
 * offer/answer state machine (one offer outstanding per participant), muting. A muted track is
 * not forwarded by the SFU at all, so a moderator's mute holds whatever the client does.
 */
import { ParleyError, SOURCE_KIND, type ClientRequest } from '@parley/protocol';
import type { RoomContext, Reply, Track } from './context.js';
import type { Participant } from './participant.js';
import { can } from './permissions.js';
import { newOpaqueId } from '../util/secrets.js';

/** Runs an SDP operation; a rejection is the client's bad SDP, reported as negotiation_failed. */
async function negotiate<T>(room: RoomContext, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    room.log.warn({ err }, 'negotiation failed');
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

export async function publish(room: RoomContext, actor: Participant, request: ClientRequest<'publish'>, reply: Reply): Promise<void> {
  if (SOURCE_KIND[request.source] !== request.kind) {
    throw new ParleyError('bad_request', `a ${request.source} track must be ${SOURCE_KIND[request.source]}`);
  }
  for (const track of room.tracks.values()) {
    if (track.info.participantId !== actor.id) continue;
    if (track.info.source === request.source) throw new ParleyError('wrong_state', `already publishing ${request.source}`);
    if (track.mid === request.mid) throw new ParleyError('bad_request', `m-line ${request.mid} already carries a track`);
  }
  // A microphone published where participants may not unmute themselves starts muted by the meeting.
  const forcedMute = request.source === 'microphone' && !actor.unmuteGranted && !can(actor, 'media.unmuteSelf', { settings: room.settings() });
  const track: Track = {
    info: { id: newOpaqueId(), participantId: actor.id, kind: request.kind, source: request.source, muted: forcedMute, mutedByModerator: forcedMute },
    mid: request.mid,
  };
  const answer = await negotiate(room, () =>
    room.deps.sfu.publish(actor.id, request.sdp, [{ mid: request.mid, trackId: track.info.id, kind: track.info.kind }]),
  );
  if (forcedMute) await room.deps.sfu.setTrackPaused(track.info.id, true);
  room.tracks.set(track.info.id, track);
  reply({ trackId: track.info.id, sdp: answer.sdp });
  if (forcedMute) actor.send({ type: 'trackUpdated', track: track.info });
  room.broadcast({ type: 'trackPublished', track: track.info }, actor.id);
  room.log.info({ participantId: actor.id, trackId: track.info.id, source: track.info.source }, 'track published');
  for (const other of room.others(actor.id)) {
    await room.deps.sfu.subscribe(other.id, track.info.id);
    await room.renegotiate(other);
  }
}

export async function unpublish(room: RoomContext, actor: Participant, request: ClientRequest<'unpublish'>, reply: Reply): Promise<void> {
  const track = ownTrack(room, actor.id, request.trackId);
  const answer = await negotiate(room, () => room.deps.sfu.unpublish(actor.id, request.sdp, [track.info.id]));
  room.tracks.delete(track.info.id);
  reply({ sdp: answer.sdp });
  room.broadcast({ type: 'trackUnpublished', trackId: track.info.id }, actor.id);
  for (const other of room.others(actor.id)) await room.renegotiate(other);
}

export async function answer(room: RoomContext, actor: Participant, request: ClientRequest<'answer'>, reply: Reply): Promise<void> {
  if (actor.pendingNegotiation !== request.negotiationId) {
    throw new ParleyError('wrong_state', 'no offer with this negotiation ID is awaiting an answer');
  }
  await negotiate(room, () => room.deps.sfu.applySubscriberAnswer(actor.id, request.sdp));
  actor.pendingNegotiation = null;
  reply({});
  if (actor.needsRenegotiation) await room.renegotiate(actor);
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

/** Offers the participant's subscriber connection its current subscriptions, one offer at a time. */
export async function renegotiate(room: RoomContext, participant: Participant): Promise<void> {
  if (participant.closed) return;
  if (participant.pendingNegotiation) {
    participant.needsRenegotiation = true;
    return;
  }
  participant.needsRenegotiation = false;
  try {
    const offer = await room.deps.sfu.createSubscriberOffer(participant.id);
    const negotiationId = newOpaqueId();
    participant.pendingNegotiation = negotiationId;
    participant.send({ type: 'offer', negotiationId, sdp: offer.sdp, tracks: offer.tracks });
  } catch (err) {
    room.log.error({ err, participantId: participant.id }, 'subscriber offer failed; removing participant');
    participant.close({ reason: 'media-failed', message: 'The server could not set up your media.' });
    await room.remove(participant.id, 'media-failed');
  }
}

