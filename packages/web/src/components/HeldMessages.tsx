/**
 * Moderators: chat messages the link policy holds, each with Approve and Reject. The text is shown as
 * plain text, and under it where each link really goes (the host a browser would contact, highlighted),
 * so a link whose text names one site and goes to another is seen before it is approved. Approving
 * does not make links clickable beyond the meeting's allow-list; the server decides that.
 */
import type { ReactElement } from 'react';
import { linkDestinations, type ChatMessage } from '@parley/protocol';
import { clock } from './ChatItem.js';

function Destinations({ text }: { text: string }): ReactElement | null {
  const destinations = linkDestinations(text);
  if (destinations.length === 0) return null;
  return (
    <ul className="held-destinations" aria-label="Where the links go" data-testid="held-destinations">
      {destinations.map((d, i) => (
        <li key={i} data-testid="held-destination">
          {d.kind === 'unc' ? 'file share on ' : 'goes to '}
          <mark data-testid="held-destination-host">{d.host ?? 'an unreadable address'}</mark>
          {d.dangerous && <span className="chat-private-tag"> · never clickable</span>}
        </li>
      ))}
    </ul>
  );
}

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
            <Destinations text={m.text} />
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
