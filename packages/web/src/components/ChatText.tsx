/**
 * A chat message's body: the server's segments in order, text as text and vetted links as links.
 * Never HTML; a link is an `<a>` only if its URL parses as `https:` here too, and it opens in a new
 * tab that cannot reach back (noopener) or learn where it came from (noreferrer).
 */
import type { ReactElement } from 'react';
import type { ChatSegment } from '@parley/protocol';
import { safeHttpsHref } from '../lib/chatLinks.js';

export function ChatText({ segments }: { segments: ChatSegment[] }): ReactElement {
  return (
    <span className="chat-text">
      {segments.map((s, i) => {
        const href = 'link' in s ? safeHttpsHref(s.link) : null;
        return href ? (
          <a key={i} href={href} target="_blank" rel="noopener noreferrer" data-testid="chat-link">
            {s.text}
          </a>
        ) : (
          <span key={i}>{s.text}</span>
        );
      })}
    </span>
  );
}
