/**
 * Writing in the chat: the recipient (everyone, or one person when private chat is allowed), the
 * text (Enter sends, Shift+Enter starts a new line), a file to attach when file sharing is on, a
 * hint when the text holds a link the meeting will refuse or hold, and the server's refusals in place.
 */
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent, type ReactElement } from 'react';
import { MAX_CHAT_CHARS, type LinkPolicy, type ParticipantInfo, type SharedFile } from '@parley/protocol';
import { LINK_HINT_TEXT, linkHint } from '../lib/chatLinks.js';
import { draftAfterSend } from '../lib/chatDraft.js';
import type { Outcome } from '../lib/session.js';

/** What the server takes (checked by extension and content there). */
export const FILE_TYPES = ['pdf', 'png', 'jpg', 'jpeg', 'gif', 'txt', 'csv', 'md', 'docx', 'xlsx', 'pptx'];
const MAX_FILE_BYTES = 10 * 1024 * 1024;

const ERROR_TEXT: Record<string, string> = {
  link_blocked: 'Links aren’t allowed in this meeting’s chat.',
  rate_limited: 'You’re sending messages too fast. Wait a moment and try again.',
  unsupported_file_type: 'This type of file can’t be shared here.',
  message_too_large: 'This file is too large (at most 10 MB).',
};

interface ComposerError {
  code: string;
  text: string;
}

export interface ComposerProps {
  /** Other people, for private messages. */
  people: ParticipantInfo[];
  privateChat: boolean;
  fileSharing: boolean;
  linkPolicy: LinkPolicy;
  /** Moderators' links are never held or blocked. */
  trusted: boolean;
  onSend: (text: string, to: string | null) => Promise<Outcome<'sent' | 'held'>>;
  onAttach: (file: File) => Promise<Outcome<SharedFile>>;
}

export function ChatComposer(p: ComposerProps): ReactElement {
  const [text, setText] = useState('');
  const [to, setTo] = useState<string>('');
  const [error, setError] = useState<ComposerError | null>(null);
  const [busy, setBusy] = useState(false);
  const [uploading, setUploading] = useState<string | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // A recipient who left, or private chat turned off: back to everyone.
  const recipientGone = to !== '' && (!p.privateChat || !p.people.some((q) => q.id === to));
  useEffect(() => {
    if (recipientGone) setTo('');
  }, [recipientGone]);

  const fail = (code: string, message: string): void => setError({ code, text: ERROR_TEXT[code] ?? message });

  const send = async (e?: FormEvent): Promise<void> => {
    e?.preventDefault();
    const typed = text;
    const body = typed.trim();
    if (!body || busy) return;
    setBusy(true);
    setError(null);
    const outcome = await p.onSend(body, to || null);
    setBusy(false);
    // A held message shows in the stream, marked as waiting for approval.
    if (!outcome.ok) return fail(outcome.code, outcome.message);
    setText((current) => draftAfterSend(typed, current));
  };

  const attach = async (file: File | undefined): Promise<void> => {
    if (fileInput.current) fileInput.current.value = '';
    if (!file) return;
    const extension = file.name.includes('.') ? (file.name.split('.').pop() ?? '').toLowerCase() : '';
    if (!FILE_TYPES.includes(extension)) return fail('unsupported_file_type', '');
    if (file.size > MAX_FILE_BYTES) return fail('message_too_large', '');
    setBusy(true);
    setUploading(file.name);
    setError(null);
    const outcome = await p.onAttach(file);
    setBusy(false);
    setUploading(null);
    if (!outcome.ok) fail(outcome.code, outcome.message);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>): void => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  // One notice, not two: once the server has refused the link, its refusal replaces the hint.
  const hint = error?.code === 'link_blocked' ? null : linkHint(text, p.linkPolicy, p.trusted);
  return (
    <form className="composer" onSubmit={(e) => void send(e)} data-testid="chat-composer">
      {p.privateChat && (
        <label className="composer-to">
          <span className="field-label">To</span>
          <select className="select select-small" value={to} onChange={(e) => setTo(e.target.value)} data-testid="chat-recipient">
            <option value="">Everyone</option>
            {p.people.map((q) => (
              <option key={q.id} value={q.id}>
                {q.displayName} (private)
              </option>
            ))}
          </select>
        </label>
      )}
      <textarea
        className="input composer-text"
        value={text}
        rows={2}
        maxLength={MAX_CHAT_CHARS}
        placeholder={to ? 'Private message…' : 'Message everyone…'}
        aria-label="Chat message"
        onChange={(e) => {
          setText(e.target.value);
          // Editing after a refused link: the hint speaks again (for the new text) instead of the old refusal.
          if (error?.code === 'link_blocked') setError(null);
        }}
        onKeyDown={onKeyDown}
        data-testid="chat-input"
      />
      {hint && (
        <p className="composer-hint small" data-testid="chat-link-hint" data-hint={hint}>
          {LINK_HINT_TEXT[hint]}
        </p>
      )}
      {error && (
        <p className="error-text small composer-error" role="alert" data-testid="chat-error" data-code={error.code}>
          {error.text}
        </p>
      )}
      {uploading && (
        <p className="muted small" role="status" data-testid="chat-uploading">
          Sharing {uploading}…
        </p>
      )}
      <div className="composer-actions">
        {p.fileSharing && (
          <>
            <input
              ref={fileInput}
              type="file"
              hidden
              accept={FILE_TYPES.map((x) => `.${x}`).join(',')}
              onChange={(e) => void attach(e.target.files?.[0])}
              data-testid="chat-file-input"
            />
            <button type="button" className="btn btn-small" onClick={() => fileInput.current?.click()} disabled={busy} data-testid="chat-attach" title="Share a file (up to 10 MB)">
              Attach file
            </button>
          </>
        )}
        <button type="submit" className="btn btn-primary btn-small" disabled={busy || !text.trim()} data-testid="chat-send">
          Send
        </button>
      </div>
    </form>
  );
}
