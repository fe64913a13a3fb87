/** The bench's side of a peer process: spawn it with a job, ask it for stats, stop it. */
import { fork, type ChildProcess } from 'node:child_process';
import type { ChildMessage, LayerStat, PeerStats } from './peer-ipc.js';
import type { PeerJob } from './peer-process.js';
import { withTimeout } from './util.js';

const entry = new URL('./peer-process.ts', import.meta.url).pathname;

export class PeerProcess {
  readonly child: ChildProcess;
  readonly #messages: ChildMessage[] = [];
  readonly #waiters: { match: (m: ChildMessage) => boolean; resolve: (m: ChildMessage) => void }[] = [];
  #exited = false;

  constructor(job: PeerJob) {
    this.child = fork(entry, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, BENCH_PEER_JOB: JSON.stringify(job) },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    this.child.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    this.child.on('message', (m: ChildMessage) => {
      const i = this.#waiters.findIndex((w) => w.match(m));
      if (i >= 0) this.#waiters.splice(i, 1)[0]?.resolve(m);
      else this.#messages.push(m);
    });
    this.child.once('exit', (code) => {
      this.#exited = true;
      const error: ChildMessage = { type: 'error', message: `peer process exited (${code}) ${stderr.trim().split('\n').slice(-3).join(' | ')}` };
      for (const w of this.#waiters.splice(0)) w.resolve(error);
    });
  }

  #next(match: (m: ChildMessage) => boolean, timeoutMs: number): Promise<ChildMessage> {
    const i = this.#messages.findIndex((m) => match(m) || m.type === 'error');
    if (i >= 0) return Promise.resolve(this.#messages.splice(i, 1)[0] as ChildMessage);
    if (this.#exited) return Promise.resolve({ type: 'error', message: 'peer process exited' });
    return withTimeout(
      new Promise<ChildMessage>((resolve) => this.#waiters.push({ match: (m) => match(m) || m.type === 'error', resolve })),
      timeoutMs,
      'peer process reply',
    );
  }

  /** Resolves when the peers are started: the feed id (Janus publisher) and the failures. */
  async ready(timeoutMs = 180_000): Promise<{ feed: number; failures: string[] }> {
    const m = await this.#next((x) => x.type === 'ready', timeoutMs);
    if (m.type === 'error') throw new Error(m.message);
    return m.type === 'ready' ? { feed: m.feed ?? 0, failures: m.failures } : { feed: 0, failures: [] };
  }

  async result(timeoutMs: number): Promise<number[]> {
    const m = await this.#next((x) => x.type === 'result', timeoutMs);
    if (m.type === 'error') throw new Error(m.message);
    return m.type === 'result' ? m.values : [];
  }

  async stats(timeoutMs = 20_000): Promise<{ peers: PeerStats[]; layers: LayerStat[] }> {
    if (this.#exited) return { peers: [], layers: [] };
    const reply = this.#next((x) => x.type === 'stats', timeoutMs);
    this.child.send({ type: 'stats' });
    const m = await reply;
    return m.type === 'stats' ? { peers: m.peers, layers: m.layers } : { peers: [], layers: [] };
  }

  async stop(): Promise<void> {
    if (this.#exited) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'stop' });
    await Promise.race([exited, new Promise((r) => setTimeout(r, 8000))]);
    if (!this.#exited) this.child.kill('SIGKILL');
  }
}
