/** The JSON HTTP API's bodies. */
import { z } from 'zod';
import { MeetingId } from './ids.js';
import { MeetingSettings, MeetingSettingsPatch, Sensitivity } from './model.js';
import { AuthMethod } from './oidc.js';

/** A host-chosen passcode: at least 8 characters and about 40 bits by a simple estimate (see passcodeStrength). */
export const MIN_PASSCODE_BITS = 40;

/** A rough strength estimate: length x log2(size of the character classes used); 0 for one repeated character. */
export function passcodeStrength(passcode: string): number {
  if (new Set(passcode).size <= 1) return 0;
  let pool = 0;
  if (/[a-z]/.test(passcode)) pool += 26;
  if (/[A-Z]/.test(passcode)) pool += 26;
  if (/[0-9]/.test(passcode)) pool += 10;
  if (/[^a-zA-Z0-9]/.test(passcode)) pool += 33;
  return passcode.length * Math.log2(pool);
}

export const ChosenPasscode = z
  .string()
  .min(8, 'a passcode needs at least 8 characters')
  .max(128)
  .refine((p) => passcodeStrength(p) >= MIN_PASSCODE_BITS, 'passcode too weak: make it longer or mix letters, digits and symbols');

export const CreateMeetingRequest = z
  .object({
    title: z.string().trim().max(200).optional(),
    /** Omit to get a generated one (recommended). Ignored for public meetings. */
    passcode: ChosenPasscode.optional(),
    settings: MeetingSettingsPatch.optional(),
    /** The meeting's class; omit for `standard`. `sensitive` refuses settings that weaken what it forces. */
    sensitivity: Sensitivity.optional(),
  })
  .strict();
export type CreateMeetingRequest = z.infer<typeof CreateMeetingRequest>;

export const CreateMeetingResponse = z.object({
  id: MeetingId,
  title: z.string(),
  /** Shown once: the server keeps only a salted hash. Null for public meetings. */
  passcode: z.string().nullable(),
  /** The link to share; the passcode rides in the fragment (`#pwd=`), never in a request. */
  joinUrl: z.string(),
  settings: MeetingSettings,
});
export type CreateMeetingResponse = z.infer<typeof CreateMeetingResponse>;

export const OrgRole = z.enum(['admin', 'member', 'external']);
export type OrgRole = z.infer<typeof OrgRole>;

export const Email = z.string().trim().toLowerCase().max(254).pipe(z.email());
export const Password = z.string().min(10, 'a password needs at least 10 characters').max(256);

export const UserInfo = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  orgRole: OrgRole,
});
export type UserInfo = z.infer<typeof UserInfo>;

export const SignInRequest = z.object({ email: Email, password: z.string().min(1).max(256) }).strict();

/** `GET /api/session`, and the answer to sign-in. Send `csrfToken` as `x-csrf-token` on every state-changing request. */
export const SessionInfo = z.object({
  user: UserInfo.nullable(),
  csrfToken: z.string().nullable(),
  /** True until the first administrator exists (then see the setup link printed at start). */
  setupRequired: z.boolean(),
  /** How this session was made (null when signed out). */
  authMethod: AuthMethod.nullable(),
  /** For single sign-on sessions: the provider's name (as on the sign-in button); otherwise null. */
  authProvider: z.string().nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const CreateUserRequest = z
  .object({
    email: Email,
    displayName: z.string().trim().min(1).max(64),
    password: Password,
    orgRole: OrgRole.default('member'),
  })
  .strict();

/** First start: create the first administrator with the one-time token printed by the server. */
export const SetupRequest = z
  .object({ token: z.string().min(1).max(200), email: Email, displayName: z.string().trim().min(1).max(64), password: Password })
  .strict();

export const ApiError = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
