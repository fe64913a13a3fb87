/**
 * Client currency (C1): which web client build this server serves, and which builds it accepts.
 * The server serves the only client, so the build it serves is the newest there is. Its identity,
 * `<version>+<content hash>`, is written by the web build into `build.json` in the web root and
 * compiled into the client, which sends it in `hello`. Builds compare by semantic-version precedence
 * (the `+hash` is build metadata and does not count): a build below the minimum (the policy's
 * `minimumClientBuild`, by default the served build's version) is refused with `update_required`;
 * one at or above it but not the served build is told a new version is available. The web root's
 * `build.json` is watched (fs.watch, and a slow poll in case the watch misses a replacement), so
 * open tabs hear of a deployment within seconds.
 */
import { readFileSync, watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { z } from 'zod';
import type { Logger } from '../log.js';
import type { PolicySource } from '../policy/policy-store.js';
import { TypedEmitter } from '../util/typed-emitter.js';

const BuildFile = z.object({ build: z.string().min(1).max(64) });

/** The version part of a build identity (`0.1.0+abc` → `0.1.0`); null if it is not a semantic version. */
export function versionOf(build: string): string | null {
  const parsed = semver.parse(build);
  return parsed ? parsed.version : null;
}

/** Whether `build` is at least `minimum` (precedence; build metadata ignored). A build that is not a version never is. */
export function meetsMinimum(build: string, minimum: string): boolean {
  const version = semver.valid(build);
  const floor = semver.valid(minimum);
  if (!version || !floor) return false;
  return semver.gte(version, floor);
}

/** Reads `build.json` in the web root; undefined if it is missing or invalid. */
export function readServedBuild(webRoot: string): string | undefined {
  try {
    const parsed = BuildFile.safeParse(JSON.parse(readFileSync(join(webRoot, 'build.json'), 'utf8')));
    return parsed.success && semver.valid(parsed.data.build) ? parsed.data.build : undefined;
  } catch {
    return undefined;
  }
}

interface BuildEvents {
  /** A new build was deployed (`build.json` changed). */
  deployed: [build: string];
}

export class ClientBuilds extends TypedEmitter<BuildEvents> {
  readonly #webRoot: string;
  readonly #policy: PolicySource;
  readonly #log: Logger;
  #served: string;
  #watcher: FSWatcher | undefined;
  #poll: NodeJS.Timeout | undefined;

  /** `fallback`: the build to assume when the web root has no build.json (the server's own). */
  constructor(options: { webRoot: string; policy: PolicySource; log: Logger; fallback: string; pollMs?: number }) {
    super();
    this.#webRoot = options.webRoot;
    this.#policy = options.policy;
    this.#log = options.log;
    this.#served = readServedBuild(options.webRoot) ?? options.fallback;
    try {
      this.#watcher = watch(options.webRoot, (_event, file) => {
        if (file === null || file === 'build.json') this.check();
      });
      this.#watcher.on('error', () => undefined);
      this.#watcher.unref();
    } catch {
      this.#log.info({ webRoot: options.webRoot }, 'web root not watchable; polling build.json');
    }
    this.#poll = setInterval(() => this.check(), options.pollMs ?? 15_000);
    this.#poll.unref();
  }

  /** The build served now. */
  get served(): string {
    return this.#served;
  }

  /** The lowest build accepted: the policy's, or the served build's version. */
  minimum(): string {
    return this.#policy.current().minimumClientBuild ?? versionOf(this.#served) ?? this.#served;
  }

  /** Whether a client's build is accepted. */
  accepts(build: string): boolean {
    return meetsMinimum(build, this.minimum());
  }

  /** Reads build.json again; announces a new build. */
  check(): void {
    const build = readServedBuild(this.#webRoot);
    if (build === undefined || build === this.#served) return;
    this.#served = build;
    this.#log.info({ build }, 'a new web client build is deployed');
    this.emit('deployed', build);
  }

  close(): void {
    this.#watcher?.close();
    clearInterval(this.#poll);
    this.removeAllListeners();
  }
}
