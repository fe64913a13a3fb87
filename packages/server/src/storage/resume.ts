/**
 * Resume credentials, the resume_credentials table's one owner. A credential is a random token
 * bound to one participant of one meeting; only its SHA-256 is stored. It is single-use (taking it
 * deletes it; the room issues the next), short-lived (`expires_at`), and revoked when the
 * participant leaves, is removed, or the meeting ends. It survives a server restart, so people come
 * back as themselves, with their role, once the server answers again.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { IdentityKind, Role } from '@parley/protocol';
import { z } from 'zod';
import type { Db } from './db.js';

/** Who the participant was, as the room needs it to take them back. */
export const ResumedParticipant = z.object({
  meetingId: z.string(),
  participantId: z.string(),
  role: Role,
  identity: IdentityKind,
  userId: z.string().nullable(),
  email: z.string().nullable(),
  displayName: z.string(),
  deviceId: z.string().nullable(),
  handRaised: z.boolean(),
});
export type ResumedParticipant = z.infer<typeof ResumedParticipant>;

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}

export class ResumeStore {
  readonly #db: Db;
  readonly #now: () => number;

  constructor(db: Db, now: () => number = Date.now) {
    this.#db = db;
    this.#now = now;
  }

  /** Issues a fresh token for `participant` (replacing any earlier one), valid for `ttlMs`. */
  async issue(participant: ResumedParticipant, ttlMs: number): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const row = {
      participant_id: participant.participantId,
      meeting_id: participant.meetingId,
      token_hash: digest(token).toString('hex'),
      participant: JSON.stringify(participant),
      expires_at: this.#now() + ttlMs,
    };
    await this.#db
      .insertInto('resume_credentials')
      .values(row)
      .onConflict((oc) => oc.column('participant_id').doUpdateSet({ token_hash: row.token_hash, participant: row.participant, expires_at: row.expires_at }))
      .execute();
    return token;
  }

  /** Updates what is remembered of a participant (role, name, hand) without changing the token. */
  async update(participant: ResumedParticipant): Promise<void> {
    await this.#db
      .updateTable('resume_credentials')
      .set({ participant: JSON.stringify(participant) })
      .where('participant_id', '=', participant.participantId)
      .execute();
  }

  /**
   * Verifies and consumes a credential: the participant if `token` is theirs, for `meetingId`, and
   * unexpired; otherwise null. Either way a presented valid token cannot be used twice.
   */
  async take(meetingId: string, participantId: string, token: string): Promise<ResumedParticipant | null> {
    const row = await this.#db.selectFrom('resume_credentials').selectAll().where('participant_id', '=', participantId).executeTakeFirst();
    if (!row) return null;
    const expected = Buffer.from(row.token_hash, 'hex');
    const actual = digest(token);
    const matches = expected.length === actual.length && timingSafeEqual(expected, actual);
    if (!matches || row.meeting_id !== meetingId) return null;
    // Delete only the row that matched, so two racing resumes with one token cannot both win.
    const deleted = await this.#db
      .deleteFrom('resume_credentials')
      .where('participant_id', '=', participantId)
      .where('token_hash', '=', row.token_hash)
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1 || row.expires_at < this.#now()) return null;
    const parsed = ResumedParticipant.safeParse(JSON.parse(row.participant));
    return parsed.success ? parsed.data : null;
  }

  async revoke(participantId: string): Promise<void> {
    await this.#db.deleteFrom('resume_credentials').where('participant_id', '=', participantId).execute();
  }

  async revokeMeeting(meetingId: string): Promise<void> {
    await this.#db.deleteFrom('resume_credentials').where('meeting_id', '=', meetingId).execute();
  }

  /** Drops expired credentials (called now and then; an expired one is refused anyway). */
  async sweep(): Promise<void> {
    await this.#db.deleteFrom('resume_credentials').where('expires_at', '<', this.#now()).execute();
  }
}
