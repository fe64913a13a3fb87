/**
 * The resume credential of this tab's meeting, in sessionStorage (per tab, gone when the tab
 * closes), with what a reload needs to come back the same way: devices and whether they were on,
 * and the name. The token is single-use and short-lived, and is replaced on every `resumeToken`
 * event and every resume; it is cleared when the session ends (leave, removal, end, expiry). The
 * meeting's passcode is never stored.
 */
import { z } from 'zod';

const KEY = 'parley.resume.v1';

const StoredResume = z.object({
  meetingId: z.string().max(64),
  participantId: z.string().max(64),
  token: z.string().min(16).max(128),
  windowSeconds: z.number().int().positive(),
  micOn: z.boolean(),
  camOn: z.boolean(),
  cameraId: z.string().max(256),
  micId: z.string().max(256),
  speakerId: z.string().max(256),
  displayName: z.string().max(64).nullable(),
});
export type StoredResume = z.infer<typeof StoredResume>;

/** What a reload of `meetingId` may resume with, if this tab holds it. */
export function loadResume(meetingId: string, storage: Storage | null = sessionStorageOrNull()): StoredResume | null {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return null;
    const parsed = StoredResume.safeParse(JSON.parse(raw));
    return parsed.success && parsed.data.meetingId === meetingId ? parsed.data : null;
  } catch {
    return null;
  }
}

export function saveResume(value: StoredResume, storage: Storage | null = sessionStorageOrNull()): void {
  try {
    storage?.setItem(KEY, JSON.stringify(value));
  } catch {
    // Storage may be disabled: a reload then goes through pre-join, as without a credential.
  }
}

/** Forgets the stored credential; with `participantId`, only if it is that participant's (not a newer session's). */
export function clearResume(storage: Storage | null = sessionStorageOrNull(), participantId?: string): void {
  try {
    if (participantId !== undefined) {
      const raw = storage?.getItem(KEY);
      const stored = raw ? StoredResume.safeParse(JSON.parse(raw)) : null;
      if (stored?.success && stored.data.participantId !== participantId) return;
    }
    storage?.removeItem(KEY);
  } catch {
    // As above.
  }
}

function sessionStorageOrNull(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}
