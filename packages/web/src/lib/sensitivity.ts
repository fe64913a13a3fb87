/**
 * The words for a meeting's sensitivity class (C8), in one place: the badge, the create form, the
 * Security menu and the end screen all take them from here, so what the client says about end-to-end
 * encryption is said once and can change with the truth.
 */
import type { MeetingSettings } from '@parley/protocol';

/**
 * Whether this client encrypts a sensitive meeting's media and chat end to end. It does
 * (lib/e2ee/: SFrame in a worker, keys from the meeting's MLS group), and a browser that cannot is
 * kept out of the meeting; the header's E2eeStatus shows the live state of this session's encryption.
 */
export const E2EE_IN_EFFECT: boolean = true;

/** The class's name. */
export const CLASS_LABEL = 'Sensitive';

/** The badge's text once the server confirmed the class. */
export const SENSITIVE_LABEL = E2EE_IN_EFFECT ? `${CLASS_LABEL} · end-to-end encrypted` : CLASS_LABEL;

/** What end-to-end encryption means for this meeting today. */
export const E2EE_STATUS = E2EE_IN_EFFECT
  ? 'Media and chat are encrypted in the browsers; the server never holds the keys.'
  : 'End-to-end encryption is required for sensitive meetings but is not yet active in this version of Parley: media is encrypted between each browser and the server.';

/** The badge's tooltip: who may attend, and the state of encryption. */
export const SENSITIVE_TITLE = `Only signed-in members of the organization may attend. ${E2EE_STATUS}`;

/** What a sensitive meeting forces, in one line. */
export const SENSITIVE_FORCES = `Only signed-in members of the organization, the waiting room for everyone, nobody before the host, a passcode, and no file sharing${
  E2EE_IN_EFFECT ? '; media and chat are end-to-end encrypted' : ''
}.`;

/** Beside each setting the class forces. */
export const FORCED_REASON = 'Required for sensitive meetings';

/** Beside each setting the organization's policy locks. */
export const POLICY_REASON = 'Locked by your organization';

/** Where a setting's lock comes from: the class and the policy (either may be absent, e.g. in older copies). */
export type LockSources = Pick<MeetingSettings, 'forcedBySensitivity'> & Partial<Pick<MeetingSettings, 'lockedByPolicy'>>;

/** Whether the meeting's class or the organization's policy locks a setting (`lobby`, `features.fileSharing`). */
export function isForced(settings: LockSources, name: string): boolean {
  return settings.forcedBySensitivity.includes(name) || (settings.lockedByPolicy?.includes(name) ?? false);
}

/** The reason a setting is locked: the meeting's class forces it, or the organization's policy locks it. */
export function lockedReason(settings: LockSources, name: string): string | undefined {
  if (settings.forcedBySensitivity.includes(name)) return FORCED_REASON;
  return settings.lockedByPolicy?.includes(name) ? POLICY_REASON : undefined;
}
