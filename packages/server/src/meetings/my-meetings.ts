/**
 * A host's own meetings: the list on their home page, and re-issuing a meeting's passcode. Only a
 * hash of a passcode is stored, so a host who lost it gets a fresh one (generated, as strong as at
 * creation) and with it a fresh link; the old passcode stops working at once, and people already in
 * the meeting stay (they were admitted; resume credentials do not use the passcode).
 */
import { MY_MEETINGS_LIMIT, ParleyError, RECENT_MEETINGS_DAYS, type MyMeeting, type MyMeetingsResponse } from '@parley/protocol';
import type { UserRecord } from '../accounts/users.js';
import type { PolicySource } from '../policy/policy-store.js';
import type { AuditLog } from '../storage/audit.js';
import type { MeetingRecord, MeetingStore } from '../storage/meetings.js';
import { hashSecret, newPasscode } from '../util/secrets.js';
import { parseSettings } from './meetings.js';
import { resolveSettings } from './settings.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface MyMeetingsDeps {
  store: MeetingStore;
  audit: AuditLog;
  policy: PolicySource;
  /** Whether someone is in the meeting now (its room is open on this server). */
  live: (meetingId: string) => boolean;
  now?: () => number;
}

export class MyMeetings {
  readonly #deps: MyMeetingsDeps;

  constructor(deps: MyMeetingsDeps) {
    this.#deps = deps;
  }

  /** The caller's own meetings: never anyone else's, whatever their role. */
  async list(user: UserRecord): Promise<MyMeetingsResponse> {
    const now = (this.#deps.now ?? Date.now)();
    const { upcoming, recent } = await this.#deps.store.hostedBy(user.id, now - RECENT_MEETINGS_DAYS * DAY_MS, MY_MEETINGS_LIMIT);
    return { upcoming: upcoming.map((r) => this.#view(r)), recent: recent.map((r) => this.#view(r)) };
  }

  /**
   * A fresh passcode for a meeting `user` hosts (the account that created it). Anyone else is
   * refused alike whether the meeting exists or not (`forbidden`); an ended meeting is `meeting_ended`;
   * a public meeting has no passcode to re-issue. Audited without the passcode.
   */
  async reissue(meetingId: string, user: UserRecord, clientAddress: string): Promise<{ passcode: string; sensitive: boolean }> {
    const record = await this.#deps.store.find(meetingId);
    if (!record || record.host_user_id !== user.id) {
      await this.#deps.audit.append({ meetingId: record ? meetingId : null, actor: user.id, action: 'meeting.passcode_reissue_refused', clientAddress, details: { attemptedMeetingId: meetingId, reason: 'not-host' } });
      throw new ParleyError('forbidden', 'only the meeting’s host can issue a new passcode');
    }
    if (record.ended_at !== null) throw new ParleyError('meeting_ended');
    if (record.passcode_hash === null) throw new ParleyError('bad_request', 'this meeting is public: it has no passcode to re-issue');
    const passcode = newPasscode();
    // The update re-checks both conditions, so a meeting ended meanwhile is not given a passcode.
    if (!(await this.#deps.store.replacePasscodeHash(meetingId, await hashSecret(passcode)))) throw new ParleyError('meeting_ended');
    await this.#deps.audit.append({ meetingId, actor: user.id, action: 'meeting.passcode_reissued', clientAddress, details: { passcode: 'generated' } });
    return { passcode, sensitive: record.sensitivity === 'sensitive' };
  }

  #view(record: MeetingRecord): MyMeeting {
    const settings = resolveSettings({ policy: this.#deps.policy.current(), meeting: parseSettings(record.settings), live: { locked: record.locked === 1 }, sensitivity: record.sensitivity });
    return {
      id: record.id,
      title: record.title,
      createdAt: record.created_at,
      endedAt: record.ended_at,
      live: record.ended_at === null && this.#deps.live(record.id),
      sensitivity: record.sensitivity,
      hasPasscode: record.passcode_hash !== null,
      settings,
    };
  }
}
