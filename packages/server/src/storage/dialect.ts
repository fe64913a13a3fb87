/**
 * What differs between the two storage engines, in one place: embedded SQLite (the default) and
 * PostgreSQL (PARLEY_DATABASE_URL). Migrations (storage/migrations.ts) are one list for both:
 *   - schema-builder DDL is written once; on PostgreSQL `PostgresDdl` turns `integer` into `bigint`
 *     (epoch milliseconds do not fit in PostgreSQL's 32-bit integer) and `autoIncrement()` into an
 *     identity column, so what SQLite builds stays exactly what it was;
 *   - raw SQL (triggers) is chosen per engine with `engineOf(db)`; PostgreSQL's refusals go through
 *     `refuseTrigger`, one trigger function that raises the message it is given.
 */
import {
  GeneratedNode,
  DataTypeNode,
  OperationNodeTransformer,
  PostgresAdapter,
  sql,
  type ColumnDefinitionNode,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

export type Engine = 'sqlite' | 'postgres';

/** Which engine a Kysely instance (or transaction) talks to. */
export function engineOf(db: Pick<Kysely<unknown>, 'getExecutor'>): Engine {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

class PostgresDdlTransformer extends OperationNodeTransformer {
  protected override transformDataType(node: DataTypeNode): DataTypeNode {
    return node.dataType === 'integer' ? DataTypeNode.create('bigint') : node;
  }

  protected override transformColumnDefinition(node: ColumnDefinitionNode, queryId?: QueryId): ColumnDefinitionNode {
    const column = super.transformColumnDefinition(node, queryId);
    if (!column.autoIncrement) return column;
    // SQLite's INTEGER PRIMARY KEY AUTOINCREMENT: never reuses a value. An identity column (by
    // default, so the audit log can write its explicit seq) is PostgreSQL's equivalent.
    return { ...column, autoIncrement: false, generated: GeneratedNode.create({ byDefault: true, identity: true }) };
  }
}

/** For migrations on PostgreSQL only: see the file's comment. */
export class PostgresDdl implements KyselyPlugin {
  readonly #transformer = new PostgresDdlTransformer();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

/** The PostgreSQL trigger function every refusal uses: raises its first argument, changes nothing. */
export async function createRefuseFunction(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE OR REPLACE FUNCTION parley_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation'; END $$`.execute(db);
}

export interface Refusal {
  name: string;
  table: string;
  /** The statement refused; TRUNCATE is refused per statement, the others per row. */
  event: 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE' | 'UPDATE OF sensitivity';
  /** A row condition (PostgreSQL `WHEN (...)`), trusted SQL from a migration, never user input. */
  when?: string;
  message: string;
}

/** A PostgreSQL BEFORE trigger that refuses `event` on `table` (createRefuseFunction first). */
export async function refuseTrigger(db: Kysely<unknown>, refusal: Refusal): Promise<void> {
  const level = refusal.event === 'TRUNCATE' ? 'STATEMENT' : 'ROW';
  const when = refusal.when ? sql` WHEN (${sql.raw(refusal.when)})` : sql``;
  await sql`CREATE TRIGGER ${sql.id(refusal.name)} BEFORE ${sql.raw(refusal.event)} ON ${sql.table(refusal.table)}
    FOR EACH ${sql.raw(level)}${when} EXECUTE FUNCTION parley_refuse(${sql.lit(refusal.message)})`.execute(db);
}

/** The append-only refusals of an audit table on PostgreSQL: no UPDATE, DELETE or TRUNCATE. */
export async function appendOnlyPostgres(db: Kysely<unknown>, table: string): Promise<void> {
  for (const event of ['UPDATE', 'DELETE', 'TRUNCATE'] as const) {
    await refuseTrigger(db, { name: `${table}_no_${event.toLowerCase()}`, table, event, message: `${table} is append-only` });
  }
}

/** An insert refused because `table`'s primary key value was already taken (either engine). */
export function isPrimaryKeyConflict(err: unknown, table: string): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, constraint } = err as { code?: unknown; constraint?: unknown };
  // PostgreSQL: unique_violation on the table's primary key (named <table>_pkey by default).
  return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || (code === '23505' && constraint === `${table}_pkey`);
}

/** PostgreSQL advisory locks Parley takes, as (namespace, key) pairs; the namespace is "Parl" in ASCII. */
export const LOCK_NAMESPACE = 0x5061726c;
export const LOCKS = {
  /** Read the audit chain's head and append to it: one writer at a time across every process and node. */
  auditChain: 1,
  /** An administrator's change guarded by "another active administrator remains". */
  adminChanges: 2,
  /** The first administrator's creation on a fresh install: "no account yet" and the insert as one. */
  firstAdmin: 3,
} as const;

/**
 * Serializes the rest of transaction `trx` with every other holder of `lock`, until it commits or
 * rolls back. PostgreSQL runs transactions concurrently (READ COMMITTED: each statement after the
 * lock sees what the previous holder committed). SQLite needs nothing: Kysely's SQLite driver has one
 * connection, and a transaction keeps it until it ends.
 */
export async function lockForTransaction(trx: Pick<Kysely<unknown>, 'getExecutor'>, lock: keyof typeof LOCKS): Promise<void> {
  if (engineOf(trx) !== 'postgres') return;
  await sql`SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}::int4, ${LOCKS[lock]}::int4)`.execute(trx);
}
