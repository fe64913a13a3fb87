/**
 * A meeting's chat: the history late joiners receive (bounded), and messages held for a
 * moderator's approval. Pure state, owned by one room.
 */
import type { ChatMessage } from '@parley/protocol';

const MAX_HISTORY = 500;
const MAX_HELD = 100;

export class ChatLog {
  readonly #history: ChatMessage[] = [];
  readonly #held = new Map<string, ChatMessage>();

  add(message: ChatMessage): void {
    this.#history.push(message);
    if (this.#history.length > MAX_HISTORY) this.#history.shift();
  }

  /** What `participantId` may see: public messages and private ones to or from them. */
  visibleTo(participantId: string): ChatMessage[] {
    return this.#history.filter((m) => m.to === null || m.to === participantId || m.from === participantId);
  }

  hold(message: ChatMessage): boolean {
    if (this.#held.size >= MAX_HELD) return false;
    this.#held.set(message.id, message);
    return true;
  }

  release(messageId: string): ChatMessage | undefined {
    const message = this.#held.get(messageId);
    this.#held.delete(messageId);
    return message;
  }

  held(): ChatMessage[] {
    return [...this.#held.values()];
  }
}
