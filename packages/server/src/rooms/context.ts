/**
 * What a room's action handlers see of their room: its state and the few operations they share.
 * Handlers run only inside the room's queue (one writer), so they read and change this state freely.
 */
import type { MeetingInfo, MeetingSettings, MeetingSettingsPatch, RoomState, ServerMessage, TrackInfo } from '@parley/protocol';
import type { SfuControl } from '@parley/sfu';
import type { Logger } from '../log.js';
import type { OrgPolicy } from '../meetings/settings.js';
import type { AuditLog } from '../storage/audit.js';
import type { ModerationStore } from '../storage/moderation.js';
import type { ChatLog } from './chat-log.js';
import type { DisruptionDetector } from './disruption.js';
import type { FileBox } from './file-box.js';
import type { Lobby, Waiter } from './lobby.js';
import type { Entrant, Participant } from './participant.js';

export interface RoomDeps {
  sfu: SfuControl;
  log: Logger;
  audit: AuditLog;
  policy: OrgPolicy;
  /** Persists a meeting's end and its settings. */
  store: { end(meetingId: string): Promise<void>; saveSettings(meetingId: string, settings: MeetingSettingsPatch): Promise<void> };
  moderation: ModerationStore;
  /** How long a participant's media may stay failed or disconnected before removal. */
  mediaGraceMs: number;
  maxParticipants: number;
}

export interface Track {
  info: TrackInfo;
  mid: string;
}

/** Waiters who joined the moderators' queue and IDs of those who left it. */
export interface LobbyChange {
  added?: Waiter[];
  removed?: string[];
  knock?: string;
}

export type RemovalReason = 'left' | 'disconnected' | 'media-failed' | 'removed';

/** Sends the successful reply to the request being handled. */
export type Reply<T = object> = (result: T) => void;

export type AlertInit = Omit<Extract<ServerMessage, { type: 'alert' }>, 'type'>;

export interface RoomContext {
  readonly meeting: MeetingInfo;
  readonly deps: RoomDeps;
  readonly log: Logger;
  readonly participants: Map<string, Participant>;
  readonly tracks: Map<string, Track>;
  readonly lobby: Lobby;
  readonly chat: ChatLog;
  readonly files: FileBox;
  readonly disruption: DisruptionDetector;
  /** The meeting's own settings (effective ones come from `settings()`). */
  meetingSettings: MeetingSettingsPatch;
  locked: boolean;
  /** The meeting has ended or the room is closing. */
  closed: boolean;
  settings(): MeetingSettings;
  broadcast(message: ServerMessage, exceptId?: string): void;
  toModerators(message: ServerMessage): void;
  alert(init: AlertInit): void;
  audit(action: string, actor: Entrant | null, target: string | null, details: Record<string, unknown>): Promise<void>;
  others(participantId: string): Participant[];
  stateFor(participant: Participant): Promise<RoomState>;
  hostPresent(): boolean;
  admit(entrant: Entrant, role: Participant['role'], deliver: (state: RoomState) => void): Promise<Participant>;
  admitFromLobby(waiter: Waiter): Promise<void>;
  remove(participantId: string, reason: RemovalReason): Promise<void>;
  renegotiate(participant: Participant): Promise<void>;
  /** Tells moderators what changed in the lobby queue (never the whole queue); `knock` names a newcomer. */
  lobbyChanged(change: LobbyChange): void;
  emptyCheck(): void;
  closeAll(message: string, reason: 'shutdown' | 'ended'): Promise<void>;
}
