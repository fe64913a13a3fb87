/**
 * Which tiles the stage renders, and so which remote videos this client needs and at what quality.
 * Grid view: a page of camera tiles (the pinned one first). Speaker view, or any screen share: one
 * large tile (pinned, else the first screen share, else the latest remote active speaker) and a
 * page of the others in a filmstrip. Only rendered tiles get video: the rest are hidden at the SFU.
 * Pure functions, tested beside.
 */
import type { TrackInfo } from '@parley/protocol';
import type { Tile } from './tiles.js';

export type ViewMode = 'grid' | 'speaker';
export type Layer = 'low' | 'medium' | 'high';

/** What the person chose about the stage. `pinned` is a tile key; `page` is 0-based, clamped on use. */
export interface ViewState {
  mode: ViewMode;
  pinned: string | null;
  page: number;
}

export const INITIAL_VIEW: ViewState = { mode: 'grid', pinned: null, page: 0 };

export interface Layout {
  kind: 'grid' | 'spotlight';
  /** The large tile (spotlight only). */
  main: Tile | null;
  /** The grid's page, or the filmstrip's. */
  tiles: Tile[];
  page: number;
  pageCount: number;
}

/** Tiles per page: a 3×3 grid on a desktop, 2×2 on a phone; the filmstrip shows fewer. */
export function pageSizes(width: number): { grid: number; strip: number } {
  return width < 700 ? { grid: 4, strip: 3 } : { grid: 9, strip: 6 };
}

/**
 * The stage's layout. `focus` is the participant to show large when nothing is pinned (the last
 * remote active speaker).
 */
export function layoutOf(cameras: Tile[], screens: Tile[], view: ViewState, focus: string | null, sizes: { grid: number; strip: number }): Layout {
  const all = [...screens, ...cameras];
  const pinned = view.pinned === null ? undefined : all.find((t) => t.key === view.pinned);
  if (view.mode === 'grid' && screens.length === 0) {
    const ordered = pinned ? [pinned, ...cameras.filter((t) => t !== pinned)] : cameras;
    return { kind: 'grid', main: null, ...paginate(ordered, view.page, sizes.grid) };
  }
  const main =
    pinned ??
    screens[0] ??
    cameras.find((t) => t.participant.id === focus && !t.isSelf) ??
    cameras.find((t) => !t.isSelf) ??
    cameras[0] ??
    null;
  return { kind: 'spotlight', main, ...paginate(all.filter((t) => t !== main), view.page, sizes.strip) };
}

function paginate(tiles: Tile[], page: number, size: number): { tiles: Tile[]; page: number; pageCount: number } {
  const pageCount = Math.max(1, Math.ceil(tiles.length / size));
  const clamped = Math.min(Math.max(0, Math.floor(page)), pageCount - 1);
  return { tiles: tiles.slice(clamped * size, (clamped + 1) * size), page: clamped, pageCount };
}

/** What this client needs of one remote video track. */
export interface Need {
  hidden: boolean;
  /** For shown tracks: the simulcast layer the tile needs. */
  layer?: Layer;
}

/**
 * The need of every remote video track: the large tile and a grid of up to four want the high
 * layer, a fuller grid the medium one, the filmstrip the low one; a track without a rendered tile
 * is hidden. Audio is never hidden (the server picks the loudest few itself).
 */
export function subscriptionNeeds(layout: Layout, tracks: Record<string, TrackInfo>, selfId: string | null): Map<string, Need> {
  const shown = new Map<string, Layer>();
  if (layout.main?.trackId) shown.set(layout.main.trackId, 'high');
  const tileLayer: Layer = layout.kind === 'spotlight' ? 'low' : layout.tiles.length <= 4 ? 'high' : 'medium';
  for (const t of layout.tiles) if (t.trackId && !shown.has(t.trackId)) shown.set(t.trackId, tileLayer);
  const needs = new Map<string, Need>();
  for (const t of Object.values(tracks)) {
    if (t.kind !== 'video' || t.participantId === selfId) continue;
    const layer = shown.get(t.id);
    needs.set(t.id, layer ? { hidden: false, layer } : { hidden: true });
  }
  return needs;
}
