/**
 * A Parley server in a child process, for scripts that load it from outside (fuzz, soak): the
 * parent forks this file, gets the server's address and administrator over IPC, and calls a few
 * helpers (create a user or a meeting, probe health, memory, descriptors and leftovers) the same
 * way. A crash of the server is the child's exit, which the parent sees.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CreateMeetingResponse } from '@parley/protocol';
import type { ParleyOptions } from '../packages/server/src/config.js';
import { inProcessTarget, probeInProcess, type FuzzTarget, type ServerProbe } from '../packages/server/src/test-support/fuzz.js';
import { startTestServer, type Credentials, type TestServer } from '../packages/server/src/test-support/server.js';

type Call =
  | { op: 'createUser'; email: string }
  | { op: 'createMeeting'; options: Parameters<TestServer['createMeeting']>[0] & object }
  | { op: 'probe' }
  | { op: 'sfu' }
  | { op: 'close' };

interface Ready {
  kind: 'ready';
  url: string;
  wsUrl: string;
  admin: Credentials;
  pid: number;
}
interface Reply {
  kind: 'reply';
  seq: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export interface ChildServer extends FuzzTarget {
  readonly url: string;
  readonly pid: number;
  sfuStats(): Promise<{ rooms: number; peers: number; tracks: number; subscriptions: number; workerRss: number }>;
  close(): Promise<void>;
  exitCode(): number | null | 'signal';
}

/** Forks a server; resolves once it listens and has its administrator. */
export async function startChildServer(options: ParleyOptions): Promise<ChildServer> {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), ['--serve', JSON.stringify(options)], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let exited: number | null | 'signal' = null;
  let seq = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on('exit', (code, signal) => {
    exited = signal ? 'signal' : code;
    for (const p of pending.values()) p.reject(new Error(`server process exited (${signal ?? code})`));
    pending.clear();
  });
  const ready = await new Promise<Ready>((resolve, reject) => {
    child.on('message', (m: Ready | Reply) => {
      if (m.kind === 'ready') resolve(m);
      else {
        const p = pending.get(m.seq);
        pending.delete(m.seq);
        if (m.ok) p?.resolve(m.value);
        else p?.reject(new Error(m.error));
      }
    });
    child.once('exit', (code) => reject(new Error(`server process exited before it was ready (${code})`)));
  });
  const call = <T>(c: Call): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited !== null) return reject(new Error('server process has exited'));
      const n = ++seq;
      pending.set(n, { resolve: (v) => resolve(v as T), reject });
      child.send({ seq: n, call: c });
    });
  return {
    url: ready.url,
    wsUrl: ready.wsUrl,
    admin: ready.admin,
    pid: ready.pid,
    createUser: (email) => call<Credentials>({ op: 'createUser', email }),
    createMeeting: (opts) => call<CreateMeetingResponse>({ op: 'createMeeting', options: opts as Parameters<TestServer['createMeeting']>[0] & object }),
    probe: () => call<ServerProbe>({ op: 'probe' }),
    sfuStats: () => call({ op: 'sfu' }),
    exited: () => exited !== null,
    exitCode: () => exited,
    async close() {
      if (exited !== null) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      await call({ op: 'close' }).catch(() => undefined);
      await gone;
    },
  };
}

async function serve(options: ParleyOptions): Promise<void> {
  const server = await startTestServer(options);
  const target = inProcessTarget(server);
  const send = (m: Ready | Reply): void => void process.send?.(m);
  process.on('message', (m: { seq: number; call: Call }) => {
    const run = async (): Promise<unknown> => {
      const c = m.call;
      switch (c.op) {
        case 'createUser':
          return server.createUser(c.email);
        case 'createMeeting':
          return target.createMeeting(c.options);
        case 'probe':
          return probeInProcess(server);
        case 'sfu':
          return server.server.sfu.stats();
        case 'close':
          await server.close();
          setImmediate(() => process.exit(0));
          return {};
      }
    };
    run().then(
      (value) => send({ kind: 'reply', seq: m.seq, ok: true, value }),
      (err: unknown) => send({ kind: 'reply', seq: m.seq, ok: false, error: String(err) }),
    );
  });
  process.on('disconnect', () => void server.close().finally(() => process.exit(0)));
  send({ kind: 'ready', url: server.url, wsUrl: server.wsUrl, admin: server.admin, pid: process.pid });
}

if (process.argv[2] === '--serve') await serve(JSON.parse(process.argv[3] ?? '{}') as ParleyOptions);
