/**
 * Schema migrations, as code, applied in order at start. Never edit one that has shipped: add another.
 * One list for SQLite and PostgreSQL (storage/dialect.ts): schema-builder DDL is written once (on
 * PostgreSQL `integer` is BIGINT and `autoIncrement()` an identity column); raw SQL, such as the
 * triggers, has a branch per engine (`engineOf(db)`), and the SQLite branch is what shipped.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { chainHash, GENESIS, recordOfRow, type AuditRow } from '../audit/chain.js';
import { appendOnlyPostgres, createRefuseFunction, engineOf, refuseTrigger } from './dialect.js';

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
      if (engineOf(db) === 'postgres') {
        await createRefuseFunction(db);
        await appendOnlyPostgres(db, 'audit_events');
        return;
      }
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
      if (engineOf(db) === 'postgres') {
        await refuseTrigger(db, {
          name: 'meetings_sensitivity_never_lowered',
          table: 'meetings',
          event: 'UPDATE OF sensitivity',
          when: "OLD.sensitivity = 'sensitive' AND NEW.sensitivity <> 'sensitive'",
          message: 'a sensitive meeting stays sensitive',
        });
        return;
      }
      await sql`CREATE TRIGGER meetings_sensitivity_never_lowered BEFORE UPDATE OF sensitivity ON meetings
        WHEN OLD.sensitivity = 'sensitive' AND NEW.sensitivity <> 'sensitive'
        BEGIN SELECT RAISE(ABORT, 'a sensitive meeting stays sensitive'); END`.execute(db);
    },
  },
  '0007_audit_chain': {
    async up(db: Kysely<unknown>): Promise<void> {
      // The hash chain (audit/chain.ts): every row carries hash_n = SHA-256(hash_{n-1} || JCS(record)).
      const postgres = engineOf(db) === 'postgres';
      await db.schema.alterTable('audit_events').addColumn('hash', 'text').execute();
      // Backfill in seq order: the append-only triggers step aside for this migration only.
      if (postgres) await sql`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update`.execute(db);
      else await sql`DROP TRIGGER audit_events_no_update`.execute(db);
      let previous = GENESIS;
      const rows = await sql<AuditRow>`SELECT seq, at, meeting_id, actor, action, target, client_address, details, hash FROM audit_events ORDER BY seq`.execute(db);
      for (const row of rows.rows) {
        const record = recordOfRow(row);
        if ('problem' in record) throw new Error(`audit record ${row.seq}: ${record.problem}`);
        previous = chainHash(previous, record);
        await sql`UPDATE audit_events SET hash = ${previous} WHERE seq = ${row.seq}`.execute(db);
      }
      if (postgres) {
        await sql`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update`.execute(db);
        await refuseTrigger(db, { name: 'audit_events_hash_required', table: 'audit_events', event: 'INSERT', when: 'NEW.hash IS NULL', message: 'audit_events rows are chained: hash required' });
      } else {
        await sql`CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
        BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_events_hash_required BEFORE INSERT ON audit_events WHEN NEW.hash IS NULL
        BEGIN SELECT RAISE(ABORT, 'audit_events rows are chained: hash required'); END`.execute(db);
      }
      // Signed checkpoints over the chain (audit/signing.ts); append-only as well.
      await db.schema
        .createTable('audit_checkpoints')
        .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement())
        .addColumn('tree_size', 'integer', (c) => c.notNull())
        .addColumn('head_hash', 'text', (c) => c.notNull())
        .addColumn('at', 'integer', (c) => c.notNull())
        .addColumn('key_id', 'text', (c) => c.notNull())
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
      if (postgres) {
        await appendOnlyPostgres(db, 'audit_checkpoints');
      } else {
        await sql`CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
        BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
        BEGIN SELECT RAISE(ABORT, 'audit_checkpoints is append-only'); END`.execute(db);
      }
      await db.schema.createIndex('audit_events_at').on('audit_events').column('at').execute();
    },
  },
  '0008_oidc': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Single sign-on: an account's identities at OpenID Providers, linked by (issuer, subject) and
      // by nothing else once linked.
      await db.schema
        .createTable('user_identities')
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('email', 'text')
        .addColumn('created_at', 'integer', (c) => c.notNull())
        .addColumn('last_used_at', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('user_identities_pk', ['issuer', 'subject'])
        .execute();
      await db.schema.createIndex('user_identities_user').on('user_identities').column('user_id').execute();
      // Sign-ins in progress (state, nonce, PKCE verifier): single-use rows, deleted when used or expired.
      await db.schema
        .createTable('oidc_logins')
        .addColumn('handle_hash', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('code_verifier', 'text', (c) => c.notNull())
        .addColumn('redirect_uri', 'text', (c) => c.notNull())
        .addColumn('next', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .alterTable('sessions')
        .addColumn('auth_method', 'text', (c) => c.notNull().defaultTo('password').check(sql`auth_method IN ('password', 'oidc')`))
        .execute();
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
  '0009_clients': {
    async up(db: Kysely<unknown>): Promise<void> {
      // Connected clients counted every minute (C1: how many are outdated, by build and browser), kept 30 days.
      await db.schema
        .createTable('client_samples')
        .addColumn('at', 'integer', (c) => c.primaryKey())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addColumn('outdated', 'integer', (c) => c.notNull())
        .addColumn('by_build', 'text', (c) => c.notNull())
        .addColumn('by_browser', 'text', (c) => c.notNull())
        .addColumn('outdated_by_browser', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0011_audit_signin_index': {
    async up(db: Kysely<unknown>): Promise<void> {
      // The People list reads each account's last `signin` event (accounts/sign-in-facts.ts).
      await db.schema.createIndex('audit_events_actor_action').on('audit_events').columns(['actor', 'action', 'seq']).execute();
    },
  },
};
