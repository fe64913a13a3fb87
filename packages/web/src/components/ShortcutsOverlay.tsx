/**
 * The meeting's keyboard shortcuts (lib/shortcuts.ts) and `?`'s list of them: a modal dialog
 * (Escape or Close shuts it, and focus goes back where it was).
 */
import { useCallback, useEffect, useRef, useState, type ReactElement } from 'react';
import { SHORTCUTS, useShortcuts } from '../lib/shortcuts.js';

export function MeetingShortcuts(): ReactElement | null {
  const [open, setOpen] = useState(false);
  const showHelp = useCallback(() => setOpen(true), []);
  useShortcuts(showHelp);
  return open ? <ShortcutsOverlay onClose={() => setOpen(false)} /> : null;
}

export function ShortcutsOverlay({ onClose }: { onClose: () => void }): ReactElement {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (dialog && !dialog.open) dialog.showModal();
    return () => {
      dialog?.close();
      if (before?.isConnected) before.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog shortcuts-dialog"
      aria-labelledby="shortcuts-title"
      data-testid="shortcuts-dialog"
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <h2 id="shortcuts-title">Keyboard shortcuts</h2>
      <table className="shortcuts-table">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.key}>
              <th scope="row">
                <kbd>{s.label}</kbd>
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted small">They do nothing while you type in a field.</p>
      <div className="row dialog-actions">
        <button type="button" className="btn" onClick={onClose} autoFocus data-testid="shortcuts-close">
          Close
        </button>
      </div>
    </dialog>
  );
}
