/**
 * Follows devices being plugged in and removed during a meeting (`devicechange`): when the camera,
 * microphone or speaker in use disappears, the session falls back to the browser's default one and
 * says so. The remembered choice (prefs) is kept, so the device is chosen again next time it is there.
 * Newly plugged devices need nothing here: the device settings list devices afresh on every change.
 */
import { listDevices, type DeviceLists } from '../media.js';

export type DeviceKind = 'camera' | 'microphone' | 'speaker';

/** The devices in use now: the actual device IDs ('' for the default speaker), null when none is open. */
export interface InUse {
  camera: string | null;
  microphone: string | null;
  speaker: string;
}

const LIST_OF: Record<DeviceKind, keyof DeviceLists> = { camera: 'cameras', microphone: 'microphones', speaker: 'speakers' };

/**
 * Which devices in use are gone from `lists`. A browser that lists no device of a kind at all (no
 * permission, or labels withheld) proves nothing about it, so nothing is reported for that kind.
 */
export function lostDevices(inUse: InUse, lists: DeviceLists): DeviceKind[] {
  const lost: DeviceKind[] = [];
  for (const kind of ['camera', 'microphone', 'speaker'] as const) {
    const id = inUse[kind];
    const list = lists[LIST_OF[kind]];
    if (!id || id === 'default' || list.length === 0) continue;
    if (!list.some((d) => d.deviceId === id)) lost.push(kind);
  }
  return lost;
}

export interface DeviceFollowerHooks {
  inUse: () => InUse;
  /** Use the default device of this kind instead (the one in use is gone). */
  fallBack: (kind: DeviceKind) => Promise<void>;
  notice: (text: string) => void;
}

const WORD: Record<DeviceKind, string> = { camera: 'camera', microphone: 'microphone', speaker: 'speaker' };

export class DeviceFollower {
  readonly #hooks: DeviceFollowerHooks;
  readonly #onChange = (): void => void this.check();
  #closed = false;

  constructor(hooks: DeviceFollowerHooks) {
    this.#hooks = hooks;
    navigator.mediaDevices?.addEventListener('devicechange', this.#onChange);
  }

  /** Compares what is in use with what is plugged in; falls back for what is gone. */
  async check(): Promise<void> {
    let lists: DeviceLists;
    try {
      lists = await listDevices();
    } catch {
      return;
    }
    if (this.#closed) return;
    for (const kind of lostDevices(this.#hooks.inUse(), lists)) {
      await this.#hooks.fallBack(kind);
      if (this.#closed) return;
      this.#hooks.notice(`Your ${WORD[kind]} was disconnected: now using the default ${WORD[kind]}.`);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    navigator.mediaDevices?.removeEventListener('devicechange', this.#onChange);
  }
}
