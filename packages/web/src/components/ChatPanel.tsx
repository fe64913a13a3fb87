/**
 * The chat side panel: moderators' held messages first, then the stream of messages and files, then
 * the composer, or a note saying why this person cannot write (chat off, view-only).
 */
import { useEffect, useMemo, useRef, type ReactElement } from 'react';
import type { LinkPolicy, ParticipantInfo, SharedFile } from '@parley/protocol';
import { chatStream, type ChatState } from '../lib/chatState.js';
import type { Allowed } from '../lib/permissions.js';
import type { Outcome } from '../lib/session.js';
import { ChatComposer } from './ChatComposer.js';
import { ChatMessageItem, FileItem } from './ChatItem.js';
import { HeldMessages } from './HeldMessages.js';

export interface ChatActions {
  send: (text: string, to: string | null) => Promise<Outcome<'sent' | 'held'>>;
  attach: (file: File) => Promise<Outcome<SharedFile>>;
  download: (file: SharedFile) => void;
  approve: (messageId: string) => void;
  reject: (messageId: string) => void;
}

export function ChatPanel({
  chat,
  selfId,
  people,
  allowed,
  viewOnly,
  moderator,
  linkPolicy,
  actions,
  onClose,
}: {
  chat: ChatState;
  selfId: string | null;
  /** Everyone else in the meeting. */
  people: ParticipantInfo[];
  allowed: Allowed;
  viewOnly: boolean;
  moderator: boolean;
  linkPolicy: LinkPolicy;
  actions: ChatActions;
  onClose: () => void;
}): ReactElement {
  const stream = useMemo(() => chatStream(chat), [chat]);
  const list = useRef<HTMLOListElement>(null);
  const panel = useRef<HTMLElement>(null);
  const last = stream.at(-1);

  // Opening the chat puts the cursor in the message box (or on Close when this person cannot write).
  useEffect(() => {
    const el = panel.current;
    (el?.querySelector<HTMLElement>('[data-testid="chat-input"]') ?? el?.querySelector<HTMLElement>('[data-testid="chat-close"]'))?.focus();
  }, []);

  // Follow new messages, unless the person scrolled up to read.
  useEffect(() => {
    const el = list.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 160) el.scrollTop = el.scrollHeight;
  }, [last]);

  return (
    <aside className="panel chat-panel" aria-label="Chat" data-testid="chat-panel" ref={panel}>
      <header className="panel-header">
        <h2>Chat</h2>
        <button type="button" className="btn btn-ghost btn-small" onClick={onClose} aria-label="Close chat" data-testid="chat-close">
          ✕
        </button>
      </header>
      {moderator && chat.held.length > 0 && <HeldMessages held={chat.held} onApprove={actions.approve} onReject={actions.reject} />}
      <ol className="chat-stream" ref={list} data-testid="chat-stream" aria-live="polite">
        {stream.length === 0 && <li className="panel-empty muted">No messages yet.</li>}
        {stream.map((item) =>
          item.kind === 'message' ? (
            <ChatMessageItem key={item.entry.message.id} entry={item.entry} selfId={selfId} />
          ) : (
            <FileItem key={item.file.id} file={item.file} selfId={selfId} onDownload={() => actions.download(item.file)} />
          ),
        )}
      </ol>
      {allowed.chat ? (
        <ChatComposer
          people={people}
          privateChat={allowed.privateChat}
          fileSharing={allowed.fileSharing}
          linkPolicy={linkPolicy}
          trusted={moderator}
          onSend={actions.send}
          onAttach={actions.attach}
        />
      ) : (
        <p className="panel-note muted small chat-off" data-testid="chat-off-note">
          {viewOnly ? 'View-only attendees can read the chat but not write.' : 'The host has turned chat off in this meeting.'}
        </p>
      )}
    </aside>
  );
}
