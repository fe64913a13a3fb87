/** The chat state: delivery, the sender's held and rejected messages, moderators' queue, files, unread. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChatMessage, SharedFile } from '@parley/protocol';
import { applyChatEvent, chatSent, chatStream, EMPTY_CHAT, setChatOpen } from './chatState.js';

const SELF = 'p_self00';
const msg = (id: string, from: string, at: number, text = 'hi'): ChatMessage => ({
  id,
  from,
  fromName: from === SELF ? 'Me' : 'Bob',
  to: null,
  toName: null,
  text,
  segments: [{ text }],
  at,
});
const file: SharedFile = { id: 'f_000001', from: 'p_bob000', fromName: 'Bob', name: 'a.pdf', size: 10, type: 'application/pdf', at: 15 };

test('messages from others count as unread until the panel opens; one’s own never do', () => {
  let c = applyChatEvent(EMPTY_CHAT, { type: 'chatMessage', message: msg('m_000001', 'p_bob000', 10) }, SELF);
  c = applyChatEvent(c, { type: 'chatMessage', message: msg('m_000002', SELF, 11) }, SELF);
  c = applyChatEvent(c, { type: 'fileShared', file }, SELF);
  assert.equal(c.unread, 2);
  c = setChatOpen(c, true);
  assert.equal(c.unread, 0);
  c = applyChatEvent(c, { type: 'chatMessage', message: msg('m_000003', 'p_bob000', 20) }, SELF);
  assert.equal(c.unread, 0, 'nothing is unread while the panel is open');
  assert.deepEqual(chatStream(c).map((i) => i.kind), ['message', 'message', 'file', 'message']);
});

test('a held message shows to its sender as held, then approved (same id) or rejected', () => {
  const held = msg('m_held01', SELF, 10, 'see https://example.org/agenda');
  let c = chatSent(EMPTY_CHAT, held, 'held', SELF);
  assert.equal(c.messages[0]?.status, 'held');
  const approved = { ...held, at: 30, segments: [{ text: 'see ' }, { link: 'https://example.org/agenda', text: 'https://example.org/agenda' }] };
  c = applyChatEvent(c, { type: 'chatMessage', message: approved }, SELF);
  assert.equal(c.messages.length, 1, 'the approved message replaces the held one');
  assert.equal(c.messages[0]?.status, 'sent');
  assert.equal(c.messages[0]?.message.segments.length, 2);

  let r = chatSent(EMPTY_CHAT, held, 'held', SELF);
  r = applyChatEvent(r, { type: 'chatRejected', messageId: held.id }, SELF);
  assert.equal(r.messages[0]?.status, 'rejected');
});

test('moderators’ queue: held messages arrive once and go when resolved by anyone', () => {
  const held = msg('m_held02', 'p_bob000', 10);
  let c = applyChatEvent(EMPTY_CHAT, { type: 'chatHeld', message: held }, SELF);
  c = applyChatEvent(c, { type: 'chatHeld', message: held }, SELF);
  assert.equal(c.held.length, 1);
  c = applyChatEvent(c, { type: 'chatHeldResolved', messageId: held.id, approved: false }, SELF);
  assert.deepEqual(c.held, []);
});

test('other events leave the chat untouched', () => {
  assert.equal(applyChatEvent(EMPTY_CHAT, { type: 'trackUnpublished', trackId: 't_000001' }, SELF), EMPTY_CHAT);
});
