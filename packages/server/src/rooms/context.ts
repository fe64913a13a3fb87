/**
 * What a room's action handlers see of their room: its state and the few operations they share.
 * Handlers run only inside the room's queue (one writer), so they read and change this state freely.
 */
import type { MeetingInfo, MeetingSettings, MeetingSettingsPatch, RoomState, Sensitivity, ServerMessage, TrackInfo } from '@parley/protocol';
import type { E2eeRelay } from './e2ee-relay.js';
import type { IceServer, IceTransportPolicy } from '@parley/protocol';
import type { SfuControl } from '@parley/sfu';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics/metrics.js';
import type { PolicySource } from '../policy/policy-store.js';
import type { AuditLog } from '../storage/audit.js';
import type { ModerationStore } from '../storage/moderation.js';
import type { ResumeStore } from '../storage/resume.js';
import type { ChatLog } from './chat-log.js';
import type { DisruptionDetector } from './disruption.js';
import type { FileBox } from './file-box.js';
import type { Lobby, Waiter } from './lobby.js';
import type { Entrant, Participant } from './participant.js';

export interface RoomDeps {
  sfu: SfuControl;
  log: Logger;
  audit: AuditLog;
  /** The organization's policy, read when needed (it changes while rooms run). */
  policy: PolicySource;
  /** Persists a meeting's end, its settings and its class. */
  store: {
    end(meetingId: string): Promise<void>;
    saveSettings(meetingId: string, settings: MeetingSettingsPatch): Promise<void>;
    saveLocked(meetingId: string, locked: boolean): Promise<void>;
    /** Raises the class; `passcodeHash` becomes the passcode only of a meeting that had none. */
    saveSensitivity(meetingId: string, sensitivity: Sensitivity, passcodeHash?: string): Promise<void>;
    hasPasscode(meetingId: string): Promise<boolean>;
  };
  moderation: ModerationStore;
  resume: ResumeStore;
  /** How long a participant whose socket dropped keeps their place, waiting for their resume. */
  resumeWindowMs: number;
  /** How long one resume credential stays valid (connected participants get fresh ones before). */
  resumeTtlMs: number;
  /** The STUN/TURN servers (with credentials) one participant's client should use. */
  iceServers(participantId: string): IceServer[];
  /** `relay`: clients send media only through TURN; default `all`. */
  iceTransportPolicy?: IceTransportPolicy;
  maxParticipants: number;
  /** Counts the alerts raised (monitoring); optional. */
  metrics?: Pick<Metrics, 'alertRaised'>;
}

export interface Track {
  info: TrackInfo;
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
  /** End-to-end encryption: the MLS delivery service (sensitive meetings). */
  readonly e2ee: E2eeRelay;
  /** The meeting's own settings (effective ones come from `settings()`). */
  meetingSettings: MeetingSettingsPatch;
  locked: boolean;
  /** The meeting's class: an input of `settings()`; only ever raised. */
  sensitivity: Sensitivity;
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
  admit(entrant: Entrant, role: Participant['role'], deliver: (state: RoomState) => void, restore?: { id: string; handRaised: boolean }): Promise<Participant>;
  admitFromLobby(waiter: Waiter): Promise<void>;
  remove(participantId: string, reason: RemovalReason, options?: { keepCredential?: boolean }): Promise<void>;
  /** Tells everyone a participant changed (role, name, hand) and remembers it for their resume. */
  participantUpdated(participant: Participant): void;
  /** Tells moderators what changed in the lobby queue (never the whole queue); `knock` names a newcomer. */
  lobbyChanged(change: LobbyChange): void;
  emptyCheck(): void;
  closeAll(message: string, reason: 'shutdown' | 'ended'): Promise<void>;
}
