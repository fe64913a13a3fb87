/** A modal that asks for one line or a short note (rename someone, report someone), on the native <dialog>. */
import { useEffect, useRef, useState, type FormEvent, type ReactElement, type ReactNode } from 'react';

export function PromptDialog({
  title,
  label,
  initial = '',
  maxLength,
  multiline = false,
  confirmLabel,
  danger = false,
  children,
  onConfirm,
  onCancel,
  testId,
}: {
  title: string;
  label: string;
  initial?: string;
  maxLength: number;
  multiline?: boolean;
  confirmLabel: string;
  danger?: boolean;
  children?: ReactNode;
  onConfirm: (value: string) => void;
  onCancel: () => void;
  testId: string;
}): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState(initial);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (value.trim()) onConfirm(value.trim());
  };
  const common = {
    className: 'input',
    value,
    maxLength,
    autoFocus: true,
    onChange: (e: { target: { value: string } }) => setValue(e.target.value),
    'data-testid': `${testId}-input`,
  };
  return (
    <dialog ref={ref} className="dialog" onCancel={onCancel} aria-labelledby={`${testId}-title`} data-testid={testId}>
      <form onSubmit={submit}>
        <h2 id={`${testId}-title`}>{title}</h2>
        {children && <div className="dialog-body">{children}</div>}
        <label className="field dialog-field">
          <span className="field-label">{label}</span>
          {multiline ? <textarea {...common} rows={4} /> : <input {...common} />}
        </label>
        <div className="row dialog-actions">
          <button type="button" className="btn" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className={`btn ${danger ? 'btn-danger' : 'btn-primary'}`} disabled={!value.trim()} data-testid={`${testId}-confirm`}>
            {confirmLabel}
          </button>
        </div>
      </form>
    </dialog>
  );
}
