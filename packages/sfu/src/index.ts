/** @parley/sfu: Parley's media plane. Room logic sees only SfuControl (see types.ts). */
import { Sfu } from './sfu.js';
import type { SfuControl, SfuOptions } from './types.js';

export type * from './types.js';
export { SfuError, type SfuErrorCode } from './errors.js';

/** Creates an SFU in this process. Throws SfuError('invalid-argument') for bad options. */
export function createSfu(options: SfuOptions = {}): SfuControl {
  return new Sfu(options);
}
