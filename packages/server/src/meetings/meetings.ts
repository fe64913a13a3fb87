/**
 * Creating meetings (with their sensitivity class, whose forced settings a creator cannot weaken)
 * and deciding whether a joiner knows the way in. Unknown meeting and wrong
 * passcode are the same error and cost the same time (a decoy hash is verified for unknown IDs),
 * and guesses are throttled per client address and per meeting, so a guesser learns nothing and
 * gets few tries.
 */
import { ParleyError, type MeetingInfo, type MeetingSettings, type MeetingSettingsPatch, type Sensitivity } from '@parley/protocol';
import type { UserRecord } from '../accounts/users.js';
import type { AuditLog } from '../storage/audit.js';
import type { MeetingRecord, MeetingStore } from '../storage/meetings.js';
import { UntrustedAudit } from '../storage/untrusted-audit.js';
import { ADDRESS_POLICY, FailureThrottle, MEETING_POLICY, type GuessThrottle, type ThrottleFactory } from '../util/failure-throttle.js';
import { addressKey } from '../util/address.js';
import { NO_METRICS, type Metrics } from '../metrics/metrics.js';
import { decoyHash, hashSecret, newMeetingId, newPasscode, verifySecret } from '../util/secrets.js';
import { TypedEmitter } from '../util/typed-emitter.js';
import { passcodeStrongEnough } from './passcode-strength.js';
import { forcedBy, lockedBy, resolveSettings, weakenings } from './settings.js';
import { fixedPolicy, type PolicySource } from '../policy/policy-store.js';

export interface CreatedMeeting {
  meeting: MeetingInfo;
  /** Returned once to the creator; only its hash is stored. Null for public meetings. */
  passcode: string | null;
  settings: MeetingSettings;
}

/** A meeting the joiner may try to enter: its facts for the room. */
export interface AdmittedMeeting {
  meeting: MeetingInfo;
  hostUserId: string | null;
  /** The meeting's own settings (the room resolves them with live state). */
  settings: MeetingSettingsPatch;
  /** A host locked it (the live lock survives restarts). */
  locked: boolean;
  sensitivity: Sensitivity;
}

export interface MeetingsEvents {
  /** A meeting stopped taking passcode guesses: too many failures. Its moderators should know. */
  guessingLockout: [meetingId: string];
}

export function parseSettings(json: string): MeetingSettingsPatch {
  try {
    return JSON.parse(json) as MeetingSettingsPatch;
  } catch {
    return {};
  }
}

function factsOf(record: MeetingRecord): AdmittedMeeting {
  return {
    meeting: { id: record.id, title: record.title },
    hostUserId: record.host_user_id,
    settings: parseSettings(record.settings),
    locked: record.locked === 1,
    sensitivity: record.sensitivity,
  };
}

export class Meetings extends TypedEmitter<MeetingsEvents> {
  readonly #store: MeetingStore;
  readonly #audit: AuditLog;
  /** Where guessers' failures and throttled attempts go: bounded and aggregated. */
  readonly #untrusted: UntrustedAudit;
  readonly policy: PolicySource;
  readonly #byAddress: GuessThrottle;
  readonly #byMeeting: GuessThrottle;
  /** Meetings whose moderators were told of a guessing lockout, and when. */
  readonly #lockoutsAlerted = new Map<string, number>();
  readonly #now: () => number;
  readonly #metrics: Pick<Metrics, 'throttled' | 'guessFailed'>;

  constructor(
    store: MeetingStore,
    audit: AuditLog,
    options: { policy?: PolicySource; now?: () => number; untrusted?: UntrustedAudit; metrics?: Pick<Metrics, 'throttled' | 'guessFailed'>; throttles?: ThrottleFactory } = {},
  ) {
    super();
    this.#store = store;
    this.#audit = audit;
    this.#untrusted = options.untrusted ?? new UntrustedAudit(audit);
    this.policy = options.policy ?? fixedPolicy();
    const clock = options.now ? { now: options.now } : {};
    this.#byAddress = options.throttles ? options.throttles('passcode-address', ADDRESS_POLICY) : new FailureThrottle(ADDRESS_POLICY, clock);
    this.#byMeeting = options.throttles ? options.throttles('passcode-meeting', MEETING_POLICY) : new FailureThrottle(MEETING_POLICY, clock);
    this.#now = options.now ?? Date.now;
    this.#metrics = options.metrics ?? NO_METRICS;
  }

  async create(input: {
    host: UserRecord;
    title?: string | undefined;
    passcode?: string | undefined;
    settings?: MeetingSettingsPatch | undefined;
    sensitivity?: Sensitivity | undefined;
    clientAddress: string;
  }): Promise<CreatedMeeting> {
    const settings = input.settings ?? {};
    const sensitivity = input.sensitivity ?? 'standard';
    const forced = forcedBy(this.policy.current(), sensitivity, settings);
    if (forced.length > 0) {
      await this.#audit.append({ actor: input.host.id, action: 'meeting.create-refused', clientAddress: input.clientAddress, details: { sensitivity, settings, forcedBySensitivity: forced } });
      throw new ParleyError('forced_by_sensitivity', `Required for ${sensitivity} meetings: ${forced.join(', ')} cannot be chosen otherwise`);
    }
    const locked = lockedBy(this.policy.current(), settings);
    if (locked.length > 0) {
      await this.#audit.append({ actor: input.host.id, action: 'meeting.create-refused', clientAddress: input.clientAddress, details: { sensitivity, settings, lockedByPolicy: locked } });
      throw new ParleyError('forbidden', `the organization's policy locks ${locked.join(', ')}`);
    }
    if (input.passcode !== undefined && !passcodeStrongEnough(input.passcode)) {
      throw new ParleyError('bad_request', 'passcode too easy to guess (a common password, keyboard pattern or sequence): choose another, or let Parley generate one');
    }
    const effective = resolveSettings({ policy: this.policy.current(), meeting: settings, live: { locked: false }, sensitivity });
    const passcode = effective.public ? null : (input.passcode ?? newPasscode());
    const meeting: MeetingInfo = { id: newMeetingId(), title: input.title || 'Meeting' };
    await this.#store.create({
      id: meeting.id,
      title: meeting.title,
      passcode_hash: passcode === null ? null : await hashSecret(passcode),
      host_user_id: input.host.id,
      settings: JSON.stringify(settings),
      created_at: Date.now(),
      sensitivity,
    });
    await this.#audit.append({
      meetingId: meeting.id,
      actor: input.host.id,
      action: 'meeting.created',
      clientAddress: input.clientAddress,
      details: { settings, sensitivity, weakened: weakenings(settings), passcode: passcode === null ? 'none' : input.passcode ? 'chosen' : 'generated' },
    });
    return { meeting, passcode, settings: effective };
  }

  /**
   * The meeting, if the joiner may try to enter it: it exists and has not ended, and the passcode is
   * right (the meeting's host and public meetings need none). Otherwise meeting_access_denied, or
   * rate_limited while the address or the meeting is throttled.
   */
  async admit(meetingId: string, passcode: string | undefined, user: UserRecord | undefined, clientAddress: string): Promise<AdmittedMeeting> {
    const record = await this.#store.find(meetingId);
    const facts = record && factsOf(record);
    const isHost = record !== undefined && user !== undefined && record.host_user_id === user.id;
    const open = facts !== undefined && resolveSettings({ policy: this.policy.current(), meeting: facts.settings, live: { locked: false }, sensitivity: facts.sensitivity }).public;
    if (!isHost && !open) await this.#checkPasscode(meetingId, passcode, record?.passcode_hash ?? null, clientAddress);
    if (!record || !facts) throw new ParleyError('meeting_access_denied');
    if (record.ended_at !== null) throw new ParleyError('meeting_ended');
    return facts;
  }

  /**
   * The meeting for someone resuming with a verified resume credential (no passcode: they were
   * already in). meeting_ended once it has ended; meeting_access_denied if it does not exist.
   */
  async forResume(meetingId: string): Promise<AdmittedMeeting> {
    const record = await this.#store.find(meetingId);
    if (!record) throw new ParleyError('meeting_access_denied');
    if (record.ended_at !== null) throw new ParleyError('meeting_ended');
    return factsOf(record);
  }

  /**
   * Throttled, constant-time passcode check; an unknown meeting (no hash) fails like a wrong passcode.
   * A throttled attempt waits for its turn and is then checked, so a right passcode gets in late
   * rather than being refused for someone else's guesses; only a turn too far away is refused.
   */
  async #checkPasscode(meetingId: string, passcode: string | undefined, hash: string | null, clientAddress: string): Promise<void> {
    const byAddress = await this.#byAddress.acquire(addressKey(clientAddress));
    if (!byAddress.ok) return this.#throttled(meetingId, hash !== null, clientAddress, byAddress.retryAfterMs, 'address');
    const byMeeting = await this.#byMeeting.acquire(meetingId);
    if (!byMeeting.ok) {
      await this.#byAddress.settle(byAddress.ticket, false);
      return this.#throttled(meetingId, hash !== null, clientAddress, byMeeting.retryAfterMs, 'meeting');
    }
    let ok = false;
    try {
      ok = hash !== null && (await verifySecret(passcode ?? '', hash));
      if (hash === null) await verifySecret(passcode ?? '', await decoyHash());
    } finally {
      await this.#byAddress.settle(byAddress.ticket, !ok);
      await this.#byMeeting.settle(byMeeting.ticket, !ok);
    }
    if (!ok) {
      await this.#denied(meetingId, hash !== null, clientAddress);
      throw new ParleyError('meeting_access_denied');
    }
  }

  async #throttled(meetingId: string, exists: boolean, clientAddress: string, waitMs: number, by: 'address' | 'meeting'): Promise<never> {
    this.#metrics.throttled('passcode', by);
    await this.#untrusted.repeat({ meetingId: exists ? meetingId : null, action: 'passcode.throttled', clientAddress, details: { attemptedMeetingId: meetingId, retryAfterMs: waitMs, by } });
    const seconds = Math.ceil(waitMs / 1000);
    throw new ParleyError(
      'rate_limited',
      by === 'address'
        ? `too many wrong passcodes were tried from your network; your passcode was not checked; retry in ${seconds} s`
        : `this meeting is taking no passcodes for a while after many wrong ones; your passcode was not checked; retry in ${seconds} s`,
    );
  }

  async end(meetingId: string): Promise<void> {
    await this.#store.end(meetingId);
  }

  async #denied(meetingId: string, exists: boolean, clientAddress: string): Promise<void> {
    this.#metrics.guessFailed('passcode');
    await this.#untrusted.append({
      meetingId: exists ? meetingId : null,
      action: 'join.denied',
      clientAddress,
      details: { reason: exists ? 'bad-passcode' : 'unknown-meeting', attemptedMeetingId: meetingId },
    });
    if (!exists || (await this.#byMeeting.failures(meetingId)) < MEETING_POLICY.freeFailures) return;
    const alertedAt = this.#lockoutsAlerted.get(meetingId);
    if (alertedAt !== undefined && this.#now() - alertedAt < MEETING_POLICY.windowMs) return;
    this.#lockoutsAlerted.set(meetingId, this.#now());
    await this.#audit.append({ meetingId, action: 'meeting.guessing-lockout', clientAddress, details: { failures: await this.#byMeeting.failures(meetingId) } });
    this.emit('guessingLockout', meetingId);
  }
}
