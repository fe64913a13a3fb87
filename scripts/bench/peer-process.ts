/**
 * A peer process: runs the publisher or subscribers the bench asks for (the job comes as JSON in
 * BENCH_PEER_JOB), outside the bench's and the server's processes so their CPU is counted apart.
 * Answers `stats` requests over IPC; exits on `stop` or when the parent goes away.
 */
import type { ChildMessage, LayerStat, ParentMessage, PeerJob, PeerStats } from './peer-ipc.js';
import { JanusPublisher, JanusSession, JanusSubscriber } from './janus-peer.js';
import { ParleyPeer } from './parley-peer.js';
import { sleep, until, withTimeout } from './util.js';

/** The job this process runs (re-exported so the parent's import type-checks this file). */
export type { PeerJob } from './peer-ipc.js';

const job = JSON.parse(process.env.BENCH_PEER_JOB ?? '{}') as PeerJob;
const send = (m: ChildMessage): void => {
  process.send?.(m);
};

interface Running {
  stats(): Promise<PeerStats[]>;
  layers(): Promise<LayerStat[]>;
  close(): Promise<void>;
}

/** Starts `count` things `concurrency` at a time; failures are reported, not fatal. */
async function startAll<T>(items: T[], concurrency: number, start: (item: T) => Promise<void>): Promise<string[]> {
  const failures: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.max(1, concurrency) }, async () => {
      while (next < items.length) {
        const item = items[next++] as T;
        await withTimeout(start(item), 60_000, 'peer start').catch((e: unknown) => failures.push(e instanceof Error ? e.message : String(e)));
      }
    }),
  );
  return failures;
}

async function run(): Promise<Running> {
  switch (job.role) {
    case 'parley': {
      const peers = job.peers.map(
        (spec) =>
          new ParleyPeer({ wsUrl: job.wsUrl, meetingId: job.meetingId, passcode: job.passcode, localAddress: job.localAddress, name: spec.name, audio: spec.audio, video: spec.video, width: job.width, height: job.height, layer: job.layer }),
      );
      const failures = await startAll(peers, job.concurrency, (p) => p.start());
      send({ type: 'ready', failures });
      return {
        stats: () => Promise.all(peers.map((p) => p.stats())),
        layers: async () => (await Promise.all(peers.map((p) => p.layers()))).flat(),
        close: async () => {
          await Promise.all(peers.map((p) => p.close()));
        },
      };
    }
    case 'parley-first-frame': {
      const values: number[] = [];
      for (let i = 0; i < job.runs; i++) {
        const peer = new ParleyPeer({ wsUrl: job.wsUrl, meetingId: job.meetingId, passcode: job.passcode, localAddress: job.localAddress, name: `Joiner ${i + 1}`, audio: false, video: false, width: 0, height: 0, layer: 'high', decode: true });
        try {
          await peer.start();
          const ok = await until(() => peer.firstFrameAt !== undefined, 20_000, 5);
          values.push(ok && peer.firstFrameAt !== undefined ? peer.firstFrameAt - peer.joinSentAt : NaN);
        } catch {
          values.push(NaN);
        }
        await peer.close();
        await sleep(500);
      }
      send({ type: 'result', values });
      return { stats: async () => [], layers: async () => [], close: async () => undefined };
    }
    case 'janus-publisher': {
      const session = await JanusSession.create(job.url);
      const publisher = new JanusPublisher();
      await publisher.start(session, job.room, job.width, job.height);
      send({ type: 'ready', feed: publisher.feed, failures: [] });
      return {
        stats: async () => [],
        layers: () => publisher.layers(),
        close: async () => {
          publisher.close();
          await session.destroy();
        },
      };
    }
    case 'janus-subscribers': {
      const session = await JanusSession.create(job.url);
      const subs = Array.from({ length: job.count }, () => new JanusSubscriber());
      const failures = await startAll(subs, job.concurrency, (s) => s.start(session, job.room, job.feed));
      send({ type: 'ready', failures });
      return {
        stats: () => Promise.all(subs.map((s) => s.stats())),
        layers: async () => [],
        close: async () => {
          for (const s of subs) s.close();
          await session.destroy();
        },
      };
    }
  }
}

process.on('disconnect', () => process.exit(0));
try {
  const running = await run();
  process.on('message', (m: ParentMessage) => {
    if (m.type === 'stats') {
      void Promise.all([running.stats(), running.layers()]).then(([peers, layers]) => send({ type: 'stats', peers, layers }));
    } else if (m.type === 'stop') {
      void withTimeout(running.close(), 5000, 'close')
        .catch(() => undefined)
        .then(() => process.exit(0));
    }
  });
} catch (e) {
  send({ type: 'error', message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  await sleep(100);
  process.exit(1);
}
