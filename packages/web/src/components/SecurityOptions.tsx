/**
 * The "Security options" of a new meeting, with the safe defaults pre-set: standard class, waiting
 * room on, nobody before the host, anyone with the passcode, members wait too, not public, a generated
 * passcode. Each choice that weakens a default says so beside it. A sensitive meeting locks what its
 * class forces (the server refuses anything weaker), and what the organization's policy locks.
 */
import type { ReactElement, ReactNode } from 'react';
import { ChosenPasscode, MIN_PASSCODE_BITS, passcodeStrength, type Access, type MeetingSettingsPatch } from '@parley/protocol';
import { FORCED_REASON, POLICY_REASON, SENSITIVE_FORCES } from '../lib/sensitivity.js';

export interface SecurityChoices {
  /** A sensitive meeting (control C8). */
  sensitive: boolean;
  lobby: boolean;
  /** Nobody enters before a host (joinBeforeHost off). */
  hostFirst: boolean;
  access: Access;
  membersSkipLobby: boolean;
  public: boolean;
  /** Empty: the server generates a strong one (recommended). */
  passcode: string;
}

export const SAFE_CHOICES: SecurityChoices = {
  sensitive: false,
  lobby: true,
  hostFirst: true,
  access: 'anyone',
  membersSkipLobby: false,
  public: false,
  passcode: '',
};

/** What the sensitive class forces among these choices (its built-in minimum; the server applies the policy's too). */
export const SENSITIVE_CHOICES = { lobby: true, hostFirst: true, access: 'organization', membersSkipLobby: false, public: false } as const satisfies Partial<SecurityChoices>;

/** Choosing the class: sensitive sets what it forces; going back to standard keeps those (safe) values. */
export function withSensitivity(c: SecurityChoices, sensitive: boolean): SecurityChoices {
  return sensitive ? { ...c, ...SENSITIVE_CHOICES, sensitive } : { ...c, sensitive };
}

/** The choices the organization's policy locks, by the setting each one sets. */
const LOCKABLE = { lobby: 'lobby', hostFirst: 'joinBeforeHost', access: 'access', membersSkipLobby: 'membersSkipLobby', public: 'public' } as const;

/** The choices with the policy's locked values applied (hosts cannot choose otherwise). */
export function withLocks(c: SecurityChoices, locked: MeetingSettingsPatch): SecurityChoices {
  const next = { ...c };
  if (locked.lobby !== undefined) next.lobby = locked.lobby;
  if (locked.joinBeforeHost !== undefined) next.hostFirst = !locked.joinBeforeHost;
  if (locked.access !== undefined && !c.sensitive) next.access = locked.access;
  if (locked.membersSkipLobby !== undefined) next.membersSkipLobby = locked.membersSkipLobby;
  if (locked.public !== undefined) next.public = locked.public;
  return next;
}

/** Only what differs from the safe defaults, so anything untouched follows the organization's policy. */
export function settingsPatch(c: SecurityChoices): MeetingSettingsPatch {
  const patch: MeetingSettingsPatch = {};
  if (c.lobby !== SAFE_CHOICES.lobby) patch.lobby = c.lobby;
  if (c.hostFirst !== SAFE_CHOICES.hostFirst) patch.joinBeforeHost = !c.hostFirst;
  if (c.access !== SAFE_CHOICES.access) patch.access = c.access;
  if (c.lobby && c.membersSkipLobby !== SAFE_CHOICES.membersSkipLobby) patch.membersSkipLobby = c.membersSkipLobby;
  if (c.public !== SAFE_CHOICES.public) patch.public = c.public;
  return patch;
}

/** A problem with a custom passcode, or null (empty means generated). The server checks again. */
export function passcodeProblem(c: SecurityChoices): string | null {
  if (c.public || c.passcode === '') return null;
  const parsed = ChosenPasscode.safeParse(c.passcode);
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'passcode too weak');
}

const ACCESS: { value: Access; label: string; hint: string }[] = [
  { value: 'anyone', label: 'Anyone with the link and passcode', hint: 'Guests type a name; their badge says Guest.' },
  { value: 'signed-in', label: 'Signed-in users only', hint: 'Members and external accounts; no guests.' },
  { value: 'organization', label: 'Organization members only', hint: 'No guests, no external accounts.' },
];

function Toggle(p: {
  checked: boolean;
  onChange: (v: boolean) => void;
  testId: string;
  label: string;
  hint: ReactNode;
  weakened?: string | undefined;
  disabled?: boolean;
  /** Why it cannot be changed (the meeting's class forces it). */
  lockedBy?: string | undefined;
}): ReactElement {
  const disabled = p.disabled || p.lockedBy !== undefined;
  return (
    <label className={`choice${disabled ? ' choice-disabled' : ''}`}>
      <input type="checkbox" checked={p.checked} onChange={(e) => p.onChange(e.target.checked)} disabled={disabled} data-testid={p.testId} />
      <span className="choice-text">
        <span>{p.label}</span>
        <span className="muted small">{p.hint}</span>
        {p.lockedBy && <span className="small locked-reason">{p.lockedBy}</span>}
        {p.weakened && !disabled && <span className="weakened small">{p.weakened}</span>}
      </span>
    </label>
  );
}

export function SecurityOptions({
  value,
  onChange,
  locked = {},
}: {
  value: SecurityChoices;
  onChange: (next: SecurityChoices) => void;
  /** What the organization's policy locks (from `/api/policy/public`). */
  locked?: MeetingSettingsPatch;
}): ReactElement {
  const set = <K extends keyof SecurityChoices>(key: K, v: SecurityChoices[K]): void => onChange({ ...value, [key]: v });
  const bits = value.passcode ? passcodeStrength(value.passcode) : 0;
  const problem = passcodeProblem(value);
  const strength = Math.min(1, bits / (MIN_PASSCODE_BITS * 1.5));
  const forced = value.sensitive ? FORCED_REASON : undefined;
  /** Why a choice cannot be changed: the class first, then the organization's policy. */
  const lockOf = (choice: keyof typeof LOCKABLE): string | undefined => forced ?? (locked[LOCKABLE[choice]] !== undefined ? POLICY_REASON : undefined);
  const accessLocked = lockOf('access');

  return (
    <fieldset className="security-options" data-testid="security-options">
      <legend>Security options</legend>
      <Toggle
        checked={value.sensitive}
        onChange={(v) => onChange(withSensitivity(value, v))}
        testId="create-sensitive"
        label="Sensitive meeting"
        hint={SENSITIVE_FORCES}
      />
      <Toggle
        checked={value.lobby}
        onChange={(v) => set('lobby', v)}
        testId="opt-lobby"
        label="Waiting room"
        hint="People wait until a host admits them."
        weakened={value.lobby ? undefined : 'Less secure: anyone with the passcode walks straight in.'}
        lockedBy={lockOf('lobby')}
      />
      <Toggle
        checked={value.hostFirst}
        onChange={(v) => set('hostFirst', v)}
        testId="opt-host-first"
        label="Only after the host joins"
        hint="Nobody enters before you (or a co-host) arrive."
        weakened={value.hostFirst ? undefined : 'Less secure: people may meet without a host.'}
        lockedBy={lockOf('hostFirst')}
      />
      <Toggle
        checked={value.lobby && value.membersSkipLobby}
        onChange={(v) => set('membersSkipLobby', v)}
        testId="opt-members-skip"
        label="Members skip the waiting room"
        hint="Signed-in organization members enter directly."
        disabled={!value.lobby}
        lockedBy={lockOf('membersSkipLobby')}
      />
      <fieldset className="choice-group" data-testid="opt-access" disabled={accessLocked !== undefined}>
        <legend className="field-label">Who can join</legend>
        {ACCESS.map((a) => (
          <label key={a.value} className={`choice${accessLocked ? ' choice-disabled' : ''}`}>
            <input type="radio" name="access" value={a.value} checked={value.access === a.value} onChange={() => set('access', a.value)} data-testid={`opt-access-${a.value}`} />
            <span className="choice-text">
              <span>{a.label}</span>
              <span className="muted small">{a.hint}</span>
            </span>
          </label>
        ))}
        {accessLocked && <span className="small locked-reason">{accessLocked}</span>}
      </fieldset>
      <Toggle
        checked={value.public}
        onChange={(v) => set('public', v)}
        testId="opt-public"
        label="Public meeting (no passcode)"
        hint="For broadcasts: newcomers are view-only until a host lets them speak."
        lockedBy={lockOf('public')}
      />
      {value.public && (
        <p className="warning" role="alert" data-testid="public-warning">
          Anyone who gets the link can watch and listen: there is no passcode. Do not use a public meeting for anything confidential.
        </p>
      )}
      {!value.public && (
        <label className="field">
          <span className="field-label">Custom passcode (optional)</span>
          <input
            className="input mono"
            value={value.passcode}
            maxLength={128}
            onChange={(e) => set('passcode', e.target.value)}
            autoComplete="off"
            spellCheck={false}
            placeholder="Leave empty for a strong generated one"
            aria-describedby="passcode-hint"
            aria-invalid={problem !== null}
            data-testid="opt-passcode"
          />
          {value.passcode && (
            <meter className="strength" min={0} max={1} low={0.5} high={0.67} optimum={1} value={strength} aria-label="Passcode strength" />
          )}
          <span id="passcode-hint" className={`small ${problem ? 'error-text' : 'muted'}`} data-testid="passcode-hint">
            {value.passcode === ''
              ? 'Recommended: Parley generates a strong passcode.'
              : problem
                ? `Not accepted: ${problem}.`
                : `Strong enough (about ${Math.round(bits)} bits).`}
          </span>
        </label>
      )}
    </fieldset>
  );
}
