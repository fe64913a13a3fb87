/**
 * An on/off switch row of a menu (role="switch"), with an optional hint under its label. A switch
 * `lockedBy` a reason (the meeting's class forces it) is disabled and says why instead of its hint.
 */
import type { ReactElement } from 'react';

export function Switch(p: {
  label: string;
  hint?: string;
  on: boolean;
  disabled?: boolean;
  /** Why nobody may change it (e.g. "Required for sensitive meetings"). */
  lockedBy?: string;
  testId: string;
  onToggle: () => void;
  autoFocus?: boolean;
}): ReactElement {
  return (
    <button
      type="button"
      role="switch"
      aria-checked={p.on}
      className="menu-switch"
      onClick={p.onToggle}
      disabled={p.disabled || p.lockedBy !== undefined}
      autoFocus={p.autoFocus}
      data-testid={p.testId}
      data-locked={p.lockedBy ? 'true' : undefined}
    >
      <span className="menu-switch-text">
        <span>{p.label}</span>
        {p.lockedBy ? (
          <span className="small locked-reason" data-testid={`${p.testId}-locked`}>
            {p.lockedBy}
          </span>
        ) : (
          p.hint && <span className="muted small">{p.hint}</span>
        )}
      </span>
      <span className="switch-track" aria-hidden="true">
        <span className="switch-thumb" />
      </span>
    </button>
  );
}

/** A choice between a few values, as a row of pressed/unpressed buttons (a radio group). */
export function Segmented<V extends string>(p: {
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  disabled?: boolean;
  testId: string;
  onChange: (value: V) => void;
}): ReactElement {
  return (
    <div className="menu-row" role="radiogroup" aria-label={p.label} data-testid={p.testId}>
      <span className="menu-row-label">{p.label}</span>
      <span className="segmented">
        {p.options.map((o) => (
          <button
            key={o.value}
            type="button"
            role="radio"
            aria-checked={p.value === o.value}
            className="segment"
            disabled={p.disabled}
            onClick={() => p.value !== o.value && p.onChange(o.value)}
            data-testid={`${p.testId}-${o.value}`}
          >
            {o.label}
          </button>
        ))}
      </span>
    </div>
  );
}
