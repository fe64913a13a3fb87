import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_MESSAGE_BYTES } from '@parley/protocol';
import { decode } from './codec.js';

const text = (s: string) => Buffer.from(s, 'utf8');

test('decode accepts a valid message and reports each kind of bad input with a code', () => {
  const ok = decode(text('{"type":"leave","id":3}'), false);
  assert.ok(ok.ok && ok.message.type === 'leave');
  const cases: [Buffer, boolean, string, number | null][] = [
    [text('{"type":'), false, 'bad_request', null],
    [text('"just a string"'), false, 'bad_request', null],
    [text('null'), false, 'bad_request', null],
    [text('{"id":4}'), false, 'bad_request', 4],
    [text('{"type":"fly","id":5}'), false, 'unknown_type', 5],
    [text('{"type":"toString","id":6}'), false, 'unknown_type', 6],
    [text('{"type":"__proto__","id":6}'), false, 'unknown_type', 6],
    [text('{"type":"leave","id":-1}'), false, 'bad_request', null],
    [text('{"type":"leave","id":1.5}'), false, 'bad_request', null],
    [text('{"type":"join","id":7}'), false, 'bad_request', 7],
    [text('{"type":"leave","id":8}'), true, 'bad_request', null],
    [Buffer.alloc(MAX_MESSAGE_BYTES + 1, 0x20), false, 'message_too_large', null],
  ];
  for (const [data, binary, code, id] of cases) {
    const result = decode(data, binary);
    assert.ok(!result.ok, data.toString().slice(0, 30));
    assert.equal(result.error.code, code, data.toString().slice(0, 30));
    assert.equal(result.id, id, data.toString().slice(0, 30));
  }
});

test('a message of exactly 64 KiB is still read', () => {
  const base = '{"type":"leave","id":1,"pad":""}';
  const padded = base.replace('""', `"${' '.repeat(MAX_MESSAGE_BYTES - base.length)}"`);
  assert.equal(Buffer.byteLength(padded), MAX_MESSAGE_BYTES);
  assert.ok(decode(text(padded), false).ok);
});

test('U+0000 anywhere in a message is refused as bad input, with the request id (PostgreSQL cannot store it)', () => {
  for (const frame of ['{"type":"report","id":7,"participantId":"p_abcdefgh","note":"\\u0000"}', '{"type":"chat","id":7,"text":"hi\\u0000there"}']) {
    const result = decode(text(frame), false);
    assert.ok(!result.ok, frame);
    assert.equal(result.error.code, 'bad_request');
    assert.equal(result.id, 7);
    assert.match(result.error.message, /NUL/);
  }
  // The six characters \u0000 typed as text are not NUL: accepted.
  assert.ok(decode(text('{"type":"leave","id":8,"pad":"a backslash, then u0000: \\\\u0000"}'), false).ok);
});
