/**
 * The colour pairs of styles.css meet WCAG 2.x contrast: text at least 4.5:1, the focus ring and other
 * UI at least 3:1 (issue 12, item 7: white on the old primary blue was 3.71:1). Read from the
 * stylesheet's own variables, so changing a colour re-checks it.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const CSS = readFileSync(new URL('../styles.css', import.meta.url), 'utf8');

function variable(name: string): string {
  const m = new RegExp(`--${name}:\\s*(#[0-9a-f]{6})`, 'i').exec(CSS);
  if (!m?.[1]) throw new Error(`no --${name} in styles.css`);
  return m[1];
}

function luminance(hex: string): number {
  const channel = (i: number): number => {
    const c = parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

const WHITE = '#ffffff';
const BACKGROUNDS = ['bg', 'bg-2', 'surface', 'surface-2'];

test('the primary and danger buttons: white text at least 4.5:1 (hover too)', () => {
  for (const name of ['accent', 'accent-2', 'danger', 'danger-2']) {
    const ratio = contrast(WHITE, variable(name));
    assert.ok(ratio >= 4.5, `white on --${name} (${variable(name)}): ${ratio.toFixed(2)}:1`);
  }
  assert.equal(contrast(WHITE, variable('accent')).toFixed(2), '5.29');
});

test('body and muted text on every background at least 4.5:1', () => {
  for (const bg of BACKGROUNDS) {
    for (const fg of ['text', 'muted']) {
      const ratio = contrast(variable(fg), variable(bg));
      assert.ok(ratio >= 4.5, `--${fg} on --${bg}: ${ratio.toFixed(2)}:1`);
    }
  }
});

test('the focus ring on every background, and the accent as an outline on the page, at least 3:1', () => {
  for (const bg of BACKGROUNDS) {
    const ratio = contrast(variable('focus'), variable(bg));
    assert.ok(ratio >= 3, `--focus on --${bg}: ${ratio.toFixed(2)}:1`);
  }
  for (const fg of ['accent', 'danger']) assert.ok(contrast(variable(fg), variable('bg')) >= 3, `--${fg} on --bg`);
});

test('avatars: white initials at least 4.5:1 on each colour', () => {
  const section = CSS.slice(CSS.indexOf('/* ---- accessibility and phone size'));
  const colours = [...section.matchAll(/\.avatar-c\d \{ background: (#[0-9a-f]{6}); \}/g)].map((m) => m[1] ?? '');
  assert.equal(colours.length, 8);
  for (const c of colours) assert.ok(contrast(WHITE, c) >= 4.5, `white on ${c}: ${contrast(WHITE, c).toFixed(2)}:1`);
});
