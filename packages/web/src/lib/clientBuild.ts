/**
 * Client currency (C1) in the browser: this tab's build, what the server says about newer ones, and
 * reloading. The server sends `clientBuild` when a new build is deployed (or when this tab is not the
 * served build): a reload is offered, or, once this build is below the organization's minimum, done
 * at once. A reload in a meeting comes straight back with the tab's resume credential (resumeStore).
 * Reloads for an update are spaced (at most one every 30 s per tab), so a server that keeps refusing
 * cannot make a tab reload in a loop.
 */
import { useSyncExternalStore } from 'react';

export const CLIENT_BUILD = __PARLEY_CLIENT_BUILD__;

export interface BuildNotice {
  build: string;
  required: boolean;
}

const RELOADED_KEY = 'parley.reloadedForUpdate';
const MIN_RELOAD_GAP_MS = 30_000;

let notice: BuildNotice | null = null;
const listeners = new Set<() => void>();

/** The server told this tab of a newer build. */
export function noteClientBuild(next: BuildNotice): void {
  if (next.build === CLIENT_BUILD) return;
  notice = next;
  for (const listener of listeners) listener();
  if (next.required) reloadForUpdate();
}

/** Reloads to get the served build, unless this tab already did so moments ago; says whether it will. */
export function reloadForUpdate(now = Date.now()): boolean {
  let last = 0;
  try {
    last = Number(sessionStorage.getItem(RELOADED_KEY) ?? 0) || 0;
    if (now - last < MIN_RELOAD_GAP_MS) return false;
    sessionStorage.setItem(RELOADED_KEY, String(now));
  } catch {
    // No storage: reload anyway (there is nothing to loop on without it either way).
  }
  window.location.reload();
  return true;
}

/** The newest build the server told of, if this tab is not it. */
export function useBuildNotice(): BuildNotice | null {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => notice,
  );
}
