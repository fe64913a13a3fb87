/** What the browser remembers between meetings: the last display name and chosen devices. Nothing secret. */
const KEY = 'parley.prefs.v1';

export interface Prefs {
  displayName: string;
  cameraId: string;
  micId: string;
  speakerId: string;
}

const EMPTY: Prefs = { displayName: '', cameraId: '', micId: '', speakerId: '' };

export function loadPrefs(): Prefs {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return EMPTY;
    const parsed: unknown = JSON.parse(raw);
    if (typeof parsed !== 'object' || parsed === null) return EMPTY;
    const out = { ...EMPTY };
    for (const k of Object.keys(EMPTY) as (keyof Prefs)[]) {
      const v = (parsed as Record<string, unknown>)[k];
      if (typeof v === 'string') out[k] = v.slice(0, 256);
    }
    return out;
  } catch {
    return EMPTY;
  }
}

export function savePrefs(patch: Partial<Prefs>): void {
  try {
    localStorage.setItem(KEY, JSON.stringify({ ...loadPrefs(), ...patch }));
  } catch {
    // Storage may be disabled (private mode); remembering is a convenience only.
  }
}
