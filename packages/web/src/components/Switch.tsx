/** An on/off switch row of a menu (role="switch"), with an optional hint under its label. */
import type { ReactElement } from 'react';

export function Switch(p: {
  label: string;
  hint?: string;
  on: boolean;
  disabled?: boolean;
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
      disabled={p.disabled}
      autoFocus={p.autoFocus}
      data-testid={p.testId}
    >
      <span className="menu-switch-text">
        <span>{p.label}</span>
        {p.hint && <span className="muted small">{p.hint}</span>}
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
