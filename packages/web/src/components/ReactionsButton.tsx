/** The Reactions control: a small tray of the six emoji; choosing one floats it over your tile for everyone. */
import { useCallback, useRef, useState, type ReactElement } from 'react';
import { useDismiss } from '../lib/useDismiss.js';
import { REACTIONS } from '@parley/protocol';
import { SmileIcon } from './Icons.js';

export type Emoji = (typeof REACTIONS)[number];

export function ReactionsButton({ onReact }: { onReact: (emoji: Emoji) => void }): ReactElement {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  const close = useCallback(() => setOpen(false), []);
  useDismiss(ref, open, close);

  return (
    <div className="reactions" ref={ref}>
      <button
        type="button"
        className={`ctl${open ? ' ctl-active' : ''}`}
        aria-haspopup="true"
        aria-expanded={open}
        onClick={() => setOpen((v) => !v)}
        data-testid="toggle-reactions"
        title="Reactions"
      >
        <SmileIcon />
        <span className="ctl-label">React</span>
      </button>
      {open && (
        <div className="reaction-tray" role="group" aria-label="Reactions">
          {REACTIONS.map((emoji) => (
            <button
              key={emoji}
              type="button"
              className="reaction-choice"
              onClick={() => {
                setOpen(false);
                onReact(emoji);
              }}
              aria-label={`React ${emoji}`}
              data-testid="reaction-choice"
              data-emoji={emoji}
            >
              {emoji}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
