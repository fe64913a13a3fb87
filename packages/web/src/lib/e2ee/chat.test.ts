/** Encrypted chat's plaintext and the link policy the clients enforce themselves. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeChatPayload, encodeChatPayload, e2eeLinkPolicy, refuseOnSend, renderChat } from './chat.js';

const rules = (linkPolicy: 'block' | 'hold' | 'allow') => ({ linkPolicy, linkAllowList: ['example.org'] });

test('hold is enforced as block: no server can approve what it cannot read', () => {
  assert.equal(e2eeLinkPolicy('hold'), 'block');
  assert.equal(refuseOnSend('go to example.com', rules('hold'), false), 'link_blocked');
  assert.equal(refuseOnSend('go to example.com', rules('block'), false), 'link_blocked');
  assert.equal(refuseOnSend('g o o g l e . c o m? no: h\u200bttps://x.example', rules('block'), false), 'link_blocked');
  assert.equal(refuseOnSend('no link here', rules('block'), false), null);
  assert.equal(refuseOnSend('go to example.com', rules('allow'), false), null);
  assert.equal(refuseOnSend('go to example.com', rules('block'), true), null, 'moderators are trusted, as on the server');
});

test('on render, block shows links as flagged text; allow makes listed https links clickable only', () => {
  assert.deepEqual(renderChat('see https://example.org/x', rules('block'), false), { segments: [{ text: 'see https://example.org/x' }], flagged: true });
  assert.deepEqual(renderChat('plain', rules('block'), false), { segments: [{ text: 'plain' }], flagged: false });
  assert.deepEqual(renderChat('https://example.org/x http://example.org/y', rules('allow'), false).segments, [
    { link: 'https://example.org/x', text: 'https://example.org/x' },
    { text: ' http://example.org/y' },
  ]);
  assert.deepEqual(renderChat('https://other.example/', rules('allow'), false).segments, [{ text: 'https://other.example/' }]);
  assert.deepEqual(renderChat('https://other.example/', rules('block'), true).segments, [{ link: 'https://other.example/', text: 'https://other.example/' }]);
});

test('the payload is JSON {text, sentAt}; anything else is refused', () => {
  const bytes = encodeChatPayload({ text: 'héllo', sentAt: 1234 });
  assert.deepEqual(JSON.parse(new TextDecoder().decode(bytes)), { text: 'héllo', sentAt: 1234 });
  assert.deepEqual(decodeChatPayload(bytes), { text: 'héllo', sentAt: 1234 });
  const enc = (v: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(v));
  for (const bad of [enc({ text: '', sentAt: 1 }), enc({ text: 'x'.repeat(2001), sentAt: 1 }), enc({ text: 'x' }), enc(['x', 1]), new Uint8Array([0xff, 0xfe])]) {
    assert.equal(decodeChatPayload(bad), null);
  }
});
