/** Moderators: chat messages the link policy holds, each with Approve and Reject. The text is shown as plain text. */
import type { ReactElement } from 'react';
import type { ChatMessage } from '@parley/protocol';
import { clock } from './ChatItem.js';

export function HeldMessages({ held, onApprove, onReject }: { held: ChatMessage[]; onApprove: (id: string) => void; onReject: (id: string) => void }): ReactElement {
  return (
    <section className="held" aria-labelledby="held-title" data-testid="held-section">
      <h3 className="menu-section-title" id="held-title">
        Held for approval ({held.length})
      </h3>
      <ul className="held-list">
        {held.map((m) => (
          <li key={m.id} className="held-item" data-testid="held-message" data-message-id={m.id}>
            <div className="chat-meta">
              <span className="chat-from">{m.fromName}</span>
              {m.toName && <span className="chat-private-tag">to {m.toName} · private</span>}
              <span className="chat-time">{clock(m.at)}</span>
            </div>
            <p className="held-text">{m.text}</p>
            <div className="row">
              <button type="button" className="btn btn-primary btn-small" onClick={() => onApprove(m.id)} data-testid="approve-message">
                Approve
              </button>
              <button type="button" className="btn btn-small" onClick={() => onReject(m.id)} data-testid="reject-message">
                Reject
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
