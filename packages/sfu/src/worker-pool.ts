/**
 * The worker pool: one mediasoup Worker (a C++ process) per slot, each with one WebRtcServer so
 * every WebRTC transport of that worker shares one UDP and one TCP port. Owns the workers' lives:
 * places routers on the least loaded worker, reports a dying worker and replaces it.
 */
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';

export interface WorkerPoolOptions {
  workers: number;
  listenAddress: string;
  announcedAddress: string | undefined;
  port: number | undefined;
  portRange: { min: number; max: number } | undefined;
  workerBin: string | undefined;
  /** A worker died: its routers are gone. Called before the replacement is spawned. */
  onWorkerDied: (slot: WorkerSlot, error: Error) => void;
  onError: (error: unknown) => void;
}

/** One worker and its WebRtcServer; `consumers` counts consumers on all its routers (its load). */
export interface WorkerSlot {
  readonly index: number;
  worker: ms.Worker;
  webRtcServer: ms.WebRtcServer;
  consumers: number;
  routers: number;
}

export class WorkerPool {
  readonly #options: WorkerPoolOptions;
  readonly #slots: WorkerSlot[] = [];
  #closed = false;

  private constructor(options: WorkerPoolOptions) {
    this.#options = options;
  }

  static async create(options: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(options);
    try {
      const count = Math.max(1, options.workers || os.availableParallelism());
      const slots = await Promise.all(Array.from({ length: count }, (_, i) => pool.#spawn(i)));
      pool.#slots.push(...slots);
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  get slots(): readonly WorkerSlot[] {
    return this.#slots;
  }

  /** The worker with the fewest consumers (then routers), skipping `exclude`. */
  leastLoaded(exclude: ReadonlySet<WorkerSlot> = new Set()): WorkerSlot | undefined {
    let best: WorkerSlot | undefined;
    for (const slot of this.#slots) {
      if (exclude.has(slot) || slot.worker.closed) continue;
      if (!best || slot.consumers < best.consumers || (slot.consumers === best.consumers && slot.routers < best.routers)) best = slot;
    }
    return best;
  }

  async createRouter(slot: WorkerSlot, mediaCodecs: ms.RouterRtpCodecCapability[]): Promise<ms.Router> {
    const router = await slot.worker.createRouter({ mediaCodecs });
    slot.routers += 1;
    router.observer.once('close', () => (slot.routers -= 1));
    router.observer.on('newtransport', (transport) => {
      transport.observer.on('newconsumer', (consumer) => {
        slot.consumers += 1;
        consumer.observer.once('close', () => (slot.consumers -= 1));
      });
    });
    return router;
  }

  /** Resident memory (bytes, current) and CPU time (ms) summed over the live workers, and per live worker. */
  async usage(): Promise<{ rss: number; cpuMs: number; workers: { index: number; pid: number; rss: number; cpuMs: number }[] }> {
    const each = await Promise.all(
      this.#slots.map(async (slot) => {
        const { index, worker } = slot;
        if (worker.closed) return undefined;
        const ru = await worker.getResourceUsage().catch(() => undefined);
        const cpuMs = ru ? ru.ru_utime + ru.ru_stime : 0;
        return { index, pid: worker.pid, rss: (await currentRss(worker.pid)) ?? (ru ? ru.ru_maxrss * 1024 : 0), cpuMs };
      }),
    );
    const workers = each.filter((w) => w !== undefined);
    return { ...workers.reduce((a, b) => ({ rss: a.rss + b.rss, cpuMs: a.cpuMs + b.cpuMs }), { rss: 0, cpuMs: 0 }), workers };
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots) slot.worker.close();
  }

  async #spawn(index: number): Promise<WorkerSlot> {
    const { workerBin, listenAddress, announcedAddress, port, portRange } = this.#options;
    const worker = await mediasoup.createWorker({ logLevel: 'warn', ...(workerBin ? { workerBin } : {}) });
    try {
      const listen = (protocol: 'udp' | 'tcp'): ms.TransportListenInfo => ({
        protocol,
        ip: listenAddress,
        ...(announcedAddress ? { announcedAddress } : {}),
        ...(port !== undefined ? { port: port + index } : portRange ? { portRange } : {}),
      });
      const webRtcServer = await worker.createWebRtcServer({ listenInfos: [listen('udp'), listen('tcp')] });
      const slot: WorkerSlot = { index, worker, webRtcServer, consumers: 0, routers: 0 };
      worker.once('died', (error) => this.#died(slot, error));
      return slot;
    } catch (error) {
      worker.close();
      throw error;
    }
  }

  #died(slot: WorkerSlot, error: Error): void {
    if (this.#closed) return;
    this.#options.onWorkerDied(slot, error);
    this.#spawn(slot.index).then(
      (fresh) => {
        if (this.#closed) return fresh.worker.close();
        const at = this.#slots.indexOf(slot);
        if (at >= 0) this.#slots[at] = fresh;
      },
      (spawnError: unknown) => this.#options.onError(spawnError),
    );
  }
}

/** VmRSS of a process from /proc (Linux); undefined elsewhere. getResourceUsage's maxrss is a peak. */
async function currentRss(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}
