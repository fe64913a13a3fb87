/** setSubscription is sent for changes only, for tracks with a consumer, debounced. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Need } from '../layout.js';
import { NeedsSender } from './needs.js';

function sender(ready: Set<string>, fail = false): { s: NeedsSender; sent: [string, Need][] } {
  const sent: [string, Need][] = [];
  const s = new NeedsSender({
    send: (trackId, need) => {
      sent.push([trackId, need]);
      return fail ? Promise.reject(new Error('no')) : Promise.resolve();
    },
    ready: (trackId) => ready.has(trackId),
  });
  return { s, sent };
}

test('only changed needs of tracks with a consumer are sent', () => {
  const ready = new Set(['t_a']);
  const { s, sent } = sender(ready);
  s.update(new Map([['t_a', { hidden: false, layer: 'high' }], ['t_b', { hidden: true }]]));
  s.flush();
  assert.deepEqual(sent, [['t_a', { hidden: false, layer: 'high' }]]);
  s.update(new Map([['t_a', { hidden: false, layer: 'high' }], ['t_b', { hidden: true }]]));
  s.flush();
  assert.equal(sent.length, 1, 'unchanged: nothing sent');
  ready.add('t_b');
  s.poke();
  s.flush();
  assert.deepEqual(sent.at(-1), ['t_b', { hidden: true }], 'its consumer now exists');
  s.update(new Map([['t_a', { hidden: false, layer: 'low' }], ['t_b', { hidden: true }]]));
  s.flush();
  assert.deepEqual(sent.at(-1), ['t_a', { hidden: false, layer: 'low' }]);
  s.reset();
  s.flush();
  assert.equal(sent.length, 5, 'new transports: everything again');
  s.close();
});

test('a burst of updates is debounced into one message per changed track', async () => {
  const { s, sent } = sender(new Set(['t_a']));
  for (const layer of ['low', 'medium', 'high'] as const) s.update(new Map([['t_a', { hidden: false, layer }]]));
  assert.equal(sent.length, 0);
  await new Promise((r) => setTimeout(r, 300));
  assert.deepEqual(sent, [['t_a', { hidden: false, layer: 'high' }]]);
  s.close();
});

test('a need the server refused is tried again on the next change', async () => {
  const { s, sent } = sender(new Set(['t_a']), true);
  s.update(new Map([['t_a', { hidden: true }]]));
  s.flush();
  await Promise.resolve();
  await Promise.resolve();
  s.flush();
  assert.equal(sent.length, 2);
  s.close();
});
