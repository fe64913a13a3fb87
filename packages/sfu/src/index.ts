/** @parley/sfu: Parley's media plane. Room logic sees only SfuControl (see types.ts). */
import { Sfu } from './sfu.js';
import type { SfuControl, SfuOptions } from './types.js';

export type * from './types.js';
export { SfuError, type SfuErrorCode } from './errors.js';

/**
 * Starts the media plane in this process: spawns the workers and their WebRtcServers. Rejects
 * if a worker cannot start (missing binary, port taken).
 */
export async function createSfu(options: SfuOptions = {}): Promise<SfuControl> {
  return Sfu.create(options);
}
