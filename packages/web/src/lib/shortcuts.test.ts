/** Which key presses are meeting shortcuts, and the menu keys' targets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { menuTarget } from './focus.js';
import { SHORTCUTS, keyLabel, shortcutFor, type KeyPress } from './shortcuts.js';

const press = (key: string, mods: Partial<KeyPress> = {}): KeyPress => ({ key, ctrlKey: false, altKey: false, metaKey: false, repeat: false, ...mods });

test('m, v, h, c, p and ? are shortcuts, in either case', () => {
  assert.deepEqual(['m', 'v', 'h', 'c', 'p', '?'].map((k) => shortcutFor(press(k), false)?.key), ['m', 'v', 'h', 'c', 'p', '?']);
  assert.equal(shortcutFor(press('M'), false)?.key, 'm', 'Caps Lock or Shift');
  assert.equal(shortcutFor(press('x'), false), null);
  assert.equal(shortcutFor(press('Escape'), false), null);
  assert.equal(keyLabel('m'), 'M');
  assert.equal(new Set(SHORTCUTS.map((s) => s.label)).size, SHORTCUTS.length, 'each label once');
});

test('nothing is a shortcut while typing, with Ctrl, Alt or Meta, or when the key repeats', () => {
  assert.equal(shortcutFor(press('m'), true), null);
  for (const mod of ['ctrlKey', 'altKey', 'metaKey', 'repeat'] as const) assert.equal(shortcutFor(press('m', { [mod]: true }), false), null, mod);
});

test('menu keys: down and up wrap, Home and End, other keys are not menu keys', () => {
  assert.equal(menuTarget('ArrowDown', -1, 3), 0);
  assert.equal(menuTarget('ArrowDown', 2, 3), 0);
  assert.equal(menuTarget('ArrowUp', 0, 3), 2);
  assert.equal(menuTarget('ArrowUp', -1, 3), 2);
  assert.equal(menuTarget('Home', 2, 3), 0);
  assert.equal(menuTarget('End', 0, 3), 2);
  assert.equal(menuTarget('Enter', 0, 3), null);
  assert.equal(menuTarget('ArrowDown', -1, 0), null);
});
