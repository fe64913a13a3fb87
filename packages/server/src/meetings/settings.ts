/**
 * One settings resolution: a meeting's effective settings from, in order of precedence,
 * the organization policy's locked values, the meeting's own choices, the policy's defaults, and
 * Parley's safe defaults; then the live state (lock). A pure function, so policy can lock
 * settings later without touching room logic.
 */
import type { Features, MeetingSettings, MeetingSettingsPatch } from '@parley/protocol';

/** Everything beyond audio, video and raising a hand is off. */
export const SAFE_FEATURES: Features = {
  chat: false,
  privateChat: false,
  screenShare: 'hosts',
  fileSharing: false,
  reactions: false,
  raiseHand: true,
  renameSelf: false,
  unmuteSelf: true,
  startVideo: true,
};

/** Safe defaults: the lobby on, nobody before the host, a passcode (not public), links blocked, not locked. */
export const SAFE_DEFAULTS: MeetingSettings = {
  access: 'anyone',
  lobby: true,
  joinBeforeHost: false,
  membersSkipLobby: false,
  public: false,
  features: SAFE_FEATURES,
  linkPolicy: 'block',
  linkAllowList: [],
  autoLockOnDisruption: false,
  locked: false,
};

/** What Suspend participant activities leaves switched on: nothing. */
export const SUSPENDED_FEATURES: Features = {
  chat: false,
  privateChat: false,
  screenShare: 'hosts',
  fileSharing: false,
  reactions: false,
  raiseHand: false,
  renameSelf: false,
  unmuteSelf: false,
  startVideo: false,
};

export type ConfigurableSetting = keyof MeetingSettingsPatch;

/** What the organization decides: defaults for new meetings, and which settings hosts may not change. */
export interface OrgPolicy {
  defaults: MeetingSettingsPatch;
  locked: Partial<MeetingSettingsPatch>;
}

export const OPEN_POLICY: OrgPolicy = { defaults: {}, locked: {} };

export interface LiveState {
  locked: boolean;
}

export function resolveSettings(input: { policy: OrgPolicy; meeting: MeetingSettingsPatch; live: LiveState }): MeetingSettings {
  const { policy, meeting, live } = input;
  const features: Features = { ...SAFE_FEATURES, ...policy.defaults.features, ...meeting.features, ...policy.locked.features };
  const chosen: MeetingSettings = { ...SAFE_DEFAULTS, ...policy.defaults, ...meeting, ...policy.locked, features, locked: live.locked };
  return chosen;
}

/** Applies a patch to a meeting's own settings; features merge key by key. */
export function mergeSettings(current: MeetingSettingsPatch, patch: MeetingSettingsPatch): MeetingSettingsPatch {
  const merged: MeetingSettingsPatch = { ...current, ...patch };
  if (current.features || patch.features) merged.features = { ...current.features, ...patch.features };
  return merged;
}

/** The settings in `patch` the policy forbids changing (features named `features.<name>`). */
export function lockedBy(policy: OrgPolicy, patch: MeetingSettingsPatch): string[] {
  const refused: string[] = [];
  for (const key of Object.keys(patch) as ConfigurableSetting[]) {
    if (key === 'features') {
      for (const [name, value] of Object.entries(patch.features ?? {})) {
        const locked = policy.locked.features?.[name as keyof Features];
        if (locked !== undefined && locked !== value) refused.push(`features.${name}`);
      }
    } else if (policy.locked[key] !== undefined && JSON.stringify(policy.locked[key]) !== JSON.stringify(patch[key])) {
      refused.push(key);
    }
  }
  return refused;
}

/** Which changes in `patch` weaken a safe default (these are audited as such). */
export function weakenings(patch: MeetingSettingsPatch): string[] {
  const weakened: string[] = [];
  if (patch.lobby === false) weakened.push('lobby');
  if (patch.joinBeforeHost === true) weakened.push('joinBeforeHost');
  if (patch.membersSkipLobby === true) weakened.push('membersSkipLobby');
  if (patch.public === true) weakened.push('public');
  if (patch.linkPolicy !== undefined && patch.linkPolicy !== 'block') weakened.push('linkPolicy');
  for (const [name, value] of Object.entries(patch.features ?? {})) {
    if (value !== SAFE_FEATURES[name as keyof Features] && value !== false) weakened.push(`features.${name}`);
  }
  return weakened;
}
