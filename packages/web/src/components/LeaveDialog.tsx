/**
 * What Leave asks a host or co-host (everyone else leaves at once): "Leave meeting" or, for a
 * host, "End meeting for all". A host who is the only moderator, with someone who may take over,
 * first picks the next host (the first member by default) or lets Parley choose (a co-host, else
 * the longest-present member). Built on the native modal <dialog>: focus stays inside, Escape
 * cancels, and focus goes back to the Leave button.
 */
import { useEffect, useRef, useState, type ReactElement } from 'react';
import type { ParticipantInfo } from '@parley/protocol';

export interface LeaveDialogProps {
  /** The host may end the meeting for everyone; a co-host may only leave. */
  isHost: boolean;
  /** Whom this person may hand the meeting over to; empty unless they are the only moderator. */
  candidates: ParticipantInfo[];
  /** The only moderator, and nobody may take over: the meeting goes on without one. */
  lastModerator: boolean;
  onLeave: (handOverTo?: string) => void;
  onEndForAll: () => void;
  onCancel: () => void;
}

export function LeaveDialog(p: LeaveDialogProps): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  const [step, setStep] = useState<'choose' | 'pick'>('choose');
  const [chosen, setChosen] = useState<string | null>(p.candidates[0]?.id ?? null);
  useEffect(() => {
    const dialog = ref.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  const chosenName = p.candidates.find((c) => c.id === chosen)?.displayName;
  const leave = (): void => (p.candidates.length > 0 ? setStep('pick') : p.onLeave());
  return (
    <dialog
      ref={ref}
      className="dialog leave-dialog"
      onCancel={(e) => {
        e.preventDefault();
        p.onCancel();
      }}
      aria-labelledby="leave-dialog-title"
      data-testid="leave-dialog"
      data-step={step}
    >
      {step === 'choose' ? (
        <>
          <h2 id="leave-dialog-title">Leave the meeting?</h2>
          <div className="dialog-body">
            {p.isHost ? (
              <p>Leave and let the meeting go on, or end it for everyone.</p>
            ) : (
              <p>The meeting goes on without you.</p>
            )}
            {p.lastModerator && p.candidates.length === 0 && (
              <p className="muted small" data-testid="leave-no-successor">
                Nobody here can take over as host: the meeting goes on without a moderator, and people waiting cannot be admitted.
              </p>
            )}
          </div>
          <div className="row dialog-actions leave-actions">
            <button type="button" className="btn" onClick={p.onCancel} autoFocus data-testid="leave-cancel">
              Cancel
            </button>
            <button type="button" className="btn btn-primary" onClick={leave} data-testid="leave-confirm">
              Leave meeting
            </button>
            {p.isHost && (
              <button type="button" className="btn btn-danger" onClick={p.onEndForAll} data-testid="leave-end-all">
                End meeting for all
              </button>
            )}
          </div>
        </>
      ) : (
        <>
          <h2 id="leave-dialog-title">Who hosts next?</h2>
          <div className="dialog-body">
            <fieldset className="handover-list" data-testid="handover-list">
              <legend className="muted small">The new host can admit people, lock the meeting and end it.</legend>
              {p.candidates.map((c) => (
                <label key={c.id} className="handover-option">
                  <input
                    type="radio"
                    name="handover"
                    value={c.id}
                    checked={chosen === c.id}
                    onChange={() => setChosen(c.id)}
                    data-testid="handover-option"
                    data-participant-id={c.id}
                  />
                  <span>{c.displayName}</span>
                  {c.role === 'cohost' && <span className="muted small">Co-host</span>}
                </label>
              ))}
            </fieldset>
          </div>
          <div className="row dialog-actions leave-actions">
            <button type="button" className="btn" onClick={() => setStep('choose')} data-testid="leave-back">
              Back
            </button>
            <button type="button" className="btn" onClick={() => p.onLeave()} data-testid="leave-auto">
              Let Parley choose
            </button>
            <button type="button" className="btn btn-primary" disabled={chosen === null} onClick={() => chosen && p.onLeave(chosen)} data-testid="leave-handover" autoFocus>
              {chosenName ? `Make ${chosenName} host and leave` : 'Leave'}
            </button>
          </div>
        </>
      )}
    </dialog>
  );
}
