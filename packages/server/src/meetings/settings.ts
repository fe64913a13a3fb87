/**
 * One settings resolution: a meeting's effective settings from, in order of precedence, the
 * sensitivity class's minimums (applied last, above everything), the organization policy's locked
 * values, the meeting's own choices, the policy's defaults, and Parley's safe defaults; then the live
 * state (lock). A pure function, so policy can lock settings later without touching room logic.
 */
import type { Features, MeetingSettings, MeetingSettingsPatch, OrgPolicy, Sensitivity } from '@parley/protocol';

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
  sensitivity: 'standard',
  e2ee: false,
  forcedBySensitivity: [],
  lockedByPolicy: [],
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

/** What a sensitivity class forces: settings nobody below it may choose otherwise, and end-to-end encryption. */
export interface ClassMinimums extends MeetingSettingsPatch {
  e2ee?: boolean;
}

/**
 * Parley's built-in minimum for each class (C8), which policy may add to but never relax:
 * `sensitive` means end-to-end encryption, signed-in organization members only (no guests, no
 * public view), the waiting room for everyone, nobody before the host, a passcode, and no files
 * on the server. (Parley records nothing and has no dial-in or bots; see docs/security.md.)
 */
export const CLASS_MINIMUMS: Readonly<Record<Sensitivity, Readonly<ClassMinimums>>> = {
  standard: {},
  sensitive: {
    e2ee: true,
    access: 'organization',
    public: false,
    lobby: true,
    membersSkipLobby: false,
    joinBeforeHost: false,
    features: { fileSharing: false },
  },
};

/** The part of the organization's policy (`OrgPolicy` in the protocol) that settings resolution reads. */
export type SettingsPolicy = Pick<OrgPolicy, 'defaults' | 'locked'> & Partial<Pick<OrgPolicy, 'classes'>>;

/** A policy that adds nothing to Parley's safe defaults. */
export const OPEN_POLICY: SettingsPolicy = { defaults: {}, locked: {} };

export interface LiveState {
  locked: boolean;
}

/**
 * What a class forces under a policy: the policy's additions for the class, less any that would
 * weaken a safe default, under the built-in minimum. So policy strengthens a class, never weakens it.
 */
export function classMinimums(policy: SettingsPolicy, sensitivity: Sensitivity): ClassMinimums {
  const builtIn = CLASS_MINIMUMS[sensitivity];
  const { features: addedFeatures = {}, ...added } = policy.classes?.[sensitivity] ?? {};
  const weakening = new Set(weakenings({ ...added, features: addedFeatures }));
  const keep = <T extends object>(values: T, prefix: string): Partial<T> =>
    Object.fromEntries(Object.entries(values).filter(([key]) => !weakening.has(prefix + key))) as Partial<T>;
  const features: Partial<Features> = { ...keep(addedFeatures, 'features.'), ...builtIn.features };
  return { ...keep(added, ''), ...builtIn, ...(Object.keys(features).length > 0 ? { features } : {}) };
}

/** The setting names a patch-shaped value covers, features as `features.<name>`. */
export function settingNames(values: MeetingSettingsPatch): string[] {
  const names: string[] = [];
  for (const key of Object.keys(values) as ConfigurableSetting[]) {
    if (key === 'features') names.push(...Object.keys(values.features ?? {}).map((name) => `features.${name}`));
    else names.push(key);
  }
  return names;
}

export function resolveSettings(input: { policy: SettingsPolicy; meeting: MeetingSettingsPatch; live: LiveState; sensitivity: Sensitivity }): MeetingSettings {
  const { policy, meeting, live, sensitivity } = input;
  const { e2ee = false, ...forced } = classMinimums(policy, sensitivity);
  const forcedNames = new Set(settingNames(forced));
  const features: Features = { ...SAFE_FEATURES, ...policy.defaults.features, ...meeting.features, ...policy.locked.features, ...forced.features };
  const chosen: MeetingSettings = {
    ...SAFE_DEFAULTS,
    ...policy.defaults,
    ...meeting,
    ...policy.locked,
    ...forced,
    features,
    locked: live.locked,
    sensitivity,
    e2ee,
    forcedBySensitivity: settingNames(forced),
    // What the class forces is shown as such; the policy's other locks as the organization's.
    lockedByPolicy: settingNames(policy.locked).filter((name) => !forcedNames.has(name)),
  };
  return chosen;
}

/** Applies a patch to a meeting's own settings; features merge key by key. */
export function mergeSettings(current: MeetingSettingsPatch, patch: MeetingSettingsPatch): MeetingSettingsPatch {
  const merged: MeetingSettingsPatch = { ...current, ...patch };
  if (current.features || patch.features) merged.features = { ...current.features, ...patch.features };
  return merged;
}

/** The settings in `patch` that differ from `fixed` where `fixed` has a value (features named `features.<name>`). */
function conflicts(fixed: Partial<MeetingSettingsPatch>, patch: MeetingSettingsPatch): string[] {
  const refused: string[] = [];
  for (const key of Object.keys(patch) as ConfigurableSetting[]) {
    if (key === 'features') {
      for (const [name, value] of Object.entries(patch.features ?? {})) {
        const held = fixed.features?.[name as keyof Features];
        if (held !== undefined && held !== value) refused.push(`features.${name}`);
      }
    } else if (fixed[key] !== undefined && JSON.stringify(fixed[key]) !== JSON.stringify(patch[key])) {
      refused.push(key);
    }
  }
  return refused;
}

/** The settings in `patch` the policy forbids changing (features named `features.<name>`). */
export function lockedBy(policy: SettingsPolicy, patch: MeetingSettingsPatch): string[] {
  return conflicts(policy.locked, patch);
}

/** The settings in `patch` that would weaken what the meeting's class forces. */
export function forcedBy(policy: SettingsPolicy, sensitivity: Sensitivity, patch: MeetingSettingsPatch): string[] {
  return conflicts(classMinimums(policy, sensitivity), patch);
}

const RANK: Record<Sensitivity, number> = { standard: 0, sensitive: 1 };

/** Whether going from one class to another lowers it (never allowed while the meeting exists). */
export function lowers(from: Sensitivity, to: Sensitivity): boolean {
  return RANK[to] < RANK[from];
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
