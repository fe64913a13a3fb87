/** The stage's layout and what it needs of each remote video. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ParticipantInfo, TrackInfo } from '@parley/protocol';
import { INITIAL_VIEW, layoutOf, pageSizes, subscriptionNeeds, type ViewState } from './layout.js';
import type { Tile } from './tiles.js';

const person = (n: number): ParticipantInfo => ({
  id: `p_${String(n).padStart(6, '0')}`,
  displayName: `P${n}`,
  role: 'participant',
  identity: 'guest',
  handRaised: false,
  connection: 'connected',
  joinedAt: n,
});

function camera(n: number, isSelf = false): Tile {
  const participant = person(n);
  return {
    key: `${participant.id}:camera`,
    participant,
    source: 'camera',
    isSelf,
    video: null,
    micMuted: false,
    camOn: true,
    reaction: null,
    trackId: isSelf ? null : `t_cam${n}`,
    speaking: false,
    reconnecting: false,
    pinned: false,
  };
}

const screenOf = (n: number): Tile => ({ ...camera(n), key: `${person(n).id}:screen`, source: 'screen', trackId: `t_scr${n}` });

/** Me (0) and n others, each with a camera track. */
function meeting(n: number): { cameras: Tile[]; tracks: Record<string, TrackInfo> } {
  const cameras = [camera(0, true), ...Array.from({ length: n }, (_, i) => camera(i + 1))];
  const tracks: Record<string, TrackInfo> = {};
  for (let i = 1; i <= n; i++) {
    tracks[`t_cam${i}`] = { id: `t_cam${i}`, participantId: person(i).id, kind: 'video', source: 'camera', muted: false, mutedByModerator: false };
    tracks[`t_mic${i}`] = { id: `t_mic${i}`, participantId: person(i).id, kind: 'audio', source: 'microphone', muted: false, mutedByModerator: false };
  }
  return { cameras, tracks };
}

const DESKTOP = pageSizes(1280);
const SELF = person(0).id;

test('page sizes: a 3×3 grid on a desktop, 2×2 on a phone', () => {
  assert.deepEqual(DESKTOP, { grid: 9, strip: 6 });
  assert.deepEqual(pageSizes(400), { grid: 4, strip: 3 });
});

test('a 50-person grid renders one page, and only its videos are forwarded (at the medium layer)', () => {
  const { cameras, tracks } = meeting(49);
  const layout = layoutOf(cameras, [], INITIAL_VIEW, null, DESKTOP);
  assert.equal(layout.kind, 'grid');
  assert.equal(layout.tiles.length, 9);
  assert.deepEqual([layout.page, layout.pageCount], [0, 6]);
  const needs = subscriptionNeeds(layout, tracks, SELF);
  assert.equal(needs.size, 49, 'one need per remote video; audio is never hidden');
  const shown = [...needs].filter(([, n]) => !n.hidden);
  assert.equal(shown.length, 8, 'my own tile needs nothing');
  assert.ok(shown.every(([, n]) => n.layer === 'medium'));
  assert.equal(needs.get('t_cam9')?.hidden, true);
});

test('the last page, and a page past the end, is clamped', () => {
  const { cameras } = meeting(49);
  const layout = layoutOf(cameras, [], { ...INITIAL_VIEW, page: 99 }, null, DESKTOP);
  assert.deepEqual([layout.page, layout.tiles.length], [5, 5]);
  assert.equal(layoutOf(cameras.slice(0, 3), [], { ...INITIAL_VIEW, page: 4 }, null, DESKTOP).page, 0);
});

test('a grid of four or fewer wants the high layer', () => {
  const { cameras, tracks } = meeting(3);
  const needs = subscriptionNeeds(layoutOf(cameras, [], INITIAL_VIEW, null, DESKTOP), tracks, SELF);
  assert.deepEqual([...needs.values()], [{ hidden: false, layer: 'high' }, { hidden: false, layer: 'high' }, { hidden: false, layer: 'high' }]);
});

test('speaker view: the latest remote speaker large at the high layer, a filmstrip at the low one', () => {
  const { cameras, tracks } = meeting(10);
  const view: ViewState = { ...INITIAL_VIEW, mode: 'speaker' };
  const layout = layoutOf(cameras, [], view, person(7).id, DESKTOP);
  assert.equal(layout.kind, 'spotlight');
  assert.equal(layout.main?.participant.id, person(7).id);
  assert.equal(layout.tiles.length, 6);
  assert.ok(!layout.tiles.includes(layout.main as Tile));
  const needs = subscriptionNeeds(layout, tracks, SELF);
  assert.deepEqual(needs.get('t_cam7'), { hidden: false, layer: 'high' });
  assert.deepEqual(needs.get('t_cam1'), { hidden: false, layer: 'low' });
  assert.equal([...needs.values()].filter((n) => n.hidden).length, 10 - 1 - 5, 'the filmstrip shows me and five others');
});

test('speaker view without a speaker yet shows someone else than me; alone, me', () => {
  const { cameras } = meeting(2);
  const view: ViewState = { ...INITIAL_VIEW, mode: 'speaker' };
  assert.equal(layoutOf(cameras, [], view, null, DESKTOP).main?.participant.id, person(1).id);
  assert.equal(layoutOf(cameras, [], view, SELF, DESKTOP).main?.participant.id, person(1).id, 'I am never my own speaker');
  assert.equal(layoutOf(cameras.slice(0, 1), [], view, null, DESKTOP).main?.isSelf, true);
});

test('a pin beats the speaker and the screen share; a pin that is gone falls back', () => {
  const { cameras } = meeting(4);
  const screens = [screenOf(2)];
  const pinned: ViewState = { mode: 'speaker', pinned: `${person(3).id}:camera`, page: 0 };
  assert.equal(layoutOf(cameras, screens, pinned, person(1).id, DESKTOP).main?.key, `${person(3).id}:camera`);
  assert.equal(layoutOf(cameras, screens, { ...pinned, pinned: 'p_gone00:camera' }, null, DESKTOP).main?.source, 'screen');
  const grid = layoutOf(cameras, [], { ...pinned, mode: 'grid' }, null, DESKTOP);
  assert.equal(grid.tiles[0]?.key, `${person(3).id}:camera`, 'in the grid the pinned tile comes first');
});

test('a screen share is shown large even in grid view, with the cameras in the filmstrip', () => {
  const { cameras } = meeting(2);
  const layout = layoutOf(cameras, [screenOf(1)], INITIAL_VIEW, null, DESKTOP);
  assert.equal(layout.kind, 'spotlight');
  assert.equal(layout.main?.source, 'screen');
  assert.equal(layout.tiles.length, 3);
});
