/** A moderator asks this person to unmute: Unmute or Stay muted (nobody is unmuted without their click). */
import type { ReactElement } from 'react';

export function UnmutePrompt({ by, onAnswer }: { by: string; onAnswer: (unmute: boolean) => void }): ReactElement {
  return (
    <div className="prompt-card" role="alertdialog" aria-labelledby="unmute-title" data-testid="unmute-prompt">
      <p id="unmute-title">
        <strong>{by}</strong> asks you to unmute
      </p>
      <div className="row">
        <button type="button" className="btn btn-primary btn-small" onClick={() => onAnswer(true)} autoFocus data-testid="unmute-accept">
          Unmute
        </button>
        <button type="button" className="btn btn-small" onClick={() => onAnswer(false)} data-testid="unmute-decline">
          Stay muted
        </button>
      </div>
    </div>
  );
}
