/**
 * What makes an organization policy contradict itself, refused as a whole (`policy_conflict`, with
 * every contradiction named) rather than quietly normalised: the security office should see what it
 * asked for, not a corrected copy. A policy contradicts itself where
 * - a default differs from the locked value of the same setting (the lock would always win);
 * - a lock weakens a safe default that the `sensitive` class requires (Parley's built-in minimum
 *   always wins in sensitive meetings, so such a lock would silently not hold there); a stricter
 *   lock (access for signed-in people, say) is none;
 * - a class addition differs from the class's built-in minimum (which always wins);
 * - a class addition weakens a safe default (it could only ever be ignored).
 */
import type { Features, MeetingSettingsPatch, OrgPolicy } from '@parley/protocol';
import { CLASS_MINIMUMS, settingNames, weakenings, type ConfigurableSetting } from '../meetings/settings.js';

function valueOf(values: MeetingSettingsPatch, name: string): unknown {
  if (name.startsWith('features.')) return values.features?.[name.slice('features.'.length) as keyof Features];
  return values[name as ConfigurableSetting];
}

function differs(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/** Whether this value of the setting weakens a safe default (a stricter lock is no contradiction). */
function weakens(name: string, value: unknown): boolean {
  const patch: MeetingSettingsPatch = name.startsWith('features.') ? { features: { [name.slice('features.'.length)]: value } } : { [name]: value };
  return weakenings(patch).includes(name);
}

/** Every contradiction in the policy, in words; empty when it is coherent. */
export function policyConflicts(policy: OrgPolicy): string[] {
  const found: string[] = [];
  for (const name of settingNames(policy.defaults)) {
    const locked = valueOf(policy.locked, name);
    if (locked !== undefined && differs(locked, valueOf(policy.defaults, name))) found.push(`defaults.${name} differs from locked.${name}`);
  }
  const { e2ee: _e2ee, ...minimum } = CLASS_MINIMUMS.sensitive;
  void _e2ee;
  for (const name of settingNames(minimum)) {
    const required = valueOf(minimum, name);
    const locked = valueOf(policy.locked, name);
    if (locked !== undefined && differs(locked, required) && weakens(name, locked)) found.push(`locked.${name} contradicts the sensitive class (which requires ${JSON.stringify(required)})`);
    const added = policy.classes?.sensitive && valueOf(policy.classes.sensitive, name);
    if (added !== undefined && differs(added, required)) found.push(`classes.sensitive.${name} contradicts the sensitive class's built-in minimum (${JSON.stringify(required)})`);
  }
  for (const cls of ['standard', 'sensitive'] as const) {
    const added = policy.classes?.[cls];
    if (!added) continue;
    for (const name of weakenings(added)) found.push(`classes.${cls}.${name} would weaken a safe default (a class only adds requirements)`);
  }
  return found;
}
