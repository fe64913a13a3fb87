#!/usr/bin/env node
/**
 * `npm run parley -- <command>`: administration from the server's shell.
 *   create-admin --email E --name N   the first (or another) organization administrator
 *   create-user  --email E --name N [--role member|external]
 *   audit verify|export|public-key    the tamper-evident audit log (audit/audit-cli.ts)
 *   migrate                           brings the database schema up to date and exits (on PostgreSQL,
 *                                     run it as the role that owns the schema: docs/operations.md)
 * The password comes from PARLEY_PASSWORD, or is read from standard input.
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { CreateUserRequest } from '@parley/protocol';
import { Accounts } from './accounts/accounts.js';
import { AUDIT_USAGE, auditCommand } from './audit/audit-cli.js';
import { SessionStore } from './accounts/sessions.js';
import { UserStore } from './accounts/users.js';
import { configFromEnv, resolveConfig } from './config.js';
import { AuditLog } from './storage/audit.js';
import { openDatabase } from './storage/db.js';

const USAGE = 'usage: parley create-admin|create-user --email EMAIL --name NAME [--role member|external]';

async function readPassword(): Promise<string> {
  if (process.env.PARLEY_PASSWORD) return process.env.PARLEY_PASSWORD;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write('Password (at least 10 characters): ');
  const line = await rl[Symbol.asyncIterator]().next();
  rl.close();
  return typeof line.value === 'string' ? line.value.trim() : '';
}

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      checkpoints: { type: 'string' },
      'public-key': { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
    },
  });
  const command = positionals[0];
  if (command === 'audit') {
    const config = resolveConfig(configFromEnv(process.env));
    const options = { checkpoints: values.checkpoints, publicKey: values['public-key'], from: values.from, to: values.to };
    return auditCommand(positionals[1], options, config, () => openDatabase(config.dataDir, config.databaseUrl)).catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      return 2;
    });
  }
  if (command === 'migrate') {
    const config = resolveConfig(configFromEnv(process.env));
    const db = await openDatabase(config.dataDir, config.databaseUrl).catch((err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      return undefined;
    });
    if (!db) return 1;
    await db.destroy();
    console.log('The database schema is up to date.');
    return 0;
  }
  if (command !== 'create-admin' && command !== 'create-user') {
    console.error(`${USAGE}\n${AUDIT_USAGE}\nusage: parley migrate`);
    return 2;
  }
  const parsed = CreateUserRequest.safeParse({
    email: values.email,
    displayName: values.name,
    password: await readPassword(),
    orgRole: command === 'create-admin' ? 'admin' : (values.role ?? 'member'),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    console.error(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}\n${USAGE}`);
    return 2;
  }
  const config = resolveConfig(configFromEnv(process.env));
  const db = await openDatabase(config.dataDir, config.databaseUrl);
  try {
    const audit = new AuditLog(db);
    const accounts = new Accounts(new UserStore(db), new SessionStore(db), audit);
    const user = await accounts.createUser(null, parsed.data, null);
    console.log(`Created ${user.org_role} ${user.email} (${user.id}).`);
    return 0;
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    return 1;
  } finally {
    await db.destroy();
  }
}

process.exitCode = await main();
