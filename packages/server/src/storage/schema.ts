/** The database's tables as Kysely sees them. */
import type { AuthMethod, Sensitivity } from '@parley/protocol';
import type { Generated } from 'kysely';

export interface MeetingsTable {
  id: string;
  title: string;
  /** scrypt hash of the passcode (see util/secrets.ts); never the passcode itself. Null for public meetings. */
  passcode_hash: string | null;
  /** The account that created the meeting and hosts it; null for meetings created without an account. */
  host_user_id: string | null;
  /** JSON of the meeting's own settings (see meetings/settings.ts). */
  settings: string;
  created_at: number;
  ended_at: number | null;
  /** 1 while a host has the meeting locked (kept across restarts). */
  locked: Generated<number>;
  /** The sensitivity class (C8); a trigger refuses to lower it. */
  sensitivity: Generated<Sensitivity>;
}

export interface AuditTable {
  seq: Generated<number>;
  at: number;
  meeting_id: string | null;
  actor: string | null;
  action: string;
  target: string | null;
  client_address: string | null;
  details: string;
  /** hex SHA-256 chaining this row to the one before (audit/chain.ts). */
  hash: string | null;
}

/** A signed checkpoint over the audit chain (audit/signing.ts). */
export interface AuditCheckpointsTable {
  id: Generated<number>;
  tree_size: number;
  head_hash: string;
  at: number;
  key_id: string;
  /** Ed25519, base64. */
  signature: string;
}

/** Organization role: admins manage accounts; members host meetings; external users only attend. */
export type OrgRole = 'admin' | 'member' | 'external';

export interface UsersTable {
  id: string;
  /** Lower-cased. */
  email: string;
  display_name: string;
  password_hash: string;
  org_role: OrgRole;
  created_at: number;
  disabled: number;
}

export interface SessionsTable {
  /** SHA-256 of the session token; the token itself lives only in the browser's HttpOnly cookie. */
  token_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  /** How the session was made ('password' for sessions from before migration 0008). */
  auth_method: Generated<AuthMethod>;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface MeetingBansTable {
  id: string;
  meeting_id: string;
  user_id: string | null;
  /** The removed browser's `parley_device` cookie. */
  device_id: string | null;
  display_name: string;
  identity: string;
  created_at: number;
  lifted_at: number | null;
}

export interface ReportsTable {
  id: string;
  meeting_id: string;
  reporter: string;
  target_user_id: string | null;
  target_name: string;
  note: string;
  created_at: number;
  /** Set when an administrator closes the report (migration 0010). */
  closed_at: number | null;
  closed_by: string | null;
  resolution: string | null;
}

export interface ResumeCredentialsTable {
  participant_id: string;
  meeting_id: string;
  /** SHA-256 (hex) of the resume token; the token itself lives only in the client's tab. */
  token_hash: string;
  /** JSON of who the participant is and their role (storage/resume.ts). */
  participant: string;
  expires_at: number;
}

/** One minute's count of connected clients (JSON objects of counts by build and by browser+major). */
export interface ClientSamplesTable {
  at: number;
  total: number;
  outdated: number;
  by_build: string;
  by_browser: string;
  /** The outdated ones only, by browser+major. */
  outdated_by_browser: string;
}

/** An account's identity at an OpenID Provider: the (issuer, subject) pair that signs it in (migration 0008). */
export interface UserIdentitiesTable {
  issuer: string;
  subject: string;
  user_id: string;
  /** The verified email the provider gave when the identity was linked (for administrators; never used to sign in). */
  email: string | null;
  created_at: number;
  last_used_at: number;
}

/** A single sign-on in progress: single-use, short-lived, found by the SHA-256 of the browser's handle cookie. */
export interface OidcLoginsTable {
  handle_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  next: string;
  expires_at: number;
}

export interface Database {
  meetings: MeetingsTable;
  resume_credentials: ResumeCredentialsTable;
  audit_events: AuditTable;
  audit_checkpoints: AuditCheckpointsTable;
  users: UsersTable;
  sessions: SessionsTable;
  settings: SettingsTable;
  meeting_bans: MeetingBansTable;
  reports: ReportsTable;
  client_samples: ClientSamplesTable;
  user_identities: UserIdentitiesTable;
  oidc_logins: OidcLoginsTable;
}
