/**
 * The chat part of the meeting's state: messages (with the sender's own held and rejected ones),
 * shared files, the moderators' queue of held messages, and the unread count. Pure functions that
 * the meeting reducer calls; nothing here renders or sends.
 */
import type { ChatMessage, RoomState, ServerEvent, SharedFile } from '@parley/protocol';

/** `held`: the sender's own message waiting for a moderator; `rejected`: a moderator discarded it. */
export type ChatEntryStatus = 'sent' | 'held' | 'rejected';

export interface ChatEntry {
  message: ChatMessage;
  status: ChatEntryStatus;
  /** End-to-end encrypted: decrypted here (or sent from here); the server never had its text. */
  e2ee?: true;
  /** It holds a link the meeting does not allow: shown as plain text, and marked (encrypted chat). */
  flagged?: true;
}

export interface ChatState {
  /** In the order they arrived. */
  messages: ChatEntry[];
  files: SharedFile[];
  /** Moderators: messages the link policy holds for approval. */
  held: ChatMessage[];
  /** Messages and files from others since the panel was last open. */
  unread: number;
  /** The chat panel is open (nothing is unread while it is). */
  open: boolean;
}

/** Enough history to scroll back through a long meeting without growing without bound. */
const MAX_MESSAGES = 500;

export const EMPTY_CHAT: ChatState = { messages: [], files: [], held: [], unread: 0, open: false };

/**
 * The chat of a join or a resume. Encrypted messages are only on this client (the server cannot
 * keep what it cannot read): a resume keeps them, before whatever history the server has.
 */
export function chatFromRoom(room: RoomState, open: boolean, kept: ChatEntry[] = []): ChatState {
  return {
    messages: [...kept.filter((e) => e.e2ee), ...room.chat.map((message): ChatEntry => ({ message, status: 'sent' }))].slice(-MAX_MESSAGES),
    files: room.files,
    held: room.held,
    unread: 0,
    open,
  };
}

/** Adds or replaces (same id: a held message approved) an entry. */
function upsert(chat: ChatState, entry: ChatEntry, selfId: string | null): ChatState {
  const index = chat.messages.findIndex((e) => e.message.id === entry.message.id);
  if (index >= 0) {
    const messages = chat.messages.slice();
    messages[index] = entry;
    return { ...chat, messages };
  }
  const fromOther = entry.message.from !== selfId;
  return {
    ...chat,
    messages: [...chat.messages, entry].slice(-MAX_MESSAGES),
    unread: chat.unread + (fromOther && !chat.open ? 1 : 0),
  };
}

/** The sender's own message as the server answered it: delivered, or held for approval. */
export function chatSent(chat: ChatState, message: ChatMessage, status: 'sent' | 'held', selfId: string | null): ChatState {
  return upsert(chat, { message, status }, selfId);
}

/** An end-to-end encrypted message: decrypted from someone, or one's own as sent. */
export function e2eeChatReceived(chat: ChatState, message: ChatMessage, flagged: boolean, selfId: string | null): ChatState {
  return upsert(chat, { message, status: 'sent', e2ee: true, ...(flagged ? { flagged: true as const } : {}) }, selfId);
}

export function setChatOpen(chat: ChatState, open: boolean): ChatState {
  if (chat.open === open && (!open || chat.unread === 0)) return chat;
  return { ...chat, open, unread: open ? 0 : chat.unread };
}

/** Applies a chat event; any other event returns `chat` itself. */
export function applyChatEvent(chat: ChatState, event: ServerEvent, selfId: string | null): ChatState {
  switch (event.type) {
    case 'chatMessage':
      return upsert(chat, { message: event.message, status: 'sent' }, selfId);
    case 'chatRejected': {
      const messages = chat.messages.map((e) => (e.message.id === event.messageId ? { ...e, status: 'rejected' as const } : e));
      return { ...chat, messages };
    }
    case 'chatHeld':
      return chat.held.some((m) => m.id === event.message.id) ? chat : { ...chat, held: [...chat.held, event.message] };
    case 'chatHeldResolved':
      return { ...chat, held: chat.held.filter((m) => m.id !== event.messageId) };
    case 'fileShared': {
      if (chat.files.some((f) => f.id === event.file.id)) return chat;
      const fromOther = event.file.from !== selfId;
      return { ...chat, files: [...chat.files, event.file], unread: chat.unread + (fromOther && !chat.open ? 1 : 0) };
    }
    default:
      return chat;
  }
}

/** Messages and files in one stream, oldest first, as the chat panel shows them. */
export type StreamItem = { kind: 'message'; at: number; entry: ChatEntry } | { kind: 'file'; at: number; file: SharedFile };

export function chatStream(chat: ChatState): StreamItem[] {
  const items: StreamItem[] = [
    ...chat.messages.map((entry): StreamItem => ({ kind: 'message', at: entry.message.at, entry })),
    ...chat.files.map((file): StreamItem => ({ kind: 'file', at: file.at, file })),
  ];
  // Stable: equal times keep arrival order.
  return items.sort((a, b) => a.at - b.at);
}
