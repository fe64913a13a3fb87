/**
 * One settings resolution: a meeting's effective settings from, in order of precedence,
 * the organization policy's locked values, the meeting's own choices, the policy's defaults, and
 * Parley's safe defaults; then the live state (lock). A pure function, so policy can lock
 * settings later without touching room logic.
 */
import type { MeetingSettings, MeetingSettingsPatch } from '@parley/protocol';

/** Safe defaults: the lobby on, nobody before the host, passcode required (not public), not locked. */
export const SAFE_DEFAULTS: MeetingSettings = {
  access: 'anyone',
  lobby: true,
  joinBeforeHost: false,
  membersSkipLobby: false,
  public: false,
  locked: false,
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
  const chosen: MeetingSettings = { ...SAFE_DEFAULTS, ...policy.defaults, ...meeting, ...policy.locked };
  return { ...chosen, locked: live.locked };
}

/** The settings in `patch` the policy forbids changing. */
export function lockedBy(policy: OrgPolicy, patch: MeetingSettingsPatch): ConfigurableSetting[] {
  return (Object.keys(patch) as ConfigurableSetting[]).filter(
    (key) => policy.locked[key] !== undefined && policy.locked[key] !== patch[key],
  );
}

/** Which changes in `patch` weaken a safe default (these are audited as such). */
export function weakenings(patch: MeetingSettingsPatch): ConfigurableSetting[] {
  return (Object.keys(patch) as ConfigurableSetting[]).filter((key) => {
    switch (key) {
      case 'lobby':
        return patch.lobby === false;
      case 'joinBeforeHost':
        return patch.joinBeforeHost === true;
      case 'membersSkipLobby':
        return patch.membersSkipLobby === true;
      case 'public':
        return patch.public === true;
      case 'access':
        return false;
    }
  });
}
