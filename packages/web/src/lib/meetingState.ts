/**
 * The meeting's state and the reducer that is its only writer. Server events, join results, remote
 * media and local device changes all arrive here as actions; components read, never write.
 */
import type {
  MeetingInfo,
  ParticipantInfo,
  RequestResult,
  ServerEvent,
  TrackInfo,
} from '@parley/protocol';

export interface LocalMedia {
  micOn: boolean;
  camOn: boolean;
  screenOn: boolean;
  /** The live camera track while the camera is on (for the self tile). */
  cameraTrack: MediaStreamTrack | null;
  /** The live screen capture track while sharing. */
  screenTrack: MediaStreamTrack | null;
  speakerId: string;
  /** A human note about the last device problem (denied, not found), or null. */
  deviceError: string | null;
}

/** Why a session ended: a coded error, a `bye`, a lost connection, or leaving. */
export interface Ending {
  code: string;
  message: string;
}

export interface MeetingState {
  phase: 'connecting' | 'joined' | 'ended';
  ending: Ending | null;
  meeting: MeetingInfo | null;
  selfId: string | null;
  /** In the order they joined. */
  participants: ParticipantInfo[];
  tracks: Record<string, TrackInfo>;
  /** Remote media by track ID. */
  media: Record<string, MediaStreamTrack>;
  local: LocalMedia;
}

export type MeetingAction =
  | { type: 'joined'; result: RequestResult<'join'> }
  | { type: 'event'; event: ServerEvent }
  | { type: 'remoteTrack'; trackId: string; track: MediaStreamTrack }
  | { type: 'local'; patch: Partial<LocalMedia> }
  | { type: 'ended'; ending: Ending };

export function initialMeetingState(local: LocalMedia): MeetingState {
  return { phase: 'connecting', ending: null, meeting: null, selfId: null, participants: [], tracks: {}, media: {}, local };
}

function without<V>(record: Record<string, V>, key: string): Record<string, V> {
  if (!(key in record)) return record;
  const copy = { ...record };
  delete copy[key];
  return copy;
}

function applyEvent(state: MeetingState, event: ServerEvent): MeetingState {
  switch (event.type) {
    case 'participantJoined': {
      const others = state.participants.filter((p) => p.id !== event.participant.id);
      return { ...state, participants: [...others, event.participant] };
    }
    case 'participantLeft': {
      const tracks = Object.fromEntries(
        Object.entries(state.tracks).filter(([, t]) => t.participantId !== event.participantId),
      );
      let media = state.media;
      for (const id of Object.keys(state.tracks)) if (!(id in tracks)) media = without(media, id);
      return { ...state, participants: state.participants.filter((p) => p.id !== event.participantId), tracks, media };
    }
    case 'trackPublished':
    case 'trackUpdated':
      return { ...state, tracks: { ...state.tracks, [event.track.id]: event.track } };
    case 'trackUnpublished':
      return { ...state, tracks: without(state.tracks, event.trackId), media: without(state.media, event.trackId) };
    case 'offer':
    case 'bye':
      return state;
  }
}

export function meetingReducer(state: MeetingState, action: MeetingAction): MeetingState {
  if (state.phase === 'ended') return state;
  switch (action.type) {
    case 'joined': {
      const { meeting, self, participants, tracks } = action.result;
      const all = [self, ...participants.filter((p) => p.id !== self.id)].sort((a, b) => a.joinedAt - b.joinedAt);
      return {
        ...state,
        phase: 'joined',
        meeting,
        selfId: self.id,
        participants: all,
        tracks: Object.fromEntries(tracks.map((t) => [t.id, t])),
      };
    }
    case 'event':
      return applyEvent(state, action.event);
    case 'remoteTrack':
      return { ...state, media: { ...state.media, [action.trackId]: action.track } };
    case 'local':
      return { ...state, local: { ...state.local, ...action.patch } };
    case 'ended':
      return { ...state, phase: 'ended', ending: action.ending };
  }
}

/** A video to show: a participant's camera (or their avatar) or a screen share. */
export interface Tile {
  key: string;
  participant: ParticipantInfo;
  source: 'camera' | 'screen';
  isSelf: boolean;
  /** The track to render, or null to show the avatar. */
  video: MediaStreamTrack | null;
  micMuted: boolean;
}

/** Derives the tiles to render: one camera tile per participant, plus one per screen share. */
export function tilesOf(state: MeetingState): { cameras: Tile[]; screens: Tile[] } {
  const byParticipant = new Map<string, TrackInfo[]>();
  for (const t of Object.values(state.tracks)) {
    const list = byParticipant.get(t.participantId) ?? [];
    list.push(t);
    byParticipant.set(t.participantId, list);
  }
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
    cameras.push({ key: `${p.id}:camera`, participant: p, source: 'camera', isSelf, video: camVideo, micMuted });
    const screenVideo = isSelf ? state.local.screenTrack : screen ? (state.media[screen.id] ?? null) : null;
    if (screenVideo || (!isSelf && screen)) {
      screens.push({ key: `${p.id}:screen`, participant: p, source: 'screen', isSelf, video: screenVideo, micMuted });
    }
  }
  return { cameras, screens };
}
