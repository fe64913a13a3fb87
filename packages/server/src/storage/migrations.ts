/** Schema migrations, as code, applied in order at start. Never edit one that has shipped: add another. */
import { sql, type Kysely, type Migration } from 'kysely';

export const migrations: Record<string, Migration> = {
  '0001_meetings': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('meetings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('passcode_hash', 'text')
        .addColumn('host_user_id', 'text')
        .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('ended_at', 'integer')
        .execute();
    },
  },
  '0002_audit_events': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('audit_events')
        .addColumn('seq', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('at', 'integer', (c) => c.notNull())
        .addColumn('meeting_id', 'text')
        .addColumn('actor', 'text')
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('client_address', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_meeting').on('audit_events').columns(['meeting_id', 'seq']).execute();
      // Append-only: the database itself refuses to rewrite history.
      await sql`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);
      await sql`CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);
    },
  },
  '0003_accounts': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('users')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('org_role', 'text', (c) => c.notNull().check(sql`org_role IN ('admin', 'member', 'external')`))
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('sessions')
        .addColumn('token_hash', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('expires_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0004_moderation': {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('meeting_bans')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('device_id', 'text')
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('identity', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('lifted_at', 'integer')
        .execute();
      await db.schema.createIndex('meeting_bans_meeting').on('meeting_bans').column('meeting_id').execute();
      await db.schema
        .createTable('reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('reporter', 'text', (c) => c.notNull())
        .addColumn('target_user_id', 'text')
        .addColumn('target_name', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .execute();
    },
  },
  '0005_resume': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Resume credentials: what lets a participant come back as themselves after a dropped
      // socket, a reload or a server restart. Only a SHA-256 of the random token is kept.
      await db.schema
        .createTable('resume_credentials')
        .addColumn('participant_id', 'text', (c) => c.primaryKey())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull())
        .addColumn('participant', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('resume_credentials_meeting').on('resume_credentials').column('meeting_id').execute();
      // The live lock is a security decision: it survives a restart.
      await db.schema.alterTable('meetings').addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  },
  '0006_sensitivity': {
    async up(db: Kysely<unknown>): Promise<void> {
      // A meeting's sensitivity class (C8). Set at creation and only ever raised: the database itself
      // refuses to lower it, whatever the code above it does.
      await db.schema
        .alterTable('meetings')
        .addColumn('sensitivity', 'text', (c) => c.notNull().defaultTo('standard').check(sql`sensitivity IN ('standard', 'sensitive')`))
        .execute();
      await sql`CREATE TRIGGER meetings_sensitivity_never_lowered BEFORE UPDATE OF sensitivity ON meetings
        WHEN OLD.sensitivity = 'sensitive' AND NEW.sensitivity <> 'sensitive'
        BEGIN SELECT RAISE(ABORT, 'a sensitive meeting stays sensitive'); END`.execute(db);
    },
  },
  '0010_account_admin': {
    async up(db: Kysely<unknown>): Promise<void> {
      // An administrator closes a report with a resolution; who and when are kept with it.
      await db.schema.alterTable('reports').addColumn('closed_at', 'integer').execute();
      await db.schema.alterTable('reports').addColumn('closed_by', 'text').execute();
      await db.schema.alterTable('reports').addColumn('resolution', 'text').execute();
    },
  },
};
