/** One item of the chat stream: a message (sender, time, private and approval markers) or a shared file. */
import type { ReactElement } from 'react';
import type { SharedFile } from '@parley/protocol';
import type { ChatEntry } from '../lib/chatState.js';
import { ChatText } from './ChatText.js';

export function clock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(bytes < 10 * 1024 ? 1 : 0)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export function ChatMessageItem({ entry, selfId }: { entry: ChatEntry; selfId: string | null }): ReactElement {
  const { message: m, status } = entry;
  const mine = m.from === selfId;
  const privateTo = m.to === null ? null : mine ? `to ${m.toName ?? 'someone'}` : m.to === selfId ? 'to you' : `to ${m.toName ?? 'someone'}`;
  return (
    <li
      className={`chat-item${mine ? ' chat-mine' : ''}${m.to ? ' chat-private' : ''} chat-${status}`}
      data-testid="chat-message"
      data-message-id={m.id}
      data-status={status}
      data-from={m.from}
      data-private={m.to ? 'true' : undefined}
      data-e2ee={entry.e2ee ? 'true' : undefined}
      data-flagged={entry.flagged ? 'true' : undefined}
    >
      <div className="chat-meta">
        <span className="chat-from">{mine ? 'You' : m.fromName}</span>
        {privateTo && (
          <span className="chat-private-tag" data-testid="chat-private-tag">
            {privateTo} · private
          </span>
        )}
        <time className="chat-time" dateTime={new Date(m.at).toISOString()}>
          {clock(m.at)}
        </time>
      </div>
      <div className="chat-bubble">
        <ChatText segments={m.segments} />
      </div>
      {entry.flagged && (
        <div className="chat-status chat-status-bad" data-testid="chat-link-flag">
          Holds a link this meeting does not allow: shown as plain text
        </div>
      )}
      {status === 'held' && (
        <div className="chat-status" data-testid="chat-held-marker">
          Waiting for a moderator’s approval
        </div>
      )}
      {status === 'rejected' && (
        <div className="chat-status chat-status-bad" data-testid="chat-rejected-marker">
          Not approved: only you can see this
        </div>
      )}
    </li>
  );
}

export function FileItem({ file, selfId, onDownload }: { file: SharedFile; selfId: string | null; onDownload: () => void }): ReactElement {
  const mine = file.from === selfId;
  return (
    <li className={`chat-item${mine ? ' chat-mine' : ''}`} data-testid="file-card" data-file-id={file.id} data-name={file.name}>
      <div className="chat-meta">
        <span className="chat-from">{mine ? 'You' : file.fromName}</span>
        <span className="muted small">shared a file</span>
        <time className="chat-time" dateTime={new Date(file.at).toISOString()}>
          {clock(file.at)}
        </time>
      </div>
      <div className="file-card">
        <span className="file-ext" aria-hidden="true">
          {(file.name.split('.').pop() ?? '').slice(0, 4).toUpperCase()}
        </span>
        <span className="file-info">
          <span className="file-name" title={file.name}>
            {file.name}
          </span>
          <span className="muted small">{fileSize(file.size)}</span>
        </span>
        <button type="button" className="btn btn-small" onClick={onDownload} data-testid="file-download" aria-label={`Download ${file.name}`}>
          Download
        </button>
      </div>
    </li>
  );
}
