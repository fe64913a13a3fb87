/**
 * Creating meetings and checking who may enter one. Unknown meeting and wrong passcode are the same
 * error and cost the same time (a decoy hash is verified for unknown IDs), so a guesser learns nothing.
 */
import { ParleyError, type MeetingInfo } from '@parley/protocol';
import type { AuditLog } from '../storage/audit.js';
import type { MeetingStore } from '../storage/meetings.js';
import { decoyHash, hashSecret, newMeetingId, newPasscode, verifySecret } from '../util/secrets.js';

export interface CreatedMeeting {
  meeting: MeetingInfo;
  /** Returned once to the creator; only its hash is stored. */
  passcode: string;
}

export class Meetings {
  readonly #store: MeetingStore;
  readonly #audit: AuditLog;

  constructor(store: MeetingStore, audit: AuditLog) {
    this.#store = store;
    this.#audit = audit;
  }

  async create(input: { title?: string | undefined; clientAddress: string }): Promise<CreatedMeeting> {
    const passcode = newPasscode();
    const meeting: MeetingInfo = { id: newMeetingId(), title: input.title || 'Meeting' };
    await this.#store.create({
      id: meeting.id,
      title: meeting.title,
      passcode_hash: await hashSecret(passcode),
      host_user_id: null,
      settings: '{}',
      created_at: Date.now(),
    });
    await this.#audit.append({ meetingId: meeting.id, action: 'meeting.created', clientAddress: input.clientAddress });
    return { meeting, passcode };
  }

  /** The meeting, if it exists, has not ended, and `passcode` is its passcode; otherwise meeting_access_denied. */
  async admit(meetingId: string, passcode: string | undefined, clientAddress: string): Promise<MeetingInfo> {
    const record = await this.#store.find(meetingId);
    const ok = await verifySecret(passcode ?? '', record?.passcode_hash ?? (await decoyHash()));
    if (!record || !ok || record.ended_at !== null) {
      await this.#audit.append({
        meetingId: record ? meetingId : null,
        action: 'join.denied',
        clientAddress,
        details: { reason: record ? 'bad-passcode' : 'unknown-meeting', attemptedMeetingId: meetingId },
      });
      throw new ParleyError('meeting_access_denied');
    }
    return { id: record.id, title: record.title };
  }
}
