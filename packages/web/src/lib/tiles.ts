/**
 * What the stage shows, derived from the meeting state: one camera tile per participant (video or
 * avatar, microphone state, raised hand, a floating reaction, speaking, reconnecting, pinned) and
 * one tile per screen share.
 */
import type { ParticipantInfo, TrackInfo } from '@parley/protocol';
import type { FloatingReaction, MeetingState } from './meetingState.js';
import type { PersonQuality } from './networkQuality.js';

/** A video to show: a participant's camera (or their avatar) or a screen share. */
export interface Tile {
  key: string;
  participant: ParticipantInfo;
  source: 'camera' | 'screen';
  isSelf: boolean;
  /** The track to render, or null to show the avatar. */
  video: MediaStreamTrack | null;
  micMuted: boolean;
  /** The microphone is off because a moderator muted it (the protocol's `mutedByModerator`). */
  micMutedByHost?: boolean;
  /** Their connection quality, once the server has measured it. */
  quality?: PersonQuality | null;
  /** The camera is on (its video may not have arrived yet). */
  camOn: boolean;
  /** The latest reaction floating over this camera tile. */
  reaction: FloatingReaction | null;
  /** The remote video track this tile shows (what its subscription need is about); null for one's own. */
  trackId: string | null;
  /** This participant is the active speaker. */
  speaking: boolean;
  /** Their connection dropped and the server keeps their place. */
  reconnecting: boolean;
  pinned: boolean;
}

/** Derives the tiles to render: one camera tile per participant, plus one per screen share. */
export function tilesOf(state: MeetingState): { cameras: Tile[]; screens: Tile[] } {
  const byParticipant = new Map<string, TrackInfo[]>();
  for (const t of Object.values(state.tracks)) {
    const list = byParticipant.get(t.participantId) ?? [];
    list.push(t);
    byParticipant.set(t.participantId, list);
  }
  const latestReaction = new Map<string, FloatingReaction>();
  for (const r of state.reactions) latestReaction.set(r.participantId, r);
  const cameras: Tile[] = [];
  const screens: Tile[] = [];
  for (const p of state.participants) {
    const isSelf = p.id === state.selfId;
    const tracks = byParticipant.get(p.id) ?? [];
    const find = (source: TrackInfo['source']): TrackInfo | undefined => tracks.find((t) => t.source === source);
    const mic = find('microphone');
    const cam = find('camera');
    const screen = find('screen');
    const micMuted = isSelf ? !state.local.micOn : !mic || mic.muted;
    const camVideo = isSelf
      ? state.local.camOn ? state.local.cameraTrack : null
      : cam && !cam.muted ? (state.media[cam.id] ?? null) : null;
    const reaction = latestReaction.get(p.id) ?? null;
    const camOn = isSelf ? state.local.camOn : cam !== undefined && !cam.muted;
    const micMutedByHost = micMuted && mic !== undefined && mic.muted && mic.mutedByModerator;
    const common = { participant: p, isSelf, micMuted, micMutedByHost, quality: state.quality[p.id] ?? null, camOn, speaking: p.id === state.activeSpeaker, reconnecting: p.connection === 'reconnecting' };
    const camKey = `${p.id}:camera`;
    cameras.push({ ...common, key: camKey, source: 'camera', video: camVideo, reaction, trackId: isSelf ? null : (cam?.id ?? null), pinned: state.view.pinned === camKey });
    const screenVideo = isSelf ? state.local.screenTrack : screen && !screen.muted ? (state.media[screen.id] ?? null) : null;
    if (screenVideo || (!isSelf && screen && !screen.muted)) {
      const key = `${p.id}:screen`;
      screens.push({ ...common, key, source: 'screen', video: screenVideo, reaction: null, trackId: isSelf ? null : (screen?.id ?? null), pinned: state.view.pinned === key });
    }
  }
  return { cameras, screens };
}
