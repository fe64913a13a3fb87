/**
 * Editing the organization policy one setting at a time: each meeting setting and collaboration
 * switch has a value (the default for new meetings) and a lock. A locked setting's value lives in
 * `locked` only (a default beside it would be a contradiction the server refuses); an unlocked one
 * lives in `defaults` only where it differs from Parley's safe default.
 */
import type { MeetingSettings, MeetingSettingsPatch, OrgPolicy } from '@parley/protocol';

/** A setting's name: a top-level setting or `features.<switch>`. */
export type SettingName = string;

type Bag = Record<string, unknown>;

function read(patch: MeetingSettingsPatch | undefined, name: SettingName): unknown {
  if (!patch) return undefined;
  if (name.startsWith('features.')) return (patch.features as Bag | undefined)?.[name.slice(9)];
  return (patch as Bag)[name];
}

function write(patch: MeetingSettingsPatch, name: SettingName, value: unknown): MeetingSettingsPatch {
  if (name.startsWith('features.')) {
    const features: Bag = { ...patch.features };
    if (value === undefined) delete features[name.slice(9)];
    else features[name.slice(9)] = value;
    const next: Bag = { ...patch, features };
    if (Object.keys(features).length === 0) delete next.features;
    return next as MeetingSettingsPatch;
  }
  const next: Bag = { ...patch };
  if (value === undefined) delete next[name];
  else next[name] = value;
  return next as MeetingSettingsPatch;
}

export function safeValue(safe: MeetingSettings, name: SettingName): unknown {
  if (name.startsWith('features.')) return (safe.features as unknown as Bag)[name.slice(9)];
  return (safe as unknown as Bag)[name];
}

/** The value a new meeting gets and whether hosts may change it. */
export function settingOf(policy: OrgPolicy, safe: MeetingSettings, name: SettingName): { value: unknown; locked: boolean } {
  const locked = read(policy.locked, name);
  if (locked !== undefined) return { value: locked, locked: true };
  return { value: read(policy.defaults, name) ?? safeValue(safe, name), locked: false };
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The policy with one setting's value and lock set. */
export function withSetting(policy: OrgPolicy, safe: MeetingSettings, name: SettingName, value: unknown, locked: boolean): OrgPolicy {
  if (locked) return { ...policy, locked: write(policy.locked, name, value), defaults: write(policy.defaults, name, undefined) };
  const defaults = write(policy.defaults, name, same(value, safeValue(safe, name)) ? undefined : value);
  return { ...policy, defaults, locked: write(policy.locked, name, undefined) };
}

/** Whether the `sensitive` class's additions set a setting to `value` (a switch off, links blocked, ...). */
export function sensitiveSets(policy: OrgPolicy, name: SettingName, value: unknown = false): boolean {
  return same(read(policy.classes?.sensitive, name), value);
}

/** The policy with the `sensitive` class setting `name` to `value` (`on`), or leaving it to the meeting. */
export function withSensitive(policy: OrgPolicy, name: SettingName, on: boolean, value: unknown = false): OrgPolicy {
  const sensitive = write(policy.classes?.sensitive ?? {}, name, on ? value : undefined);
  const { sensitive: _old, ...others } = policy.classes ?? {};
  void _old;
  const classes: NonNullable<OrgPolicy['classes']> = Object.keys(sensitive).length > 0 ? { ...others, sensitive } : others;
  const { classes: _previous, ...rest } = policy;
  void _previous;
  return Object.keys(classes).length > 0 ? { ...rest, classes } : rest;
}
