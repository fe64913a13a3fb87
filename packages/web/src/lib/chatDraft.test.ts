import assert from 'node:assert/strict';
import { test } from 'node:test';
import { draftAfterSend } from './chatDraft.js';

test('a sent message leaves the box; what was typed while it was sending stays', () => {
  assert.equal(draftAfterSend('hello', 'hello'), '');
  assert.equal(draftAfterSend('hello', 'hello and more'), 'and more');
  assert.equal(draftAfterSend('hello ', 'hello \nsecond line'), 'second line');
  assert.equal(draftAfterSend('hello', 'hi there'), 'hi there', 'a draft edited meanwhile is kept whole');
  assert.equal(draftAfterSend('hello', ''), '', 'a box cleared meanwhile stays clear');
});
